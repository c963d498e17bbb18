"""Time the board paper (PDF) on the server, for a round of 10 agencies with 3 rounds.

    python benchmarks/bench_board_paper.py [--agencies 10 --rounds 3 --background 20
                                            --repeat 5 --db /tmp/bench_paper.sqlite3 --reuse]

Builds a scratch SQLite database (``--db``; never the project's): migrate,
load_framework, ``seed_benchmark`` for ``--background`` other partnerships and one
partnership of ``--agencies`` agencies with ``--rounds`` rounds, every agency submitted
in every round (10% of answers with a comment). Then requests the latest round's board
paper as a lead of that partnership through Django's test client (the whole server
side: access check, selectors, SVG charts, template, WeasyPrint layout and PDF, the
record), after a warm-up, and prints the median and best of ``--repeat`` requests
beside the goal, the page count, the size, and the time of the WeasyPrint part alone.
Goal: under 3 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_S = 3.0


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--agencies", type=int, default=10)
    p.add_argument("--rounds", type=int, default=3, help="rounds of the partnership (trend)")
    p.add_argument("--background", type=int, default=20,
                   help="other partnerships seeded (5 agencies, 2 rounds each)")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--db", default="/tmp/bench_paper.sqlite3")
    p.add_argument("--reuse", action="store_true",
                   help="use the database as it is if it was seeded before")
    args = p.parse_args(argv)

    db = Path(args.db).resolve()
    if db == (ROOT / "db.sqlite3").resolve():
        sys.exit("Refusing to use the project's database: pass a scratch --db.")
    fresh = not (args.reuse and db.exists())
    if fresh and db.exists():
        db.unlink()
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bluelight.settings")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    warnings.filterwarnings("ignore", "No directory at", UserWarning)  # no collectstatic
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    import io

    import pypdf
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.template.loader import render_to_string
    from django.test import Client
    from django.urls import reverse

    from assessments.boardpaper.models import BoardPaper
    from assessments.boardpaper.pdf import html_to_pdf
    from assessments.boardpaper.selectors import paper_content
    from assessments.boardpaper.services import TEMPLATE, page_words
    from assessments.models import Round
    from assessments.results.selectors import PARTNER

    prefix = f"Paper{args.agencies}x{args.rounds}"
    if fresh or not Round.objects.filter(partnership__name__startswith=prefix).exists():
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("load_framework", verbosity=0)
        if args.background:
            call_command("seed_benchmark", partnerships=args.background, agencies=5, rounds=2,
                         prefix=f"Background{time.time_ns()}", verbosity=0)
        call_command("seed_benchmark", partnerships=1, agencies=args.agencies,
                     rounds=args.rounds, prefix=prefix, lead="bench-lead", verbosity=0)
        print(f"Seeded {db} in {time.perf_counter() - started:.1f} s")

    round = (Round.objects.filter(partnership__name__startswith=prefix)
             .select_related("partnership", "framework").order_by("-opens_on").first())
    user = get_user_model().objects.get(username="bench-lead")
    url = reverse("boardpaper:pdf", args=[round.pk])
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)

    settings.DEBUG = False  # no query log while timing
    response = client.get(url)  # warm-up: imports, fonts, template loading
    assert response.status_code == 200, response.status_code
    pages = len(pypdf.PdfReader(io.BytesIO(response.content)).pages)

    def timed(fn, clock=time.perf_counter) -> list[float]:
        out = []
        for _ in range(args.repeat):
            start = clock()
            fn()
            out.append(clock() - start)
        return out

    whole = timed(lambda: client.get(url))
    # CPU time of this process (SQLite runs in it too): what other load does not inflate.
    cpu = timed(lambda: client.get(url), time.process_time)
    content = paper_content(round=round, audience=PARTNER)
    record = BoardPaper.objects.filter(round=round).first()
    html = render_to_string(TEMPLATE, {"paper": content, "round": round,
                                       "results": content.results, "record": record,
                                       "produced_by": "bench", "page_words": page_words()})
    weasy = timed(lambda: html_to_pdf(html))
    gather = timed(lambda: paper_content(round=round, audience=PARTNER))

    median = statistics.median(whole)
    print(f"Board paper of one round: {args.agencies} agencies submitted, {args.rounds} rounds "
          f"in the partnership, {args.background} other partnerships in the database")
    print(f"  {'whole request (server side)':34s} best {min(whole):5.2f} s   "
          f"median {median:5.2f} s   ({args.repeat} requests)")
    print(f"  {'whole request, CPU time':34s} best {min(cpu):5.2f} s   "
          f"median {statistics.median(cpu):5.2f} s")
    print(f"  {'  of which WeasyPrint (layout, PDF)':34s} best {min(weasy):5.2f} s   "
          f"median {statistics.median(weasy):5.2f} s")
    print(f"  {'  of which the content (selectors)':34s} best {min(gather):5.2f} s   "
          f"median {statistics.median(gather):5.2f} s")
    print(f"  {pages} pages, {len(response.content):,} bytes; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    verdict = "met" if median < GOAL_S else "NOT met"
    print(f"  goal: median under {GOAL_S:g} s: {verdict}")


if __name__ == "__main__":
    main()
