"""Writes on the national surveys' definitions (respondent data: ``survey.imports``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from survey.models import NationalSurvey, SurveyQuestion

DEFAULT_SURVEYS_FILE = Path(settings.BASE_DIR) / "fixtures" / "surveys-2015.json"

_SURVEY_FIELDS = ("title", "year", "sample_description", "source")
_QUESTION_FIELDS = ("sample", "text", "answer_type", "positive_answers", "published_figure",
                    "published_base_note", "order")


@dataclass(frozen=True)
class SurveysLoaded:
    surveys_created: list[str]
    questions_created: list[str]  # "survey:code"
    unchanged: int  # surveys and questions already there (left as they are)


@transaction.atomic
def surveys_load(*, path: Path = DEFAULT_SURVEYS_FILE) -> SurveysLoaded:
    """Create the surveys and questions of a definitions file that are not stored yet.

    Idempotent: a survey or question already stored (matched by code) is left
    exactly as it is, because an administrator may have edited it since; only
    missing ones are created. Every new definition is validated first.
    """
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    surveys_created: list[str] = []
    questions_created: list[str] = []
    unchanged = 0
    for entry in doc["surveys"]:
        survey = NationalSurvey.objects.filter(code=entry["code"]).first()
        if survey is None:
            survey = NationalSurvey(code=entry["code"],
                                    **{f: entry.get(f, "") or None if f == "year"
                                       else entry.get(f, "") for f in _SURVEY_FIELDS})
            survey.full_clean()
            survey.save()
            surveys_created.append(survey.code)
        else:
            unchanged += 1
        stored = set(survey.questions.values_list("code", flat=True))
        for q in entry["questions"]:
            if q["code"] in stored:
                unchanged += 1
                continue
            question = SurveyQuestion(survey=survey, code=q["code"],
                                      **{f: q.get(f) for f in _QUESTION_FIELDS if f in q})
            question.full_clean()
            question.save()
            questions_created.append(f"{survey.code}:{question.code}")
    return SurveysLoaded(surveys_created, questions_created, unchanged)
