"""Load on gunicorn and PostgreSQL: six pages and a submit, each as a share of a bare view.

    .venv/bin/python benchmarks/bench_load.py [--clients 8 --requests 200 --workers 2
                                               --submits 40 --rounds 3
                                               --mode single|scale-out|both]

Creates a scratch PostgreSQL database (``bluelight_load`` on 127.0.0.1:5432, user
postgres; dropped and made anew), migrates it, seeds one partnership of 10
agencies with a submitted round and an open one (the lead's), plus a partnership
of ``--submits`` agencies per mode whose drafts are complete (each timed submit
uses one), collects static files, then serves the project with gunicorn in
production settings (``DJANGO_DEBUG=0``, a secret key, ``ALLOWED_HOSTS=127.0.0.1``)
on 127.0.0.1 only. Two-step verification is switched off for the run
(``BLUELIGHT_REQUIRE_2FA=0``; it concerns researchers and administrators only, and
every request here is a lead's).

Bounded loops of parallel clients (``--clients`` threads sharing ``--requests``
requests per page) time: the lead home, a questionnaire section (GET), the public
framework page, the results dashboard, a questionnaire save (POST) and a
questionnaire submit (POST, ``--submits`` of them), each right after the bare
``/healthz`` view (the floor), ``--rounds`` times. Each is printed as requests per
second, its share of the floor's throughput (the median of the rounds, with the
lowest and highest: a shared machine's speed drifts during a run, and a floor
timed just before each page moves with it), its 95th percentile latency, and the
goal beside it.

``--mode scale-out`` runs two gunicorn instances sharing PostgreSQL and Redis
(``redis://127.0.0.1:6379/2``, flushed first; ``--redis`` to change) behind a
round-robin client: each request goes to the next instance, with no sticky
sessions (a session made on one is used on the other). ``single`` uses the
default local-memory cache. Only loopback traffic; it stops by itself.
"""

import argparse
import itertools
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB = "bluelight_load"
PORTS = (8765, 8766)
PASSWORD = "bench-password"  # seed_benchmark's password for --lead
ENV = {
    **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "REDIS_URL"))},
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
    "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "load-benchmark-" + "x" * 40,
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_LOG_LEVEL": "WARNING", "BLUELIGHT_LOGIN_FAILURE_LIMIT": "1000",
    "BLUELIGHT_REQUIRE_2FA": "0",
}
# The goals: the least share of the bare view's throughput.
GOALS = {"lead home": 0.20, "questionnaire GET": 0.20, "framework page": 0.40,
         "results dashboard": 0.15, "questionnaire save": 0.08}

SEED_SUBMITS = """
from assessments.models import Agency, Membership, Partnership, Round
from assessments.questionnaire.services import AnswerInput, submission_for, submission_save
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from bluelight.roles import LEAD
lead = get_user_model().objects.get(username="load-lead")
m = Membership.objects.filter(leads=lead).select_related("partnership").first()
framework = Round.objects.filter(partnership=m.partnership).first().framework
Round.objects.create(partnership=m.partnership, framework=framework, title="Load round")
# Another lead submits: the load lead's home stays the size of one partnership.
lead = get_user_model().objects.create_user("submit-lead", password=PASSWORD)
lead.groups.add(Group.objects.get(name=LEAD))
codes = list(framework.items.values_list("code", flat=True))
for mode in ("single", "scale-out"):
    p = Partnership.objects.create(name=f"Submit {mode}", kind="shared_back_office")
    r = Round.objects.create(partnership=p, framework=framework, title=f"Submit {mode}")
    for k in range(N):
        a = Agency.objects.create(name=f"Submit {mode} agency {k:03d}", service="police",
                                  nation="England")
        Membership.objects.create(partnership=p, agency=a).leads.add(lead)
        s = submission_for(round=r, agency=a)
        submission_save(submission=s, user=lead, revision=s.revision,
                        answers={c: AnswerInput(1 + (k + i) % 5) for i, c in enumerate(codes)})
        s.refresh_from_db()
        print("DRAFT", mode, f"/rounds/{r.pk}/agencies/{a.pk}/submit/", s.revision)
"""


def manage(*args, capture=False, **extra):
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT,
                          env={**ENV, **extra}, check=True, text=True,
                          stdout=subprocess.PIPE if capture else subprocess.DEVNULL)
    return done.stdout


