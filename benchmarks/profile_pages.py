"""Where the time goes: five pages profiled in-process with the test client (cProfile).

    .venv/bin/python benchmarks/profile_pages.py [--db /tmp/profile.sqlite3 --repeat 30 --top 12]

Builds a scratch SQLite database (migrate, ``load_framework``, one partnership of 10
agencies with a submitted round and an open round for the lead), then requests, as
that lead, after a warm-up: the lead home, a questionnaire section (GET), the public
framework page, the results dashboard, and a questionnaire save (POST). For each it
prints the median server time, the query count, and the functions taking the most
cumulative time in the project's code and in Django's template engine.
"""

import argparse
import cProfile
import os
import pstats
import re
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", default="/tmp/profile.sqlite3")
    p.add_argument("--repeat", type=int, default=30)
    p.add_argument("--top", type=int, default=10)
    args = p.parse_args()
    db = Path(args.db).resolve()
    if db == (ROOT / "db.sqlite3").resolve():
        sys.exit("Refusing to use the project's database: pass a scratch --db.")
    if db.exists():
        db.unlink()
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bluelight.settings")
    os.environ["DJANGO_LOG_LEVEL"] = "WARNING"
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from assessments.models import Membership, Round

    call_command("migrate", verbosity=0)
    call_command("load_framework", verbosity=0)
    call_command("seed_benchmark", partnerships=1, agencies=10, rounds=1, prefix="Profile",
                 lead="bench-lead", verbosity=0)
    user = get_user_model().objects.get(username="bench-lead")
    m = Membership.objects.filter(leads=user).select_related("partnership", "agency").first()
    done = Round.objects.get(partnership=m.partnership)
    open_round = Round.objects.create(partnership=m.partnership, framework=done.framework,
                                      title="Profile open round")
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    section = f"/rounds/{open_round.pk}/agencies/{m.agency.pk}/enablers/"
    pages = {"lead home": "/", "questionnaire GET": section, "framework page": "/framework/",
             "results dashboard": f"/rounds/{done.pk}/results/"}
    settings.DEBUG = False

    def save():
        page = client.get(section).content.decode()
        revision = re.search(r'name="revision" value="(\d+)"', page).group(1)
        data = {"revision": revision, "action": "save"}
        data.update({f"E{i}-value": str(1 + (int(revision) + i) % 5) for i in range(1, 8)})
        return lambda: client.post(section, data)

    for label, url in [*pages.items(), ("questionnaire save (POST)", None)]:
        def call(url=url):
            return (save() if url is None else (lambda: client.get(url)))
        response = call()()  # warm-up
        assert response.status_code in (200, 302), (label, response.status_code)
        request, queries = call(), []

        def log(execute, sql, *rest, queries=queries):
            queries.append(sql)
            return execute(sql, *rest)

        with connection.execute_wrapper(log):
            request()
        times, profile = [], cProfile.Profile()
        for _ in range(args.repeat):
            request = call()
            t = time.perf_counter()
            profile.enable()
            request()
            profile.disable()
            times.append((time.perf_counter() - t) * 1000)
        print(f"\n== {label}: median {statistics.median(times):.1f} ms, "
              f"{len(queries)} queries")
        stats = pstats.Stats(profile)
        rows = []
        for (file, line, fn), (_cc, _nc, _tt, ct, _callers) in stats.stats.items():
            wrappers = ("middleware.py", "profile_pages.py", "roles.py")
            interesting = (str(ROOT) in file and ".venv" not in file
                           and not file.endswith(wrappers)) or (
                file.endswith("django/template/backends/django.py") and fn == "render")
            if interesting:
                rows.append((ct, f"{Path(file).name}:{line} {fn}"))
        for ct, where in sorted(rows, reverse=True)[:args.top]:
            print(f"   {ct / args.repeat * 1000:7.2f} ms  {where}")


if __name__ == "__main__":
    main()
