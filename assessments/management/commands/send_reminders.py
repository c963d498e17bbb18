from datetime import date

from django.core.management.base import BaseCommand, CommandError

from assessments.notifications import send_daily


class Command(BaseCommand):
    help = ("Queue the day's emails to partnership leads: rounds opening today, rounds "
            "closing within a week (to the agencies still to submit) and rounds whose closing "
            "date has passed. Meant for a daily cron; running it again the same day (or any "
            "day) never sends the same email twice. The emails go out through the task "
            "worker (manage.py db_worker).")

    def add_arguments(self, parser):
        parser.add_argument("--today", metavar="YYYY-MM-DD",
                            help="act as if today were this date (default: today)")

    def handle(self, *args, today=None, **options):
        try:
            day = date.fromisoformat(today) if today else None
        except ValueError as exc:
            raise CommandError(f"--today: {exc}") from exc
        run = send_daily(today=day)
        for label, done in (("round opened", run.opened), ("closes within a week", run.closing),
                            ("round closed", run.closed)):
            for notification in done:
                self.stdout.write(f"{label}: {notification.round} "
                                  f"({len(notification.recipients)} recipients)")
        self.stdout.write(f"{run.total} notifications queued.")