def prepare(static_root: str, submits: int) -> dict[str, list[tuple[str, str]]]:
    import psycopg2

    conn = psycopg2.connect("host=127.0.0.1 port=5432 user=postgres dbname=postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {DB}")
        cur.execute(f"CREATE DATABASE {DB}")
    conn.close()
    print("Migrating, loading the framework and seeding 1 partnership x 10 agencies…")
    manage("migrate", "--no-input")
    manage("load_framework")
    manage("seed_benchmark", "--partnerships", "1", "--agencies", "10", "--rounds", "1",
           "--lead", "load-lead", "--force")
    print(f"Seeding {submits} complete drafts per mode for the submits…")
    out = manage("shell", "-c", f"N = {submits}\nPASSWORD = {PASSWORD!r}\n" + SEED_SUBMITS,
                 capture=True)
    drafts: dict[str, list[tuple[str, str]]] = {"single": [], "scale-out": []}
    for line in out.splitlines():
        if not line.startswith("DRAFT "):
            continue
        _tag, mode, url, revision = line.split()
        drafts[mode].append((url, revision))
    manage("rebuild_snapshots")
    print("Collecting static files…")
    manage("collectstatic", "--no-input", DJANGO_STATIC_ROOT=static_root)
    return drafts


class Client:
    """Cookies kept by hand: production cookies are Secure, and this talks plain
    HTTP on loopback behind a pretend TLS proxy (X-Forwarded-Proto). With several
    servers, each request goes to the next one (round robin, no sticky sessions)."""

    def __init__(self, bases):
        self.cookies = {}
        self.bases = itertools.cycle(bases)

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        base = next(self.bases)
        headers = {"X-Forwarded-Proto": "https",
                   "Referer": base.replace("http://", "https://") + path,
                   "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        request = urllib.request.Request(base + path, data=body, headers=headers)  # noqa: S310
        opener = urllib.request.build_opener(NoRedirect)
        try:
            response = opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.read().decode(errors="replace")

    def login(self, username="load-lead"):
        _, page = self.request("/accounts/login/")
        status, _ = self.request("/accounts/login/", {
            "username": username, "password": PASSWORD,
            "csrfmiddlewaretoken": csrf(page)})
        assert status == 302, f"login failed ({status})"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def csrf(page):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def run(clients, total, work, bases, username="load-lead"):
    """Run ``work(client)`` ``total`` times over ``clients`` threads: requests per second,
    95th percentile latency (ms) and the number of failed requests."""
    per_thread = [Client(bases) for _ in range(clients)]
    for client in per_thread:
        client.login(username)
    latencies, errors, lock = [], [], threading.Lock()
    counter = iter(range(total))

    def loop(client):
        while True:
            with lock:
                i = next(counter, None)
                if i is None:
                    return
            elapsed, ok = work(client, i)
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors.append(elapsed)

    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(loop, per_thread))
    wall = time.perf_counter() - start
    return (len(latencies) / wall, statistics.quantiles(latencies, n=20)[-1] * 1000,
            len(errors))


def compare(label, rounds, floor_work, work, *, clients, total, bases, username="load-lead"):
    """The page against the bare view, ``rounds`` times, each time the floor right before
    the page (so that a machine getting busier or quieter during the run moves both):
    prints the median of the rounds' shares beside the goal, the page's and the floor's
    median throughput, the page's median p95 and its errors."""
    shares, pages, floors, p95s, errors = [], [], [], [], 0
    for _ in range(rounds):
        floor, _p95, _errors = run(clients, total, floor_work, bases)
        rps, p95, failed = run(clients, total, work, bases, username=username)
        shares.append(rps / floor)
        pages.append(rps)
        floors.append(floor)
        p95s.append(p95)
        errors += failed
    share = statistics.median(shares)
    goal = GOALS.get(label)
    verdict = "" if goal is None else (f"goal ≥ {goal:.0%}  " +
                                       ("met" if share >= goal else "NOT met"))
    spread = f"{min(shares):.1%}–{max(shares):.1%}" if rounds > 1 else ""
    print(f"  {label:<20} {statistics.median(pages):7.1f} req/s  floor "
          f"{statistics.median(floors):6.1f}  share {share:6.1%} ({spread:>13})  "
          f"p95 {statistics.median(p95s):6.1f} ms  errors {errors:<3} {verdict}")
    return share


