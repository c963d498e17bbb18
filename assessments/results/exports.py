"""A round's data as files: one function builds each table, thin writers format it."""

import io

import pandas as pd
from django.utils import timezone
from openpyxl.styles import Alignment, Font

from assessments.interchange.csv import answers_to_csv
from assessments.questionnaire.selectors import round_submitted_answers
from assessments.results.selectors import ScoredRound, answer_text
from assessments.scoring import RoundResult, to_json
from survey.models import Item


def round_answers_csv(*, round) -> str:
    """The round's submitted answers in the interchange CSV shape (import's twin)."""
    order = list(Item.objects.filter(framework_id=round.framework_id)
                 .order_by("order", "id").values_list("code", flat=True))
    return answers_to_csv(round_submitted_answers(round=round), item_order=order)


# --------------------------------------------------------------------------- results


def results_document(result: RoundResult) -> str:
    """The results JSON of scoring.md exactly as ``manage.py score`` prints it."""
    return to_json(result) + "\n"


def round_results_json(*, scored: ScoredRound) -> str:
    """A scored round's results JSON: ``manage.py score`` on the round's answer export
    (:func:`round_answers_csv`) prints the same, byte for byte."""
    return results_document(scored.result)


# Spreadsheets run cells that start with these as formulas (CSV/formula injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _neutralise(value):
    """Text a spreadsheet would read as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


_WRAPPED = ("comment", "reasons")


def results_tables(scored: ScoredRound) -> dict[str, pd.DataFrame]:
    """The workbook's sheets as DataFrames: README, Answers, Items, Options."""
    result, spec, rnd = scored.result, scored.spec, scored.round
    titles = {f.code: f.title for f in spec.factors} | {o.code: o.title for o in spec.options}
    kinds = {f.code: f.kind for f in spec.factors} | {o.code: "option" for o in spec.options}
    scales = {s.kind: dict(s.labels) for s in rnd.framework.scales.all()}
    answers = scored.answers
    sheet_answers = pd.DataFrame({
        "agency": answers["agency"],
        "service": answers["service"],
        "item": answers["item"],
        "item title": answers["item"].map(titles),
        "kind": answers["item"].map(kinds),
        "value": answers["value"],
        "answer": [answer_text(v, scales.get(kinds[i], {}))
                   for v, i in zip(answers["value"], answers["item"], strict=True)],
    })
    if scored.audience.comments:
        sheet_answers["comment"] = answers["comment"]
    items = pd.DataFrame([
        {"code": r.code, "kind": r.kind, "title": r.title,
         "theme": next((f.theme for f in spec.factors if f.code == r.code), ""),
         "n": r.n, "mean": r.mean, "min": r.min, "max": r.max, "spread": r.spread,
         "status": r.status, "absent": r.absent, "divergent": r.divergent}
        for r in result.items.values()])
    options = pd.DataFrame([
        {"code": o.code, "title": o.title, "level": o.level,
         "published level": o.published_level, "n": o.n, "supporters": o.supporters,
         "support share": o.support_share, "opposed": o.opposed,
         "issues": " ".join(o.issues), "keys": " ".join(o.keys),
         "reasons": "\n".join(r.text for r in o.reasons)}
        for o in result.options.values()])
    readme = pd.DataFrame([
        ("Method", f"bluelight scoring method {result.method}"),
        ("Framework", f"{rnd.framework.code} version {rnd.framework.version}"),
        ("Partnership", rnd.partnership.name),
        ("Round", rnd.title),
        ("Agencies submitted", ", ".join(result.agencies)),
        ("Readiness (0 to 100)", result.readiness),
        ("Generated at", timezone.localtime().strftime("%Y-%m-%d %H:%M %Z")),
        ("Answers", "Only submitted answers; a blank value is \"Don't know\"."),
        ("Agencies shown", "by name" if scored.audience.names else "by service only"),
        ("Comments", "included" if scored.audience.comments else "not included"),
    ], columns=["", "value"])
    return {"README": readme, "Answers": sheet_answers, "Items": items, "Options": options}


def round_results_xlsx(*, scored: ScoredRound) -> bytes:
    """A scored round's answers, item results and option tiers as an XLSX workbook.

    Sheets README, Answers (comments only when the audience may see them), Items and
    Options (with the reasons). Text a spreadsheet would run as a formula is neutralised.
    """
    tables = results_tables(scored)
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in tables.items():
            safe = frame.astype(object).where(frame.notna(), None).map(_neutralise)
            safe.to_excel(writer, sheet_name=name, index=False, header=name != "README")
            sheet = writer.sheets[name]
            sheet.freeze_panes = "A2" if name != "README" else None
            for column in sheet.columns:
                longest = max(len(line) for c in column for line in str(c.value or "").split("\n"))
                sheet.column_dimensions[column[0].column_letter].width = min(
                    max(10, longest + 2), 80)
                wrap = column[0].value in _WRAPPED
                for cell in column:
                    if wrap:
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
                    elif name == "README" and cell.column == 1:
                        cell.font = Font(bold=True)
    return buffer.getvalue()
