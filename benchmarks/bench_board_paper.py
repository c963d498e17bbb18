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
import time
from pathlib import Path

import scratch

ROOT = Path(__file__).resolve().parent.parent
GOAL_S = 3.0


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    scratch.add_arguments(p, background=20, repeat=5, db="/tmp/bench_paper.sqlite3")
    args = p.parse_args(argv)

    fresh = scratch.setup(args)
    import io

    import pypdf
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.template.loader import render_to_string
    from django.test import Client
    from django.urls import reverse

    from assessments.boardpaper.models import BoardPaper
    from assessments.boardpaper.pdf import html_to_pdf
    from assessments.boardpaper.selectors import paper_content
    from assessments.boardpaper.services import TEMPLATE, page_words
    from assessments.results.selectors import PARTNER

    round = scratch.latest_round(args, prefix=f"Paper{args.agencies}x{args.rounds}",
                                 fresh=fresh)
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
