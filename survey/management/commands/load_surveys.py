from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from survey.national.services import DEFAULT_SURVEYS_FILE, surveys_load


class Command(BaseCommand):
    help = ("Load the national surveys and their questions (default: the 2015 service survey "
            "and public poll, K1-K5). Creates only what is missing: running it again changes "
            "nothing, and questions an administrator has edited are kept as they are.")

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(DEFAULT_SURVEYS_FILE))

    def handle(self, *args, file, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            loaded = surveys_load(path=path)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        except (KeyError, ValueError) as exc:
            raise CommandError(f"{path}: not a surveys file ({exc})") from exc
        if loaded.surveys_created or loaded.questions_created:
            self.stdout.write(self.style.SUCCESS(
                f"Loaded {len(loaded.surveys_created)} survey(s) "
                f"({', '.join(loaded.surveys_created) or 'none new'}) and "
                f"{len(loaded.questions_created)} question(s)."))
        else:
            self.stdout.write("The surveys are already loaded; nothing changed.")
