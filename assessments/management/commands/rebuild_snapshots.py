"""Rebuild every round's results snapshot: ``manage.py rebuild_snapshots``.

A round whose latest snapshot still matches its submitted answers keeps it;
any other round (new answers, a new scoring method version) gets a new one.
Earlier snapshots are never deleted.
"""

from django.core.management.base import BaseCommand

from assessments.models import ResultSnapshot, Round
from assessments.results.snapshots import snapshots_rebuild


class Command(BaseCommand):
    help = "Compute and store the results snapshot of every round whose answers changed."

    def add_arguments(self, parser):
        parser.add_argument("--round", type=int, action="append", dest="rounds",
                            help="only this round id (may be repeated)")

    def handle(self, *args, rounds=None, **options):
        before = ResultSnapshot.objects.count()
        qs = Round.objects.select_related("framework").order_by("id")
        if rounds:
            qs = qs.filter(pk__in=rounds)
        n = snapshots_rebuild(rounds=qs.iterator())
        made = ResultSnapshot.objects.count() - before
        self.stdout.write(f"{n} rounds checked, {made} new snapshots.")
