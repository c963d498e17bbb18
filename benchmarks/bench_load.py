"""Load on gunicorn and PostgreSQL: questionnaire saves and the dashboard beside a bare view.

    .venv/bin/python benchmarks/bench_load.py [--clients 8 --requests 200 --workers 2]

Creates a scratch PostgreSQL database (``bluelight_load`` on 127.0.0.1:5432, user
postgres; dropped and made anew), migrates it, seeds one partnership of 10
agencies with a submitted round and an open one, collects static files, then
serves the project with gunicorn in production settings on 127.0.0.1 only.
Bounded loops of parallel clients (``--clients`` threads sharing ``--requests``
requests per endpoint) time three endpoints: the bare ``/healthz`` view (the floor), the
results dashboard, and a questionnaire save (a POST of one section with the
current revision). Prints requests per second and the 95th percentile latency
of each, and their ratios to the floor. Only loopback traffic; it stops by itself.
"""

import argparse
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
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = "bench-password"  # seed_benchmark's password for --lead
ENV = {
    **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
    "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "load-benchmark-" + "x" * 40,
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DJANGO_LOG_LEVEL": "WARNING", "BLUELIGHT_LOGIN_FAILURE_LIMIT": "1000",
}


def manage(*args, **extra):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**ENV, **extra},
                   check=True, stdout=subprocess.DEVNULL)


def prepare(static_root: str) -> None:
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
    # An open round for the lead's agency, for the questionnaire saves.
    manage("shell", "-c", (
        "from assessments.models import Membership, Round; "
        "m = Membership.objects.filter(leads__username='load-lead').first(); "
        "r = Round.objects.filter(partnership=m.partnership).first(); "
        "Round.objects.create(partnership=m.partnership, framework=r.framework, "
        "title='Load round')"))
    print("Collecting static files…")
    manage("collectstatic", "--no-input", DJANGO_STATIC_ROOT=static_root)


class Client:
    """Cookies kept by hand: production cookies are Secure, and this talks plain
    HTTP on loopback behind a pretend TLS proxy (X-Forwarded-Proto)."""

    def __init__(self):
        self.cookies = {}

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        headers = {"X-Forwarded-Proto": "https", "Referer": f"https://127.0.0.1:{PORT}{path}",
                   "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        request = urllib.request.Request(BASE + path, data=body, headers=headers)  # noqa: S310
        opener = urllib.request.build_opener(NoRedirect)
        try:
            response = opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, response.read().decode(errors="replace")

    def login(self):
        _, page = self.request("/accounts/login/")
        status, _ = self.request("/accounts/login/", {
            "username": "load-lead", "password": PASSWORD,
            "csrfmiddlewaretoken": csrf(page)})
        assert status == 302, f"login failed ({status})"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def csrf(page):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def run(label, clients, total, work):
    """Run ``work(client)`` ``total`` times over ``clients`` threads; returns figures."""
    per_thread = [Client() for _ in range(clients)]
    for client in per_thread:
        client.login()
    latencies, errors, lock = [], [], threading.Lock()
    counter = iter(range(total))

    def loop(client):
        while True:
            with lock:
                if next(counter, None) is None:
                    return
            elapsed, ok = work(client)
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors.append(elapsed)

    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(loop, per_thread))
    wall = time.perf_counter() - start
    p95 = statistics.quantiles(latencies, n=20)[-1] * 1000
    rps = len(latencies) / wall
    print(f"  {label:<22} {rps:8.1f} req/s   p95 {p95:7.1f} ms   errors {len(errors)}")
    return rps, p95


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if not shutil.which("gunicorn", path=str(Path(sys.executable).parent)):
        sys.exit("gunicorn is not installed in this environment (pip install -r requirements.txt)")
    static_root = tempfile.mkdtemp(prefix="bluelight-static-")
    prepare(static_root)
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "bluelight.wsgi", "--bind",
         f"127.0.0.1:{PORT}", "--workers", str(args.workers), "--threads", "4",
         "--log-level", "warning"],
        cwd=ROOT, env={**ENV, "DJANGO_STATIC_ROOT": static_root})
    try:
        for _ in range(100):
            try:
                if Client().request("/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        probe = Client()
        probe.login()
        _, home = probe.request("/results/")
        dashboard = re.findall(r'href="(/rounds/\d+/results/)"', home)[0]
        _, start = probe.request("/")
        questionnaire = re.findall(r'href="(/rounds/\d+/agencies/\d+/)', start)[0]
        section = questionnaire + "enablers/"

        def bare(client):
            t = time.perf_counter()
            status, _ = client.request("/healthz")
            return time.perf_counter() - t, status == 200

        def view_dashboard(client):
            t = time.perf_counter()
            status, _ = client.request(dashboard)
            return time.perf_counter() - t, status == 200

        def save(client):
            _, page = client.request(section)
            revision = re.search(r'name="revision" value="(\d+)"', page).group(1)
            data = {"csrfmiddlewaretoken": csrf(page), "revision": revision, "action": "save"}
            data.update({f"E{i}-value": str(1 + (int(revision) + i) % 5) for i in range(1, 8)})
            t = time.perf_counter()
            status, text = client.request(section, data)
            # A save refused as stale (two clients, one draft) is a correct answer too.
            return time.perf_counter() - t, status == 302 or 'id="conflict"' in text

        print(f"gunicorn ({args.workers} workers x 4 threads) + PostgreSQL, {args.clients} "
              f"clients, {args.requests} requests per endpoint:")
        floor = run("bare view (floor)", args.clients, args.requests, bare)
        dash = run("results dashboard", args.clients, args.requests, view_dashboard)
        saves = run("questionnaire save", args.clients, args.requests, save)
        print("Ratios to the bare view (throughput: floor / endpoint; p95: endpoint / floor):")
        for label, (rps, p95) in (("results dashboard", dash), ("questionnaire save", saves)):
            print(f"  {label:<22} throughput x{floor[0] / rps:5.1f}   p95 x{p95 / floor[1]:5.1f}")
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)


if __name__ == "__main__":
    main()
