from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from survey.framework.services import DEFAULT_FRAMEWORK_FILE, framework_load


class Command(BaseCommand):
    help = ("Load and publish a framework from a JSON file (default: the published 2015 "
            "framework). Running it again changes nothing.")

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(DEFAULT_FRAMEWORK_FILE))
        parser.add_argument("--draft", action="store_true",
                            help="Load as a draft instead of publishing it.")

    def handle(self, *args, file, draft, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            framework, created = framework_load(path=path, publish=not draft)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        if created:
            self.stdout.write(self.style.SUCCESS(
                f"Loaded {framework} with {framework.items.count()} items."))
        else:
            self.stdout.write(f"{framework} is already loaded; nothing changed.")
