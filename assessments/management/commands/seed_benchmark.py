"""Seed data at scale for benchmarks: partnerships, agencies, rounds and submitted answers.

    manage.py seed_benchmark --partnerships 2000 --agencies 5 --rounds 5 [--lead USER]

Writes with ``bulk_create`` (and ``executemany`` for the answers), in one
transaction per block of partnerships, into whatever ``DATABASE_URL`` points at. Never on a live
service: it refuses to run with ``DJANGO_DEBUG`` off unless forced. Rows made
this way have no history records (bulk writes bypass django-simple-history).
"""

import time
from datetime import timedelta

import numpy as np
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connections, router, transaction
from django.utils import timezone

from assessments.models import (
    Agency,
    Answer,
    CollaborationKind,
    Membership,
    Partnership,
    Round,
    Submission,
    SubmittedAnswer,
)
from bluelight.choices import Service
from bluelight.roles import LEAD
from survey.models import Framework, Item

BATCH = 5000
# Mean answer by kind: the seeded partnerships are middling, with a spread of views.
CENTRE = {Item.Kind.ENABLER: 3.0, Item.Kind.BARRIER: 2.8, Item.Kind.OPTION: 3.6}
COMMENT = "Seeded for a benchmark: evidence would be written here."


class Command(BaseCommand):
    help = ("Create partnerships with agencies, rounds and submitted answers in bulk, for "
            "benchmarks (not for a live service).")

    def add_arguments(self, parser):
        parser.add_argument("--partnerships", type=int, default=100)
        parser.add_argument("--agencies", type=int, default=5, help="agencies per partnership")
        parser.add_argument("--rounds", type=int, default=2, help="rounds per partnership")
        parser.add_argument("--framework", metavar="CODE",
                            help="framework code (its current published version); default: "
                                 "the current published framework")
        parser.add_argument("--prefix", default="Bench",
                            help="start of every name created (must not be in use)")
        parser.add_argument("--lead", metavar="USERNAME",
                            help="make this user (created if need be, password 'bench-password')"
                                 " a lead of the first agency of every partnership created")
        parser.add_argument("--dont-know", type=float, default=0.05,
                            help="share of answers that are \"Don't know\"")
        parser.add_argument("--comments", type=float, default=0.1,
                            help="share of answers with a comment")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--force", action="store_true",
                            help="run even with DJANGO_DEBUG off")

    def handle(self, *args, **o):
        if not settings.DEBUG and not o["force"]:
            raise CommandError("This writes made-up data: run it on a scratch database in "
                               "development (DJANGO_DEBUG on), or pass --force.")
        for name in ("partnerships", "agencies", "rounds"):
            if o[name] < 1:
                raise CommandError(f"--{name} must be at least 1.")
        framework = self._framework(o["framework"])
        prefix = o["prefix"].strip()
        if (Partnership.objects.filter(name__startswith=f"{prefix} ").exists()
                or Agency.objects.filter(name__startswith=f"{prefix} ").exists()):
            raise CommandError(f'Names starting "{prefix} " are in use: choose another '
                               "--prefix.")
        items = list(Item.objects.filter(framework=framework).order_by("order", "id"))
        centre = np.array([CENTRE[i.kind] for i in items])
        lead = self._lead(o["lead"]) if o["lead"] else None
        rng = np.random.default_rng(o["seed"])

        total = o["partnerships"]
        rows = total * o["rounds"] * o["agencies"] * len(items)
        say = self.stdout.write if o["verbosity"] > 0 else (lambda *a, **k: None)
        say(f"Seeding {total:,} partnerships x {o['agencies']} agencies x "
                          f"{o['rounds']} rounds x {len(items)} items = {rows:,} answers "
                          "(each as a working and a submitted copy)...")
        start = time.perf_counter()
        block = max(1, 20_000 // (o["rounds"] * o["agencies"] * len(items)))
        done, shown = 0, start
        while done < total:
            size = min(block, total - done)
            self._block(range(done, done + size), framework, items, centre, lead, rng, o,
                        prefix)
            done += size
            if time.perf_counter() - shown >= 2 and done < total:  # progress, now and then
                shown = time.perf_counter()
                say(f"  {done:,} of {total:,} partnerships "
                                  f"({shown - start:.0f} s)")
        say(self.style.SUCCESS(
            f"Seeded {rows:,} answers in {time.perf_counter() - start:.1f} s."))

    def _framework(self, code):
        if code is None:
            found = Framework.objects.current()
        else:
            found = (Framework.objects.published().filter(code=code)
                     .order_by("-published_at", "-version").first())
        if found is None:
            raise CommandError("No such published framework: run manage.py load_framework.")
        return found

    def _lead(self, username):
        user, created = get_user_model().objects.get_or_create(username=username)
        if created:
            user.set_password("bench-password")
            user.save()
        user.groups.add(Group.objects.get(name=LEAD))
        return user

    @transaction.atomic
    def _block(self, numbers, framework, items, centre, lead, rng, o, prefix):
        services = [s for s, _ in Service.choices]
        kinds = [k for k, _ in CollaborationKind.choices]
        now = timezone.now()
        today = timezone.localdate()
        n_agencies, n_rounds = o["agencies"], o["rounds"]

        partnerships = Partnership.objects.bulk_create(
            Partnership(name=f"{prefix} partnership {p:06d}", kind=kinds[p % len(kinds)])
            for p in numbers)
        agencies = Agency.objects.bulk_create(
            Agency(name=f"{prefix} {p:06d} agency {k + 1}", service=services[k % len(services)])
            for p in numbers for k in range(n_agencies))
        memberships = Membership.objects.bulk_create(
            Membership(partnership=partnership, agency=agencies[i * n_agencies + k])
            for i, partnership in enumerate(partnerships) for k in range(n_agencies))
        if lead is not None:
            Membership.leads.through.objects.bulk_create(
                Membership.leads.through(membership=memberships[i * n_agencies], user=lead)
                for i in range(len(partnerships)))
        rounds = Round.objects.bulk_create(
            Round(partnership=partnership, framework=framework, title=f"Round {r + 1}",
                  opens_on=today - timedelta(days=180 * (n_rounds - r)),
                  status=Round.Status.OPEN if r == n_rounds - 1 else Round.Status.CLOSED,
                  closed_at=None if r == n_rounds - 1 else now)
            for partnership in partnerships for r in range(n_rounds))
        submissions = Submission.objects.bulk_create(
            Submission(round=rnd, agency=agencies[(i // n_rounds) * n_agencies + k],
                       status=Submission.Status.SUBMITTED, submitted_at=now)
            for i, rnd in enumerate(rounds) for k in range(n_agencies))

        # Each agency leans one way, each item too: answers vary like real ones.
        shape = (len(submissions), len(items))
        lean = rng.normal(0, 0.6, size=(len(submissions), 1))
        values = np.clip(np.rint(rng.normal(centre + lean, 1.0, size=shape)), 1, 5).astype(int)
        dont_know = rng.random(shape) < o["dont_know"]
        commented = rng.random(shape) < o["comments"]
        rows = [(s.pk, item.pk, None if dont_know[i, j] else int(values[i, j]),
                 COMMENT if commented[i, j] else "")
                for i, s in enumerate(submissions) for j, item in enumerate(items)]
        _insert(SubmittedAnswer, ("submission_id", "item_id", "value", "comment"), rows)
        _insert(Answer, ("submission_id", "item_id", "value", "comment", "updated_at",
                         "prefilled"), [(*row, now, False) for row in rows])


def _insert(model, columns, rows):
    """Insert many rows at once with ``executemany``: the answers are most of the data,
    and building a model instance per row would take ten times as long."""
    connection = connections[router.db_for_write(model)]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    # Only the model's own table and column names go into the SQL; values are parameters.
    sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start:start + BATCH])