def serve(ports, workers, static_root, extra):
    servers = [subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "bluelight.wsgi", "--bind",
         f"127.0.0.1:{port}", "--workers", str(workers), "--threads", "4",
         "--log-level", "warning"],
        cwd=ROOT, env={**ENV, "DJANGO_STATIC_ROOT": static_root, **extra}) for port in ports]
    for port in ports:
        for _ in range(150):
            try:
                if Client([f"http://127.0.0.1:{port}"]).request("/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
    return servers


def stop(servers):
    for server in servers:
        server.terminate()
    for server in servers:
        server.wait(timeout=30)


def measure(args, bases, drafts):
    probe = Client(bases)
    probe.login()
    _, listing = probe.request("/results/")
    dashboard = re.findall(r'href="(/rounds/\d+/results/)"', listing)[0]
    _, start = probe.request("/")
    # The open round (made last): its questionnaire is editable.
    questionnaire = max(set(re.findall(r'href="(/rounds/\d+/agencies/\d+/)', start)),
                        key=lambda u: int(u.split("/")[2]))
    section = questionnaire + "enablers/"
    for path in ("/", section, "/framework/", dashboard):  # warm every instance's caches
        for _ in bases:
            assert probe.request(path)[0] == 200, path

    def get(path):
        def work(client, _i):
            t = time.perf_counter()
            status, _ = client.request(path)
            return time.perf_counter() - t, status == 200
        return work

    def save(client, _i):
        _, page = client.request(section)
        revision = re.search(r'name="revision" value="(\d+)"', page).group(1)
        data = {"csrfmiddlewaretoken": csrf(page), "revision": revision, "action": "save"}
        data.update({f"E{i}-value": str(1 + (int(revision) + i) % 5) for i in range(1, 8)})
        t = time.perf_counter()
        status, text = client.request(section, data)
        # A save refused as stale (two clients, one draft) is a correct answer too.
        return time.perf_counter() - t, status == 302 or 'id="conflict"' in text

    def submit(client, i):
        url, revision = drafts[i]
        _, page = client.request("/framework/")
        data = {"csrfmiddlewaretoken": csrf(page), "revision": revision, "confirm": "on"}
        t = time.perf_counter()
        status, _text = client.request(url, data)
        return time.perf_counter() - t, status == 302

    n = len(bases)
    print(f"{n} gunicorn instance{'s' if n > 1 else ''} ({args.workers} workers x 4 threads"
          f" each) + PostgreSQL{' + Redis, round robin' if n > 1 else ''}; {args.clients} "
          f"clients, {args.requests} requests per page and per floor; share of the bare "
          f"view (/healthz) timed just before each page, median of {args.rounds} rounds "
          f"(lowest–highest):")
    floor = get("/healthz")
    for label, work in (("lead home", get("/")), ("questionnaire GET", get(section)),
                        ("framework page", get("/framework/")),
                        ("results dashboard", get(dashboard)),
                        ("questionnaire save", save)):
        compare(label, args.rounds, floor, work, clients=args.clients, total=args.requests,
                bases=bases)
    # Each submit uses up a draft: one round.
    compare("questionnaire submit", 1, floor, submit, clients=min(args.clients, len(drafts)),
            total=len(drafts), bases=bases, username="submit-lead")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--submits", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3,
                        help="floor-then-page rounds per page (the median share is kept)")
    parser.add_argument("--mode", choices=("single", "scale-out", "both"), default="both")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/2")
    args = parser.parse_args()
    if not shutil.which("gunicorn", path=str(Path(sys.executable).parent)):
        sys.exit("gunicorn is not installed in this environment (pip install -r requirements.txt)")
    static_root = tempfile.mkdtemp(prefix="bluelight-static-")
    try:
        drafts = prepare(static_root, args.submits)
        if args.mode in ("single", "both"):
            servers = serve(PORTS[:1], args.workers, static_root, {})
            try:
                measure(args, [f"http://127.0.0.1:{PORTS[0]}"], drafts["single"])
            finally:
                stop(servers)
        if args.mode in ("scale-out", "both"):
            import redis

            redis.Redis.from_url(args.redis).flushdb()
            servers = serve(PORTS, args.workers, static_root, {"REDIS_URL": args.redis})
            try:
                measure(args, [f"http://127.0.0.1:{p}" for p in PORTS], drafts["scale-out"])
            finally:
                stop(servers)
    finally:
        shutil.rmtree(static_root, ignore_errors=True)


if __name__ == "__main__":
    main()
