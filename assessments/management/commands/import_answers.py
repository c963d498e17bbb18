from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from assessments.interchange.imports import round_import_answers
from assessments.models import Round
from assessments.questionnaire.services import AssessmentError


class Command(BaseCommand):
    help = ("Import a round's answers from a CSV file in the interchange format "
            "(agency,service,item,value,comment). All or nothing: a file with any bad row "
            "changes nothing, and every problem is printed with its line.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="the CSV file (UTF-8)")
        parser.add_argument("--round", type=int, required=True, dest="round_id",
                            help="id of the round to import into")
        parser.add_argument("--replace-submitted", action="store_true",
                            help="replace the answers of agencies that already have some in "
                                 "the round (submitted or in a draft)")
        parser.add_argument("--user", help="username recorded as the importer (who submitted)")

    def handle(self, *args, file, round_id, replace_submitted, user, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
        round = (Round.objects.select_related("partnership", "framework")
                 .filter(pk=round_id).first())
        if round is None:
            raise CommandError(f"There is no round with id {round_id}.")
        importer = None
        if user:
            importer = get_user_model().objects.filter(username=user).first()
            if importer is None:
                raise CommandError(f"There is no user named {user}.")
        try:
            result = round_import_answers(round=round, data=data, user=importer,
                                          replace_submitted=replace_submitted)
        except AssessmentError as exc:
            raise CommandError(exc.message) from exc
        if not result.ok:
            for error in result.errors:
                self.stderr.write(f"{path.name}: line {error.line}: {error.message}")
            raise CommandError(f"{path.name} was not imported: {len(result.errors)} "
                               f"problem(s); nothing was changed.")
        self.stdout.write(self.style.SUCCESS(
            f"Imported {result.answers} answers into {round.partnership}: {round.title} "
            f"(round {round.pk}):"))
        for done in result.agencies:
            line = f"  {done.agency}: {done.answers} answers, submitted"
            if done.replaced:
                line += f" (replaced its {done.replaced})"
            self.stdout.write(line)
