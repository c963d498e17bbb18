import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.interchange.transfer import TransferError, round_import


class Command(BaseCommand):
    help = ("Import a round from a JSON document written by export_round. All or nothing: "
            "creates the partnership and agencies when missing; refuses a round title the "
            "partnership already has, and a framework version this database lacks.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="the JSON document (UTF-8)")

    def handle(self, *args, file, **options):
        path = Path(file)
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"{path} is not a JSON document: {exc}.") from exc
        try:
            done = round_import(document=document)
        except TransferError as exc:
            raise CommandError(str(exc)) from exc
        created = ""
        if done.partnership_created:
            created += f" Created partnership {done.round.partnership.name}."
        if done.agencies_created:
            created += f" Created agencies: {', '.join(done.agencies_created)}."
        self.stdout.write(self.style.SUCCESS(
            f"Imported round {done.round.pk} ({done.round.title}) of "
            f"{done.round.partnership.name}: {done.submissions} submissions, "
            f"{done.answers} answers.{created}"))
