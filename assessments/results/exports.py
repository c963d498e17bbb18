"""A round's data as files: one function builds each table, thin writers format it."""

import json
from collections.abc import Collection

import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from assessments.interchange.csv import answers_to_csv
from assessments.models import Agency
from assessments.questionnaire.selectors import round_submitted_answers
from assessments.results.selectors import (
    ScoredRound,
    action_plan,
    answer_text,
    answer_texts,
    divergences,
)
from assessments.results.wording import english, reason_texts, reason_writer, status_text
from assessments.scoring import RoundResult, to_json
from bluelight import xlsx
from bluelight.formatting import timestamp
from survey.models import Item


def round_answers_csv(*, round, agencies: Collection[int] | None = None,
                      comments: bool = True) -> str:
    """The round's submitted answers in the interchange CSV shape (import's twin).

    ``agencies``: only these agencies' rows (ids; None: every agency that
    submitted). ``comments=False`` leaves the comment column out (the import
    reads such a file too). :func:`assessments.access.answers_visible_to` says
    which a user may have.
    """
    order = list(Item.objects.filter(framework_id=round.framework_id)
                 .order_by("order", "id").values_list("code", flat=True))
    answers = round_submitted_answers(round=round)
    if agencies is not None:
        names = Agency.objects.filter(pk__in=list(agencies)).values_list("name", flat=True)
        answers = answers[answers["agency"].isin(set(names))]
    return answers_to_csv(answers, item_order=order, comments=comments)


# --------------------------------------------------------------------------- results


def results_document(result: RoundResult, *, framework_id: int) -> str:
    """The results JSON of docs/scoring-method.md exactly as ``manage.py score`` prints it: reasons
    in English with the items' English titles, whatever the reader's language."""
    def document() -> str:
        items = Item.objects.filter(framework_id=framework_id)
        titles = {item.code: item.title for item in items}
        return to_json(result, reason_writer(titles)) + "\n"

    return english(document)


def round_results_json(*, scored: ScoredRound) -> str:
    """A scored round's results JSON. Final results (a closed round every agency of the
    partnership submitted to) are exactly what ``manage.py score`` prints for the round's
    answer export (:func:`round_answers_csv`), byte for byte. Provisional results carry
    two more top-level keys first: ``"provisional": true`` and ``"still_to_submit"``
    (the agencies yet to submit, possibly none while the round is open)."""
    if not scored.provisional:
        return results_document(scored.result, framework_id=scored.round.framework_id)

    def document() -> str:
        titles = {item.code: item.title
                  for item in Item.objects.filter(framework_id=scored.round.framework_id)}
        body = {"provisional": True, "still_to_submit": scored.still_to_submit,
                **scored.result.to_dict(reason_writer(titles))}
        return json.dumps(body, indent=2, ensure_ascii=False) + "\n"

    return english(document)


_WRAPPED = ("comment", "reasons", "holds back", "would move up")


# The workbook's column headings (English names -> the reader's language).
_COLUMNS = {
    "agency": pgettext_lazy("workbook column", "agency"),
    "service": pgettext_lazy("workbook column", "service"),
    "item": pgettext_lazy("workbook column", "item"),
    "item title": pgettext_lazy("workbook column", "item title"),
    "kind": pgettext_lazy("workbook column", "kind"),
    "value": pgettext_lazy("workbook column", "value"),
    "answer": pgettext_lazy("workbook column", "answer"),
    "comment": pgettext_lazy("workbook column", "comment"),
    "code": pgettext_lazy("workbook column", "code"),
    "title": pgettext_lazy("workbook column", "title"),
    "theme": pgettext_lazy("workbook column", "theme"),
    "n": pgettext_lazy("workbook column", "n"),
    "mean": pgettext_lazy("workbook column", "mean"),
    "min": pgettext_lazy("workbook column", "min"),
    "max": pgettext_lazy("workbook column", "max"),
    "spread": pgettext_lazy("workbook column", "spread"),
    "status": pgettext_lazy("workbook column", "status"),
    "status code": pgettext_lazy("workbook column", "status code"),
    "absent": pgettext_lazy("workbook column", "absent"),
    "divergent": pgettext_lazy("workbook column", "divergent"),
    "level": pgettext_lazy("workbook column", "level"),
    "published level": pgettext_lazy("workbook column", "published level"),
    "supporters": pgettext_lazy("workbook column", "supporters"),
    "support share": pgettext_lazy("workbook column", "support share"),
    "opposed": pgettext_lazy("workbook column", "opposed"),
    "issues": pgettext_lazy("workbook column", "issues"),
    "keys": pgettext_lazy("workbook column", "keys"),
    "reasons": pgettext_lazy("workbook column", "reasons"),
    "rank": pgettext_lazy("workbook column", "rank"),
    "holds back": pgettext_lazy("workbook column", "holds back"),
    "would move up": pgettext_lazy("workbook column", "would move up"),
    "difference": pgettext_lazy("workbook column", "difference"),
}


def _column(name: str) -> str:
    """A workbook column's heading in the reader's language."""
    return str(_COLUMNS[name])


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    """Rows keyed by English column names, with the headings in the reader's language."""
    frame = pd.DataFrame(rows, columns=columns)
    return frame.rename(columns={c: _column(c) for c in columns})


