"""Real-browser tests: headless Chromium (Debian's) driven by Playwright, axe-core on every page.

Skipped with a clear message where Chromium is absent, except under CI, where
its absence is a failure. Run only these with ``make test PYTEST_ARGS="-m e2e"``.
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("BLUELIGHT_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
# WCAG 2.0/2.1/2.2 level A and AA rules of axe-core.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make around it are ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        message = f"Chromium not found at {CHROMIUM}: install Debian's chromium package."
        if os.environ.get("CI") == "true":
            pytest.fail(message + " Under CI the browser tests must run.")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS,
                                             headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280,
                                                                      "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    external = []
    page.on("request", lambda request: external.append(request.url)
            if not request.url.startswith((live_server.url, "data:", "blob:")) else None)
    yield page
    context.close()
    assert not external, f"pages made requests outside the app: {external}"


@pytest.fixture
def axe_check():
    """Run axe-core on the page; fail on any WCAG 2.x A or AA violation."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page, label=""):
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        violations = results.response["violations"]
        if violations:
            lines = [f"{v['id']} ({v['impact']}): {v['help']} — "
                     + "; ".join(n["target"][0] if isinstance(n["target"][0], str)
                                 else str(n["target"][0]) for n in v["nodes"][:5])
                     for v in violations]
            pytest.fail(f"axe found WCAG violations on {label or page.url}:\n"
                        + "\n".join(lines))
        return results

    return check


@pytest.fixture
def browser_login(page, world):
    """Log in through the real login page."""
    from tests.conftest import PASSWORD

    def login(username):
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_url("**/")
        return page

    return login
