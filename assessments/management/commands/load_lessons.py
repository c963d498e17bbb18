from pathlib import Path

from django.core.management.base import BaseCommand

from assessments.lessons.services import RESEARCH_FILE, research_lessons_load


class Command(BaseCommand):
    help = ("Load the six examples the 2015 research names into the \"what works\" library "
            "(fixtures/lessons_research.json); idempotent.")

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(RESEARCH_FILE))

    def handle(self, *args, file, **options):
        created, updated = research_lessons_load(path=Path(file))
        self.stdout.write(self.style.SUCCESS(
            f"Research examples: {created} added, {updated} updated."))
