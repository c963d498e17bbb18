"""50 leads at once against a live server on PostgreSQL: nothing lost, nothing merged.

25 agencies with two leads each. Both leads of an agency open the same draft
and save different answers at the same moment: exactly one save lands, the
other is refused (the conflict page), never merged. The lead whose save landed
then completes and submits. Afterwards every submission is complete and holds
exactly what its lead sent, and no request failed with a server error.

Runs in CI's PostgreSQL leg (row locks); skipped on SQLite, which serialises
writers differently.
"""

import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.cookiejar import CookieJar

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.db import connection
from django.test.testcases import LiveServerThread, _StaticFilesHandler

from assessments.models import (
    Agency,
    Membership,
    Partnership,
    Round,
    Submission,
    SubmittedAnswer,
)
from tests.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True)

AGENCIES = 25
SECTIONS = {"enablers": [f"E{i}" for i in range(1, 8)],
            "barriers": [f"B{i}" for i in range(1, 7)],
            "options": [f"O{i}" for i in range(1, 21)]}


class RoomyServer(ThreadedWSGIServer):
    # Django's test server queues 10 connections; 50 leads connect at once.
    request_queue_size = 256


class RoomyServerThread(LiveServerThread):
    server_class = RoomyServer


@pytest.fixture
def server(transactional_db):
    """A live server of our own whose listen queue takes 50 clients at once."""
    thread = RoomyServerThread("127.0.0.1", _StaticFilesHandler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """A minimal HTTP client with cookies and CSRF, recording every status it sees."""

    def __init__(self, base):
        self.base = base
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  NoRedirect)
        self.statuses = []

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body,  # noqa: S310 (http only)
                                         headers={"Referer": self.base + path})
        try:
            with self.opener.open(request, timeout=60) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode(errors="replace")
        self.statuses.append((path, status))
        return status, text

    def csrf(self, text):
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text).group(1)

    def login(self, username):
        _, page = self.request("/accounts/login/")
        status, _ = self.request("/accounts/login/", {
            "username": username, "password": PASSWORD, "csrfmiddlewaretoken": self.csrf(page)})
        assert status == 302, f"{username} could not log in ({status})"


def answers_for(codes, value, note):
    data = {}
    for code in codes:
        data[f"{code}-value"] = str(value)
        data[f"{code}-comment"] = f"{note} {code}"
    return data


@pytest.fixture
def crowd(framework):
    partnership = Partnership.objects.create(name="Crowd", kind="interoperability")
    round_ = Round.objects.create(partnership=partnership, framework=framework, title="Load")
    pairs = []
    for i in range(AGENCIES):
        agency = Agency.objects.create(name=f"Crowd agency {i:02d}", service="fire")
        membership = Membership.objects.create(partnership=partnership, agency=agency)
        leads = [make_user(f"crowd{i:02d}{side}", "Partnership lead") for side in "ab"]
        membership.leads.set(leads)
        pairs.append((agency, leads))
    return round_, pairs


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="needs PostgreSQL row locks (CI runs the suite on PostgreSQL too)")
def test_fifty_leads_save_and_submit_in_parallel(server, crowd):
    round_, pairs = crowd
    jobs = [(agency, lead, side) for agency, leads in pairs
            for side, lead in zip("ab", leads, strict=True)]
    everyone_has_the_page = threading.Barrier(len(jobs), timeout=120)

    def lead_session(agency, lead, side):
        browser = Browser(server)
        browser.login(lead.username)
        base = f"/rounds/{round_.pk}/agencies/{agency.pk}/"
        _, page = browser.request(base + "enablers/")
        revision = re.search(r'name="revision" value="(\d+)"', page).group(1)
        value, note = (4, f"{lead.username} says") if side == "a" else (2, f"{lead.username} says")
        everyone_has_the_page.wait()  # both leads of each agency hold revision 0
        status, text = browser.request(base + "enablers/", {
            "csrfmiddlewaretoken": browser.csrf(page), "revision": revision, "action": "save",
            **answers_for(SECTIONS["enablers"], value, note)})
        if status != 302:
            assert status == 200 and 'id="conflict"' in text, (lead.username, status)
            return browser, lead, None
        # This lead's save landed: complete the other sections and submit.
        for section in ("barriers", "options"):
            _, page = browser.request(base + f"{section}/")
            revision = re.search(r'name="revision" value="(\d+)"', page).group(1)
            status, _ = browser.request(base + f"{section}/", {
                "csrfmiddlewaretoken": browser.csrf(page), "revision": revision,
                "action": "save", **answers_for(SECTIONS[section], value, note)})
            assert status == 302, (lead.username, section, status)
        _, page = browser.request(base + "review/")
        revision = re.search(r'name="revision" value="(\d+)"', page).group(1)
        status, _ = browser.request(base + "submit/", {
            "csrfmiddlewaretoken": browser.csrf(page), "revision": revision, "confirm": "on"})
        assert status == 302, (lead.username, "submit", status)
        return browser, lead, (value, note)

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        results = list(pool.map(lambda job: lead_session(*job), jobs))

    server_errors = [(r[1].username, path, status) for r in results
                     for path, status in r[0].statuses if status >= 500]
    assert not server_errors
    winners = {}
    for (agency, _lead, _side), (_browser, lead, sent) in zip(jobs, results, strict=True):
        if sent is not None:
            assert agency.pk not in winners, f"both leads of {agency} saved from revision 0"
            winners[agency.pk] = (lead, sent)
    assert len(winners) == AGENCIES, "one lead of every agency saved and submitted"

    all_codes = [code for codes in SECTIONS.values() for code in codes]
    for agency, _leads in pairs:
        lead, (value, note) = winners[agency.pk]
        submission = Submission.objects.get(round=round_, agency=agency)
        assert submission.status == "submitted" and submission.submitted_by == lead
        stored = {a.item.code: (a.value, a.comment) for a in
                  SubmittedAnswer.objects.filter(submission=submission).select_related("item")}
        assert stored == {code: (value, f"{note} {code}") for code in all_codes}
