"""Time the results dashboard on the server, for a round of 10 submitted agencies.

    python benchmarks/bench_dashboard.py [--agencies 10 --rounds 3 --background 200
                                          --repeat 30 --db /tmp/bench.sqlite3 --reuse]

Builds a scratch SQLite database (``--db``; never the project's): migrate,
load_framework, ``seed_benchmark`` for ``--background`` other partnerships (so
the tables are not trivially small) and one partnership of ``--agencies``
agencies with ``--rounds`` rounds, every agency submitted in every round. Then
requests the latest round's dashboard as a lead of that partnership through
Django's test client (the whole server side: middleware, access check,
selectors, scoring, charts, template), after a warm-up, and prints the best and
median times of ``--repeat`` requests, the query count, and the time of each
part. Goal: under 150 ms on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

import scratch

ROOT = Path(__file__).resolve().parent.parent
GOAL_MS = 150


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    scratch.add_arguments(p, background=200, repeat=30, db="/tmp/bench.sqlite3")
    args = p.parse_args(argv)

    fresh = scratch.setup(args)
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from assessments.results.charts import round_charts
    from assessments.results.selectors import round_results

    round = scratch.latest_round(args, prefix=f"Dashboard{args.agencies}x{args.rounds}",
                                 fresh=fresh)
    user = get_user_model().objects.get(username="bench-lead")
    url = reverse("results:round", args=[round.pk])
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)

    settings.DEBUG = False  # no query log while timing
    response = client.get(url)  # warm-up: imports, template loading, first queries
    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    assert "Level 1" in page and "Action plan" in page

    reset_queries()  # the log is a bounded deque, full after seeding: start it empty
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    n_queries = len(queries)  # now: later requests clear the log this reads

    def timed(fn, clock=time.perf_counter) -> list[float]:
        out = []
        for _ in range(args.repeat):
            start = clock()
            fn()
            out.append((clock() - start) * 1000)
        return out

    view = timed(lambda: client.get(url))
    # CPU time of this process (SQLite runs in it too): what other load does not inflate.
    cpu = timed(lambda: client.get(url), time.process_time)
    selector = timed(lambda: round_results(round=round))
    results = round_results(round=round)
    charts = timed(lambda: round_charts(results))

    print(f"Dashboard of one round: {args.agencies} agencies submitted, {args.rounds} rounds "
          f"in the partnership, {args.background} other partnerships in the database")
    print(f"  {'whole request (server side)':34s} best {min(view):6.1f} ms   "
          f"median {statistics.median(view):6.1f} ms   ({args.repeat} requests)")
    print(f"  {'whole request, CPU time':34s} best {min(cpu):6.1f} ms   "
          f"median {statistics.median(cpu):6.1f} ms")
    print(f"  {'  of which round_results':34s} best {min(selector):6.1f} ms   "
          f"median {statistics.median(selector):6.1f} ms")
    print(f"  {'  of which charts':34s} best {min(charts):6.1f} ms   "
          f"median {statistics.median(charts):6.1f} ms")
    print(f"  queries per request: {n_queries}; page size {len(response.content):,} bytes; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    verdict = "met" if statistics.median(view) < GOAL_MS else "NOT met"
    print(f"  goal: median under {GOAL_MS} ms: {verdict}")


if __name__ == "__main__":
    main()
