from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from assessments.demo import DEMO_FILE, demo_load, demo_password


class Command(BaseCommand):
    help = "Load the demo partnerships, agencies, rounds and users (development only)."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(DEMO_FILE))
        parser.add_argument("--force", action="store_true",
                            help="Load even with DEBUG off (never on a live service).")

    def handle(self, *args, file, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo users have a published password: load them only in "
                               "development (DJANGO_DEBUG on), or pass --force.")
        logins = demo_load(path=Path(file))
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Demo logins:"))
        width = max(len(u) for u, _ in logins)
        for username, role in logins:
            self.stdout.write(f"  {username.ljust(width)}  {role}")
        self.stdout.write(f"Password for every demo login: {demo_password(path=Path(file))}")
