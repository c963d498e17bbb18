import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.frameworks import framework_spec
from assessments.interchange.csv import parse_answers_csv
from assessments.results.exports import results_document
from assessments.scoring import score_round
from survey.models import Framework


class Command(BaseCommand):
    help = ("Score answers from an interchange CSV (agency,service,item,value,comment) and "
            "print the results JSON of scoring method v1. A file with any bad row is refused "
            "whole, with every problem listed by line number.")

    def add_arguments(self, parser):
        parser.add_argument("file", help='the answers CSV (UTF-8); "-" reads standard input')
        parser.add_argument("--framework", metavar="CODE",
                            help="the framework's code (its current published version); "
                                 "default: the current published framework")

    def handle(self, *args, file, framework, **options):
        fw = self._framework(framework)
        data = self._read(file)
        spec = framework_spec(framework=fw)
        parsed = parse_answers_csv(data, item_codes=spec.item_codes)
        if not parsed.ok:
            for error in parsed.errors:
                self.stderr.write(str(error))
            count = len(parsed.errors)
            raise CommandError(f"{file}: {count} problem{'s' if count != 1 else ''} (listed "
                               "above); nothing was scored.")
        try:
            result = score_round(parsed.rows, spec)
        except ValueError as exc:  # parse_answers_csv should have refused it already
            raise CommandError(f"{file}: {exc}") from exc
        self.stdout.write(results_document(result, framework_id=fw.pk), ending="")

    def _framework(self, code: str | None) -> Framework:
        if code is None:
            found = Framework.objects.current()
            if found is None:
                raise CommandError("No framework is published yet: run manage.py "
                                   "load_framework first.")
            return found
        found = (Framework.objects.published().filter(code=code)
                 .order_by("-published_at", "-version").first())
        if found is None:
            known = sorted(set(Framework.objects.published().values_list("code", flat=True)))
            raise CommandError(f'No published framework has the code "{code}" '
                               f"(published: {', '.join(known) or 'none'}).")
        return found

    def _read(self, file: str) -> bytes:
        if file == "-":
            return sys.stdin.buffer.read()
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            return path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
