"""A national survey's key findings as files: CSV (for scripts) and XLSX (for people).

Both hold the same figures, from :func:`survey.national.findings.findings_table`:
each finding (sample, base, positive, share, 95% interval, published figure)
and its breakdowns by service and nation, a suppressed group an empty cell
with a flag. The CSV keeps the data's column names and codes in every
language; the workbook's sheets, headers and words are in the user's
language. Both writers guard text a spreadsheet would run as a formula
(:mod:`bluelight.csvkit`, :mod:`bluelight.xlsx`).
"""

from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext as _

from bluelight import xlsx
from bluelight.csvkit import frame_to_csv
from bluelight.formatting import timestamp
from survey.models import Sample
from survey.national.findings import NOT_STATED_CODE, Z95, findings_table
from survey.national.selectors import SurveyFindings, group_label, suppression_reason


def findings_frame(result: SurveyFindings) -> pd.DataFrame:
    return findings_table(result.findings,
                          {"service": result.by_service, "nation": result.by_nation})


def findings_csv(result: SurveyFindings) -> bytes:
    return frame_to_csv(findings_frame(result))


def _readme(result: SurveyFindings) -> list[tuple[str, str]]:
    survey = result.survey
    respondents = ", ".join(
        f"{dict(Sample.choices).get(sample, sample)}: {n}"
        for sample, n in sorted(result.respondents.items())) or "0"
    return [
        (_("Survey"), f"{survey.title} ({survey.code})"),
        (_("Source of the published figures"), survey.source or "—"),
        (_("Respondents stored"), respondents),
        (_("Share"), _("Respondents of the finding's sample who gave an answer that counts "
                       "towards it, among those who answered the question (0 to 1).")),
        (_("95% interval"), _("Wilson score interval, z = %(z).2f.") % {"z": Z95}),
        (_("Suppression"), _("A group of a breakdown with a base under %(n)d is suppressed; "
                             "when only one group is, the next smallest is suppressed too, so "
                             "that it cannot be worked out from the total. Its figures are "
                             "empty cells, and the “Suppressed” column says why.")
         % {"n": result.min_cell}),
        (_("Generated at"), timestamp()),
    ]


def findings_xlsx(result: SurveyFindings) -> bytes:
    """A "Read me" sheet, the key findings, and one sheet for each breakdown."""
    table = findings_frame(result)
    samples = dict(Sample.choices)
    table["sample"] = [str(samples.get(s, s)) for s in table["sample"]]
    totals = table[table["breakdown"] == "total"]
    findings = pd.DataFrame({
        _("Code"): totals["code"], _("Finding"): totals["finding"],
        _("Sample"): totals["sample"], _("Base (n)"): totals["base"],
        _("Positive"): totals["positive"], _("Share (0 to 1)"): totals["share"],
        _("95% interval: low"): totals["ci_low"], _("95% interval: high"): totals["ci_high"],
        _("Published (0 to 1)"): totals["published"],
        _("Published figure outside our interval"): totals["published_outside_ci"]})
    sheets = [xlsx.notes(_("Read me"), _readme(result)),
              xlsx.Sheet(_("Key findings"), findings, wrap=[_("Finding")])]
    for by, sheet_name, group_title in (("service", _("By service"), _("Service")),
                                        ("nation", _("By nation"), _("Nation"))):
        rows = table[table["breakdown"] == by]
        groups = ["" if g == NOT_STATED_CODE else g for g in rows["group"]]
        frame = pd.DataFrame({
            _("Code"): rows["code"], _("Finding"): rows["finding"],
            group_title: [group_label(by, g) for g in groups],
            _("Base (n)"): rows["base"], _("Positive"): rows["positive"],
            _("Share (0 to 1)"): rows["share"], _("95% interval: low"): rows["ci_low"],
            _("95% interval: high"): rows["ci_high"], _("Suppressed"): rows["suppressed"],
            _("Why suppressed"): [suppression_reason(s, result.min_cell).capitalize()
                                  for s in rows["suppression"]]})
        sheets.append(xlsx.Sheet(sheet_name, frame, wrap=[_("Finding")]))
    return xlsx.workbook(sheets)