def results_tables(scored: ScoredRound) -> dict[str, pd.DataFrame]:
    """The workbook's sheets as DataFrames, named and headed in the reader's language:
    README, Answers, Items, Options, Action plan, Divergences."""
    result, spec, rnd = scored.result, scored.spec, scored.round
    titles = {f.code: f.title for f in spec.factors} | {o.code: o.title for o in spec.options}
    kinds = {f.code: f.kind for f in spec.factors} | {o.code: "option" for o in spec.options}
    themes = {f.code: f.theme for f in spec.factors}
    scales = {s.kind: dict(s.labels) for s in rnd.framework.scales.all()}
    answers = scored.answers
    answer_columns = ["agency", "service", "item", "item title", "kind", "value", "answer"]
    if scored.audience.comments:
        answer_columns.append("comment")
    sheet_answers = _frame([
        {"agency": agency, "service": service, "item": item, "item title": titles.get(item),
         "kind": kinds.get(item), "value": value, "comment": comment,
         "answer": answer_text(value, scales.get(kinds.get(item, ""), {}))}
        for agency, service, item, value, comment in zip(
            answers["agency"], answers["service"], answers["item"], answers["value"],
            answers["comment"], strict=True)], answer_columns)
    items = _frame([
        {"code": r.code, "kind": r.kind, "title": r.title, "theme": themes.get(r.code, ""),
         "n": r.n, "mean": r.mean, "min": r.min, "max": r.max, "spread": r.spread,
         "status": status_text(r), "status code": r.status, "absent": r.absent,
         "divergent": r.divergent}
        for r in result.items.values()],
        ["code", "kind", "title", "theme", "n", "mean", "min", "max", "spread", "status",
         "status code", "absent", "divergent"])
    options = _frame([
        {"code": o.code, "title": o.title, "level": o.level,
         "published level": o.published_level, "n": o.n, "supporters": o.supporters,
         "support share": o.support_share, "opposed": o.opposed,
         "issues": " ".join(o.issues), "keys": " ".join(o.keys),
         "reasons": "\n".join(reason_texts(o, titles, scales))}
        for o in result.options.values()],
        ["code", "title", "level", "published level", "n", "supporters", "support share",
         "opposed", "issues", "keys", "reasons"])
    plan = _frame([
        {"rank": k, "code": p.item.code, "title": p.item.title,
         "status": p.severity_text, "status code": p.item.status, "mean": p.item.mean,
         "min": p.item.min, "max": p.item.max, "holds back": p.holds_back_text,
         "would move up": "\n".join(p.unlock_texts)}
        for k, p in enumerate(action_plan(result, spec), start=1)],
        ["rank", "code", "title", "status", "status code", "mean", "min", "max",
         "holds back", "would move up"])
    texts = answer_texts(scored, kinds, scales)
    rows = []
    for d in divergences(result, texts, scored):
        row = {"code": d.row.code, "title": d.row.title, "status": d.status,
               "difference": d.row.spread}
        for k, agency in enumerate(texts.columns):
            row[agency] = d.answers[k]
            if scored.audience.comments:
                row[agency + " · " + _column("comment")] = d.comments[k]
        rows.append(row)
    agency_columns = [c for a in texts.columns
                      for c in ([a, a + " · " + _column("comment")] if scored.audience.comments
                                else [a])]
    heading = {c: _column(c) for c in ("code", "title", "status", "difference")}
    sheet_divergences = pd.DataFrame(
        rows, columns=["code", "title", "status", "difference", *agency_columns]
    ).rename(columns=heading)
    notes = scored.provisional_notes
    readme = pd.DataFrame([
        (_("Results"), " ".join([_("Provisional."), *notes]) if notes else _("Final.")),
        (_("Method"), _("bluelight scoring method %(method)s") % {"method": result.method}),
        (_("Framework"), _("%(code)s version %(version)s") % {
            "code": rnd.framework.code, "version": rnd.framework.version}),
        (_("Partnership"), rnd.partnership.name),
        (_("Round"), rnd.title),
        (_("Agencies submitted"), ", ".join(result.agencies)),
        (_("Still to submit"), ", ".join(scored.still_to_submit) or _("none")),
        (_("Readiness (0 to 100)"), result.readiness),
        (_("Generated at"), timestamp()),
        (_("Answers"), _("Only submitted answers; a blank value is \"Don't know\".")),
        (_("Agencies shown"), _("by name") if scored.audience.names else _("by service only")),
        (_("Comments"), _("included") if scored.audience.comments else _("not included")),
    ], columns=["", "value"])
    return {_("README"): readme, _("Answers"): sheet_answers, _("Items"): items,
            _("Options"): options, _("Action plan"): plan, _("Divergences"): sheet_divergences}


def round_results_xlsx(*, scored: ScoredRound) -> bytes:
    """A scored round's answers, item results, option tiers, action plan and divergences as
    an XLSX workbook, in the reader's language (the README says whether the results are
    provisional, and why).

    Comments only when the audience may see them. Text a spreadsheet would run as a
    formula is guarded.
    """
    wrapped = [_column(c) for c in _WRAPPED]
    tables = results_tables(scored)
    readme = next(iter(tables))
    return xlsx.workbook(xlsx.Sheet(name, frame, header=name != readme, wrap=wrapped)
                         for name, frame in tables.items())
