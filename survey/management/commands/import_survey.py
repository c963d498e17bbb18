import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from survey.models import NationalSurvey
from survey.national.imports import SurveyImportRefused, survey_check, survey_import

SHOWN_ERRORS = 200


def find_survey(code: str) -> NationalSurvey:
    found = NationalSurvey.objects.filter(code=code).first()
    if found is None:
        known = ", ".join(NationalSurvey.objects.values_list("code", flat=True)) or "none"
        raise CommandError(f'No survey has the code "{code}" (known: {known}; '
                           "manage.py load_surveys loads the 2015 surveys).")
    return found


class Command(BaseCommand):
    help = ("Import respondents of a national survey from CSV (respondent,sample,service,"
            "nation, then one column per question code). All or nothing: a file with any bad "
            "cell is refused whole, with every problem listed by line number. Importing the "
            "same file again changes nothing; a respondent already stored is updated, never "
            "counted twice.")

    def add_arguments(self, parser):
        parser.add_argument("file", help='the respondents CSV (UTF-8); "-" reads standard input')
        parser.add_argument("--survey", required=True, metavar="CODE", help="the survey's code")
        parser.add_argument("--dry-run", action="store_true",
                            help="check the file and list its problems; import nothing")
        parser.add_argument("--max-errors", type=int, default=SHOWN_ERRORS, metavar="N",
                            help=f"list at most N problems (default {SHOWN_ERRORS}; 0: all)")

    def handle(self, *args, file, survey, dry_run, max_errors, **options):
        target = find_survey(survey)
        data, name = self._read(file)
        if dry_run:
            errors = survey_check(survey=target, data=data)
            if errors:
                self._refuse(file, errors, max_errors, "nothing was imported (dry run)")
            self.stdout.write(self.style.SUCCESS(f"{file}: no problems found (dry run: "
                                                 "nothing imported)."))
            return
        try:
            result = survey_import(survey=target, data=data, file_name=name)
        except SurveyImportRefused as exc:
            self._refuse(file, exc.errors, max_errors, "nothing was imported")
        batch = result.batch
        if result.already_imported:
            when = timezone.localtime(batch.imported_at).strftime("%Y-%m-%d %H:%M")
            self.stdout.write(f"{file}: this file was already imported on {when} "
                              f"(as {batch.file_name}); nothing changed.")
            return
        self.stdout.write(self.style.SUCCESS(
            f"{file}: imported {batch.rows} respondents into {target.code}: added "
            f"{result.added}, updated {result.updated}, unchanged {result.unchanged}."))

    def _read(self, file: str) -> tuple[bytes, str]:
        if file == "-":
            return sys.stdin.buffer.read(), "standard input"
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        return path.read_bytes(), path.name

    def _refuse(self, file, errors, max_errors, outcome):
        shown = errors if max_errors <= 0 else errors[:max_errors]
        for error in shown:
            self.stderr.write(str(error))
        if len(shown) < len(errors):
            self.stderr.write(f"... and {len(errors) - len(shown)} more problems "
                              "(--max-errors 0 lists them all)")
        count = len(errors)
        raise CommandError(f"{file}: {count} problem{'s' if count != 1 else ''} (listed above); "
                           f"{outcome}.")
