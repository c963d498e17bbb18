import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.interchange.transfer import round_export
from assessments.models import Round


class Command(BaseCommand):
    help = ("Export a round as one JSON document: its partnership, agencies, framework "
            "version and every submission with both its working and submitted answers "
            "(import it with import_round).")

    def add_arguments(self, parser):
        parser.add_argument("round_id", type=int, help="id of the round")
        parser.add_argument("--output", "-o", help="file to write (default: standard output)")

    def handle(self, *args, round_id, output, **options):
        round = (Round.objects.select_related("partnership", "framework")
                 .filter(pk=round_id).first())
        if round is None:
            raise CommandError(f"There is no round with id {round_id}.")
        text = json.dumps(round_export(round=round), indent=2, ensure_ascii=False) + "\n"
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote round {round_id} to {output}.")
        else:
            self.stdout.write(text, ending="")
