"""24 leads save at the same moment on SQLite, the default database: no errors, nothing lost.

Without ``transaction_mode: IMMEDIATE`` (and WAL with a busy timeout), two saves at
once failed with HTTP 500 "database is locked" in 5 of 6 trials: a transaction that
starts by reading and then writes cannot wait for another writer, SQLite refuses
it at once. Here the real settings serve a real SQLite file through gunicorn (two
worker processes, several threads each, so writers meet as in production); every
lead logs in, opens their own agency's section, waits until all have it open, and
all save together.

Runs in the SQLite leg only (skipped when DATABASE_URL points to PostgreSQL).
"""

import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.test_concurrency_postgres import SECTIONS, Browser, answers_for

ROOT = Path(__file__).resolve().parent.parent
LEADS = 24
PASSWORD = "concurrent-saves-password"

pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").split(":", 1)[0] not in ("", "sqlite"),
    reason="the SQLite leg only: DATABASE_URL points to another database")

SETUP = """
import json
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from assessments.models import Agency, Membership, Partnership, Round
from survey.models import Framework

framework = Framework.objects.get(code="esc-2015", version=1)
partnership = Partnership.objects.create(name="Crowd", kind="interoperability")
round_ = Round.objects.create(partnership=partnership, framework=framework, title="Load")
group, _ = Group.objects.get_or_create(name="Partnership lead")
people = []
for i in range({leads}):
    agency = Agency.objects.create(name=f"Crowd agency {{i:02d}}", service="fire")
    membership = Membership.objects.create(partnership=partnership, agency=agency)
    lead = get_user_model().objects.create_user(f"crowd{{i:02d}}", password="{password}")
    lead.groups.add(group)
    membership.leads.set([lead])
    people.append([lead.username, agency.pk])
print(json.dumps({{"round": round_.pk, "people": people}}))
"""

STORED = """
import json
from assessments.models import Answer
print(json.dumps([[a.submission.agency_id, a.item.code, a.value, a.comment]
                  for a in Answer.objects.select_related("submission", "item")]))
"""


def manage(env, *args):
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def last_json(output: str):
    """The JSON line a shell script printed (``shell`` may print other lines first)."""
    return json.loads(output.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def sqlite_site(tmp_path):
    """A migrated SQLite file with the framework and 24 leads, served by gunicorn."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "BLUELIGHT_", "DATABASE_URL"))}
    env.update(DATABASE_URL=f"sqlite:///{tmp_path / 'bluelight.sqlite3'}",
               BLUELIGHT_REQUIRE_2FA="0", DJANGO_LOG_LEVEL="WARNING")
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "load_framework")
    world = last_json(manage(env, "shell", "-c", SETUP.format(leads=LEADS, password=PASSWORD)))
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "bluelight.wsgi",
         "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "12",
         "--timeout", "120", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:  # both workers load Django (pandas, plotly): give them time
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=5):  # noqa: S310
                    break
            except OSError:
                assert server.poll() is None, server.stdout.read()
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        yield base, env, world
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()


def test_two_dozen_concurrent_saves_on_sqlite_all_land(sqlite_site):
    base, env, world = sqlite_site
    round_id, people = world["round"], world["people"]
    everyone_has_the_page = threading.Barrier(len(people), timeout=180)
    codes = SECTIONS["enablers"]

    def lead_saves(username, agency_id):
        browser = Browser(base)
        _, page = browser.request("/accounts/login/")
        status, _ = browser.request("/accounts/login/", {
            "username": username, "password": PASSWORD,
            "csrfmiddlewaretoken": browser.csrf(page)})
        assert status == 302, (username, status)
        url = f"/rounds/{round_id}/agencies/{agency_id}/enablers/"
        _, page = browser.request(url)
        revision = re.search(r'name="revision" value="(\d+)"', page).group(1)
        value = 1 + agency_id % 5
        everyone_has_the_page.wait()
        status, _ = browser.request(url, {
            "csrfmiddlewaretoken": browser.csrf(page), "revision": revision,
            "action": "save", **answers_for(codes, value, username)})
        return username, agency_id, value, status, browser.statuses

    with ThreadPoolExecutor(max_workers=len(people)) as pool:
        results = list(pool.map(lambda person: lead_saves(*person), people))

    errors = [(username, path, status) for username, _, _, _, statuses in results
              for path, status in statuses if status >= 400]
    assert not errors, errors
    assert all(status == 302 for *_, status, _ in results)

    stored = last_json(manage(env, "shell", "-c", STORED))
    by_agency = {}
    for agency_id, code, value, comment in stored:
        by_agency.setdefault(agency_id, {})[code] = (value, comment)
    for username, agency_id, value, _, _ in results:
        assert by_agency.get(agency_id) == {code: (value, f"{username} {code}")
                                            for code in codes}, username
