from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from assessments.kpis.suggestions import DEFAULT_FILE, suggestions_load


class Command(BaseCommand):
    help = ("Load the starting suggestions of KPIs, two per collaboration option (default "
            "fixtures/kpi_suggestions.json; ours, not from the 2015 research). Creates only "
            "what is missing: running it again changes nothing, and suggestions an "
            "administrator has edited are kept as they are.")

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(DEFAULT_FILE))

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            loaded = suggestions_load(path=path)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        except (KeyError, ValueError, TypeError) as exc:
            raise CommandError(f"{path}: not a KPI suggestions file ({exc})") from exc
        if loaded.created:
            self.stdout.write(self.style.SUCCESS(
                f"Loaded {len(loaded.created)} suggested KPI(s); "
                f"{loaded.unchanged} already there."))
        else:
            self.stdout.write("The suggested KPIs are already loaded; nothing changed.")
