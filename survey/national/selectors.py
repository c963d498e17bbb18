"""Reads on the national surveys shared by the pages and the commands."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from django.db.models import Count, Max, OuterRef, Subquery
from django.utils.translation import gettext as _

from bluelight.choices import Nation, Service
from survey.models import (
    ImportBatch,
    NationalSurvey,
    Respondent,
    SurveyQuestion,
)
from survey.national.csv import QuestionSpec
from survey.national.findings import (
    MIN_CELL,
    FindingSpec,
    breakdown,
    key_findings,
)


def survey_questions(*, survey: NationalSurvey) -> list[SurveyQuestion]:
    return list(survey.questions.order_by("order", "id"))


def question_specs(questions: list[SurveyQuestion]) -> list[QuestionSpec]:
    """The questions as the CSV parser takes them."""
    return [QuestionSpec(code=q.code, sample=q.sample, answers=q.allowed_answers)
            for q in questions]


def finding_specs(questions: list[SurveyQuestion]) -> list[FindingSpec]:
    """The questions as the findings module takes them."""
    return [FindingSpec(code=q.code, text=q.text, sample=q.sample, positive=q.positive,
                        published=q.published_figure) for q in questions]


def survey_response_counts(*, survey: NationalSurvey, codes: list[str]) -> pd.DataFrame:
    """Respondents counted by the database per distinct (sample, service, nation, answers).

    One query, however many respondents: the findings need only these counts,
    and a survey's respondents share a few hundred combinations of answers.
    Grouping by the stored answers as a whole is the cheapest way to count them
    (no JSON is taken apart per respondent); two groups holding the same answers
    in another key order are simply both counted. Columns ``sample, service,
    nation, <code>..., count``; a missing answer is None.
    """
    rows = (Respondent.objects.filter(survey=survey).order_by()
            .values_list("sample", "service", "nation", "answers")
            .annotate(count=Count("id")))
    records = [(sample, service, nation, *[(answers or {}).get(c) for c in codes], count)
               for sample, service, nation, answers, count in rows]
    return pd.DataFrame.from_records(
        records, columns=["sample", "service", "nation", *codes, "count"]).astype(
        dict.fromkeys(codes, object))


@dataclass(frozen=True)
class SurveyFindings:
    survey: NationalSurvey
    questions: list[SurveyQuestion]
    findings: pd.DataFrame  # findings.key_findings
    by_service: pd.DataFrame  # findings.breakdown(by="service")
    by_nation: pd.DataFrame
    respondents: dict[str, int]  # sample -> respondents stored
    min_cell: int


def survey_findings(*, survey: NationalSurvey, min_cell: int = MIN_CELL) -> SurveyFindings:
    """Key findings with intervals and breakdowns, in two queries."""
    questions = survey_questions(survey=survey)
    counts = survey_response_counts(survey=survey, codes=[q.code for q in questions])
    specs = finding_specs(questions)
    respondents = counts.groupby("sample")["count"].sum().to_dict() if len(counts) else {}
    return SurveyFindings(
        survey=survey, questions=questions,
        findings=key_findings(counts, specs),
        by_service=breakdown(counts, specs, by="service", min_cell=min_cell),
        by_nation=breakdown(counts, specs, by="nation", min_cell=min_cell),
        respondents={k: int(v) for k, v in respondents.items()}, min_cell=min_cell)


def group_label(by: str, group: str) -> str:
    """A group of a breakdown (a service or nation code; "" for not stated) in words."""
    if not group:
        return _("Not stated")
    choices = dict(Service.choices) if by == "service" else dict(Nation.choices)
    return str(choices.get(group, group))


def suppression_reason(suppression: str, min_cell: int) -> str:
    """Why a group of a breakdown is hidden, in words (empty when it is not)."""
    if suppression == "small":
        return _("suppressed: base under %(n)d") % {"n": min_cell}
    if suppression == "secondary":
        return _("hidden so that a smaller group cannot be worked out from the total")
    return ""


def finding_rows(result: SurveyFindings) -> list[dict]:
    """Per question: the question, its finding (a row of the findings table) and its
    breakdowns as lists of dicts, each group with a ``label`` for people and, when it
    is suppressed, the ``reason`` in words."""
    rows = []
    for question in result.questions:
        breakdowns = {}
        for by, frame in (("service", result.by_service), ("nation", result.by_nation)):
            cells = frame[frame["code"] == question.code].to_dict("records")
            for cell in cells:
                cell["label"] = group_label(by, cell["group"])
                cell["reason"] = suppression_reason(cell["suppression"], result.min_cell)
            breakdowns[by] = cells
        rows.append({"question": question, "finding": result.findings.loc[question.code],
                     "by_service": breakdowns["service"], "by_nation": breakdowns["nation"]})
    return rows


def surveys_overview():
    """Every survey with its number of questions, respondents and last import."""
    last = ImportBatch.objects.filter(survey=OuterRef("pk")).order_by("-imported_at", "-id")
    return (NationalSurvey.objects
            .annotate(n_questions=Count("questions", distinct=True),
                      n_respondents=Subquery(
                          Respondent.objects.filter(survey=OuterRef("pk")).order_by()
                          .values("survey").annotate(n=Count("id")).values("n")[:1]),
                      last_import=Max("imports__imported_at"),
                      last_file=Subquery(last.values("file_name")[:1]))
            .order_by("-year", "code"))


def survey_imports(*, survey: NationalSurvey, limit: int = 20):
    return list(survey.imports.select_related("imported_by")[:limit])
