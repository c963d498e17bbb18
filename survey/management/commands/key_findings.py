import json
from functools import partial

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bluelight.formatting import percent
from survey.management.commands.import_survey import find_survey
from survey.national.exports import findings_csv
from survey.national.findings import findings_document
from survey.national.selectors import survey_findings

_pct = partial(percent, digits=1, dash="-")  # "41.2%", NaN -> "-"


class Command(BaseCommand):
    help = ("Print a national survey's key findings: share, 95% Wilson interval and base of "
            "each, beside the published figure. --format json prints the document of "
            "docs/national-surveys.md; --format csv the findings and their breakdowns as the "
            "findings page's CSV download; --format table (default) a readable table with "
            "breakdowns.")

    def add_arguments(self, parser):
        parser.add_argument("--survey", required=True, metavar="CODE", help="the survey's code")
        parser.add_argument("--format", choices=["table", "json", "csv"], default="table")
        parser.add_argument("--min-cell", type=int, default=None, metavar="N",
                            help="suppress breakdown cells with a base under N (default: the "
                                 "BLUELIGHT_MIN_CELL_SIZE setting, "
                                 f"{settings.BLUELIGHT_MIN_CELL_SIZE})")

    def handle(self, *args, survey, format, min_cell, **options):
        target = find_survey(survey)
        min_cell = settings.BLUELIGHT_MIN_CELL_SIZE if min_cell is None else min_cell
        if min_cell < 1:
            raise CommandError("--min-cell must be at least 1.")
        result = survey_findings(survey=target, min_cell=min_cell)
        if format == "json":
            self.stdout.write(json.dumps(findings_document(target.code, result.findings),
                                         indent=2, ensure_ascii=False))
            return
        if format == "csv":
            self.stdout.write(findings_csv(result).decode("utf-8-sig"), ending="")
            return
        self._table(result)

    def _table(self, result):
        out = self.stdout
        out.write(f"{result.survey.title} ({result.survey.code})")
        counts = ", ".join(f"{n} {s}" for s, n in sorted(result.respondents.items())) or "none"
        out.write(f"Respondents: {counts}")
        out.write("")
        out.write(f"{'code':<5} {'share':>7}  {'95% interval':<17} {'base':>7}  "
                  f"{'published':>9}  note")
        for code, row in result.findings.iterrows():
            interval = ("-" if row["base"] == 0
                        else f"{_pct(row['ci_low'])} to {_pct(row['ci_high'])}")
            note = "published figure outside our interval" if row["published_outside_ci"] else ""
            out.write(f"{code:<5} {_pct(row['share']):>7}  {interval:<17} {row['base']:>7}  "
                      f"{_pct(row['published']):>9}  {note}")
        for title, frame in (("service", result.by_service), ("nation", result.by_nation)):
            out.write("")
            out.write(f"By {title} (cells with a base under {result.min_cell} suppressed):")
            for _, row in frame.iterrows():
                group = row["group"] or "not stated"
                if row["suppression"] == "secondary":
                    shown = "suppressed (so that a smaller group cannot be worked out)"
                elif row["suppressed"]:
                    shown = f"suppressed (base under {result.min_cell})"
                else:
                    shown = (f"{_pct(row['share'])} ({_pct(row['ci_low'])} to "
                             f"{_pct(row['ci_high'])}), base {row['base']}")
                out.write(f"  {row['code']:<5} {group:<16} {shown}")
