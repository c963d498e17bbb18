"""Time the researchers' pages on a national-scale database.

    python benchmarks/bench_research.py [--partnerships 2000 --submissions 10000
                                         --rounds 5 --respondents 100000 --repeat 5]

Builds a scratch SQLite database (``/tmp/bench_research.sqlite3`` unless
``DATABASE_URL`` is set: it is deleted and recreated when it is SQLite),
migrates it, loads the 2015 framework and surveys, and seeds with
``manage.py seed_benchmark`` 2,000 partnerships of 5 agencies with ``--rounds``
rounds each (5: the issue's scale run), every agency submitted: 50,000
submissions, 1.65 million submitted answers (5% "Don't know", 10% with a
comment). ``--reuse`` skips all that. ``bench-lead`` leads the first agency of
every partnership; ``bench-solo-lead`` leads one agency: as that lead, the home
page, the framework page and a dashboard (latest of 5 rounds) are timed beside
the research pages (goal: median under 50 ms).

Then it prints, server side (Django's test client, after a warm-up, median of
``--repeat`` runs), the time and query count of the cross-partnership page,
of one of its downloads and of the answer-level CSV, and the time to import
a generated file of 100,000 survey respondents through the same service as
``manage.py import_survey`` (and the key findings page on them). Goals: the
cross-partnership page under 1 s, the import under 10 s.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

DEFAULT_DB = "sqlite:////tmp/bench_research.sqlite3"
os.environ.setdefault("DATABASE_URL", DEFAULT_DB)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bluelight.settings")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")

def fresh_database() -> None:
    url = os.environ["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        if not str(path).startswith("/"):
            path = Path("/") / path
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(path) + suffix).unlink(missing_ok=True)


def seed(partnerships: int, submissions: int, rounds: int = 1) -> dict:
    """``manage.py seed_benchmark``: ``rounds`` rounds per partnership, every agency
    submitted; ``bench-lead`` leads the first agency of every partnership."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    from assessments.models import Round, Submission, SubmittedAnswer
    from bluelight.roles import RESEARCHER

    agencies = max(2, submissions // partnerships)
    call_command("seed_benchmark", partnerships=partnerships, agencies=agencies,
                 rounds=rounds, lead="bench-lead", stdout=io.StringIO())
    user = get_user_model().objects.create_user("bench-researcher", password=None)
    user.groups.add(Group.objects.get(name=RESEARCHER))
    return {"partnerships": partnerships, "rounds": Round.objects.count(),
            "submissions": Submission.objects.count(),
            "answers": SubmittedAnswer.objects.count(), "user": user}


def timed(client, url: str, repeat: int) -> tuple[float, float, int, int]:
    """Median wall-clock and CPU seconds, query count and status of GET url (after a
    warm-up run). CPU time (this process: Django, pandas and SQLite's own work) is
    what the request costs; wall-clock time also counts waiting for a busy machine."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    start = time.perf_counter()
    client.get(url)
    timed.first = time.perf_counter() - start  # the first view (research pages: a cold cache)
    wall, cpu = [], []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            wall.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu), len(queries), response.status_code


def lead_pages(repeat: int) -> None:
    """A lead's pages with all that data beside them: home, the framework page and
    the dashboard of their partnership's latest round (goal: median under 50 ms)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from assessments.models import Membership, Round

    # bench-lead leads an agency of every partnership: a real lead leads one or two.
    lead, _ = get_user_model().objects.get_or_create(username="bench-solo-lead")
    lead.groups.add(*get_user_model().objects.get(username="bench-lead").groups.all())
    membership = Membership.objects.order_by("id").first()
    membership.leads.add(lead)
    partnership = membership.partnership
    latest = Round.objects.filter(partnership=partnership).order_by("-opens_on", "-id").first()
    client = Client()
    client.force_login(lead)
    print(f"\na lead's pages ({partnership.name}: latest of "
          f"{Round.objects.filter(partnership=partnership).count()} rounds), median of "
          f"{repeat} after a warm-up:")
    for label, url in [("lead home", "/"), ("framework page", "/framework/"),
                       ("results dashboard", f"/rounds/{latest.pk}/results/"),
                       ("actions", f"/partnerships/{partnership.pk}/actions/"),
                       ("shared KPIs", f"/partnerships/{partnership.pk}/kpis/"),
                       ("lessons", f"/partnerships/{partnership.pk}/lessons/")]:
        seconds, cpu, queries, status = timed(client, url, repeat)
        verdict = "met" if seconds < 0.05 else "MISSED"
        print(f"  {label:<28} {seconds * 1000:6.0f} ms (cpu {cpu * 1000:4.0f} ms)  "
              f"{queries:3d} queries  HTTP {status}  first view {timed.first * 1000:5.0f} ms  "
              f"goal < 50 ms: {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partnerships", type=int, default=2000)
    parser.add_argument("--submissions", type=int, default=10000,
                        help="submitted agencies per round, over all partnerships")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per partnership")
    parser.add_argument("--respondents", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--reuse", action="store_true",
                        help="reuse the database seeded by an earlier run (skip seeding)")
    parser.add_argument("--skip-import", action="store_true", help="time the pages only")
    args = parser.parse_args()

    if not args.reuse:
        fresh_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from survey_data import make_survey_csv

    from survey.models import NationalSurvey
    from survey.national.imports import survey_import

    print(f"database: {os.environ['DATABASE_URL']}")
    quiet = io.StringIO()
    call_command("migrate", verbosity=0, stdout=quiet)
    if args.reuse:
        from django.contrib.auth import get_user_model

        made = {"user": get_user_model().objects.get(username="bench-researcher")}
        print("reusing the seeded database")
    else:
        call_command("load_framework", stdout=quiet)
        call_command("load_surveys", stdout=quiet)
        start = time.perf_counter()
        made = seed(args.partnerships, args.submissions, args.rounds)
        print(f"seeded {made['partnerships']:,} partnerships, {made['rounds']:,} rounds, "
              f"{made['submissions']:,} submissions, {made['answers']:,} submitted answers "
              f"in {time.perf_counter() - start:.1f} s")

    client = Client()
    client.force_login(made["user"])
    print("\ncross-partnership pages (server time, median of "
          f"{args.repeat} after a warm-up):")
    # Medians after a first view: the tables are computed once per state of the data
    # (the first view, printed beside, computes them; goal for it: under 1 s).
    for label, url, goal in [
        ("research page, no filter", "/research/", 0.05),
        ("research page, filtered", "/research/?kind=co_responding&services=police", 0.05),
        ("levels download (XLSX)", "/research/export/levels.xlsx", 0.05),
        ("anonymised answers (CSV)", "/research/answers.csv", None),
        ("follow-through page", "/research/follow-through/", 0.05),
        ("what works library", "/what-works/", 0.05),
    ]:
        seconds, cpu, queries, status = timed(client, url, args.repeat)
        verdict = "" if goal is None else ("  goal < 50 ms: met" if seconds < goal
                                           else "  goal < 50 ms: MISSED")
        print(f"  {label:<28} {seconds * 1000:6.0f} ms (cpu {cpu * 1000:4.0f} ms)  "
              f"{queries:3d} queries  HTTP {status}  first view {timed.first * 1000:5.0f} ms"
              f"{verdict}")

    lead_pages(args.repeat)
    if args.skip_import:
        return
    survey = NationalSurvey.objects.get(code="esc-2015")
    survey.respondents.all().delete()
    survey.imports.all().delete()
    public = args.respondents * 9 // 10
    data = make_survey_csv(public=public, service=args.respondents - public).encode()
    print(f"\nsurvey import: {args.respondents:,} respondents, {len(data) / 1e6:.1f} MB")
    start, start_cpu = time.perf_counter(), time.process_time()
    result = survey_import(survey=survey, data=data, file_name="bench.csv")
    seconds, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    verdict = "met" if seconds < 10 else "MISSED"
    print(f"  import (check + write)      {seconds:6.2f} s (cpu {cpu:5.2f} s)  added "
          f"{result.added:,}  goal < 10 s: {verdict}")
    changed = data.replace(b",5,5,5\n", b",4,4,4\n")
    start = time.perf_counter()
    result = survey_import(survey=survey, data=changed, file_name="bench-2.csv")
    print(f"  re-import, some changed     {time.perf_counter() - start:6.2f} s  "
          f"updated {result.updated:,}, unchanged {result.unchanged:,}")
    seconds, cpu, queries, status = timed(client, "/research/surveys/esc-2015/", args.repeat)
    print(f"  key findings page           {seconds * 1000:6.0f} ms (cpu {cpu * 1000:4.0f} ms)  "
          f"{queries:3d} queries  HTTP {status}")


if __name__ == "__main__":
    main()
