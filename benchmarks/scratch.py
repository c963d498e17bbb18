"""A scratch database with one partnership to time, shared by the benchmarks that request
one round's pages (``bench_dashboard.py``, ``bench_board_paper.py``)."""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def add_arguments(p: argparse.ArgumentParser, *, background: int, repeat: int,
                  db: str) -> None:
    p.add_argument("--agencies", type=int, default=10)
    p.add_argument("--rounds", type=int, default=3, help="rounds of the partnership (trend)")
    p.add_argument("--background", type=int, default=background,
                   help="other partnerships seeded (5 agencies, 2 rounds each)")
    p.add_argument("--repeat", type=int, default=repeat)
    p.add_argument("--db", default=db)
    p.add_argument("--reuse", action="store_true",
                   help="use the database as it is if it was seeded before")


def setup(args) -> bool:
    """Point Django at the scratch SQLite file ``args.db`` (never the project's) and set
    it up; returns whether the file is new (to be seeded)."""
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
    return fresh


def latest_round(args, *, prefix: str, fresh: bool):
    """The latest round of the partnership ``prefix`` (``--agencies`` agencies, ``--rounds``
    rounds, all submitted, led by ``bench-lead``), seeding it and ``--background`` other
    partnerships first when they are not there."""
    from django.core.management import call_command

    from assessments.models import Round

    if fresh or not Round.objects.filter(partnership__name__startswith=prefix).exists():
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("load_framework", verbosity=0)
        if args.background:
            call_command("seed_benchmark", partnerships=args.background, agencies=5, rounds=2,
                         prefix=f"Background{time.time_ns()}", verbosity=0)
        call_command("seed_benchmark", partnerships=1, agencies=args.agencies,
                     rounds=args.rounds, prefix=prefix, lead="bench-lead", verbosity=0)
        print(f"Seeded {args.db} in {time.perf_counter() - started:.1f} s")
    return (Round.objects.filter(partnership__name__startswith=prefix)
            .select_related("partnership", "framework").order_by("-opens_on").first())
