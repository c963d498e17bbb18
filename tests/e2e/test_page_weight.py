"""Page weight: a results dashboard costs at most 600 KB on the wire on a first visit
and at most 100 KB on a repeat visit, with static files served as in production.

The app runs in its own server thread with production static files: collectstatic
with whitenoise's CompressedManifestStaticFilesStorage (hashed names, gzip) into a
temporary STATIC_ROOT, served by the WhiteNoiseMiddleware of the settings (no
finders, no autorefresh). Chromium reports the bytes each response took on the wire
(Chrome DevTools Protocol, ``Network.loadingFinished``: headers and compressed body).
"""

import pytest
from django.core.management import call_command
from django.db import connections
from django.test.testcases import LiveServerThread
from django.urls import reverse

from tests.conftest import PASSWORD, full_answers

pytestmark = pytest.mark.django_db(transaction=True)

KB = 1024
FIRST_VISIT_BUDGET = 600 * KB
REPEAT_VISIT_BUDGET = 100 * KB
CHARTS = ("chart-enablers", "chart-barriers", "chart-themes")


@pytest.fixture
def production_server(settings, tmp_path):
    """The app with production static files, in a server thread; yields its base URL."""
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_AUTOREFRESH = False
    settings.WHITENOISE_USE_FINDERS = False
    call_command("collectstatic", interactive=False, verbosity=0)

    # An in-memory SQLite test database is shared with the server thread, as
    # Django's LiveServerTestCase does; any other database sees committed data.
    shared = {conn.alias: conn for conn in connections.all()
              if conn.vendor == "sqlite" and conn.is_in_memory_db()}
    for conn in shared.values():
        conn.inc_thread_sharing()
    # No static-files handler: the app's own WhiteNoiseMiddleware serves them,
    # built in the thread from the settings above.
    server = LiveServerThread("127.0.0.1", lambda app: app, connections_override=shared)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    try:
        yield f"http://127.0.0.1:{server.port}"
    finally:
        server.terminate()
        for conn in shared.values():
            conn.dec_thread_sharing()


class WireMeter:
    """Bytes received per response, as Chromium's network stack counts them."""

    def __init__(self, cdp):
        self.urls, self.cached, self.sizes = {}, set(), {}
        cdp.on("Network.requestWillBeSent",
               lambda e: self.urls.__setitem__(e["requestId"], e["request"]["url"][:100]))
        cdp.on("Network.requestServedFromCache", lambda e: self.cached.add(e["requestId"]))
        cdp.on("Network.loadingFinished",
               lambda e: self.sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
        cdp.send("Network.enable")

    def reset(self):
        self.urls.clear(), self.cached.clear(), self.sizes.clear()

    def responses(self) -> list[tuple[str, int]]:
        return [(self.urls.get(rid, rid), 0 if rid in self.cached else int(size))
                for rid, size in self.sizes.items()]

    def total(self) -> int:
        return sum(size for _, size in self.responses())

    def report(self) -> str:
        return "\n".join(f"{size:>9,} {url}" for url, size in
                         sorted(self.responses(), key=lambda r: -r[1]))


def visit(page, meter, url):
    meter.reset()
    page.goto(url)
    for chart in CHARTS:
        page.wait_for_selector(f"#{chart} .main-svg", state="attached")  # drawn, folded
    page.wait_for_load_state("networkidle")
    return meter.total()


def test_dashboard_first_and_repeat_visits_keep_to_the_budget(browser, world, submit_answers,
                                                              production_server):
    round_ = world.rounds["Alpha"]
    submit_answers(round_, world.agencies["Alpha Police"], full_answers(E2=1, O4=1, E7=None))
    submit_answers(round_, world.agencies["Alpha Fire"], full_answers(E2=4, B3=5))
    url = production_server + reverse("results:round", args=[round_.pk])

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    cdp = context.new_cdp_session(page)
    meter = WireMeter(cdp)

    page.goto(production_server + reverse("login"))
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(production_server + "/")
    cdp.send("Network.clearBrowserCache")  # the dashboard's first visit: nothing cached

    first = visit(page, meter, url)
    responses, first_report = meter.responses(), meter.report()
    plotly = [(u, size) for u, size in responses if "/vendor/plotly/" in u]
    assert len(plotly) == 1 and "plotly-cartesian.min." in plotly[0][0], plotly
    assert page.locator("#chart-enablers .trace.bars").count() == 2
    assert page.locator("#chart-barriers .hm, #chart-barriers image").count() >= 1
    assert first <= FIRST_VISIT_BUDGET, f"first visit {first:,} bytes:\n{meter.report()}"

    repeat = visit(page, meter, url)
    static = [(u, size) for u, size in meter.responses() if "/static/" in u and size]
    assert not static, f"static files fetched again on a repeat visit: {static}"
    assert repeat <= REPEAT_VISIT_BUDGET, f"repeat visit {repeat:,} bytes:\n{meter.report()}"
    assert not errors, errors
    print(f"\ndashboard: first visit {first:,} bytes, repeat visit {repeat:,} bytes\n"
          f"first visit:\n{first_report}\nrepeat visit:\n{meter.report()}")
    context.close()
