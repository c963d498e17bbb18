"""The results dashboard in a real browser: the board's summary first, the detail folded
(and unfolded by keyboard), charts drawn, axe finds nothing, phones fit."""

import pytest

from tests.conftest import full_answers

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def alpha(world, submit_answers):
    round_ = world.rounds["Alpha"]
    submit_answers(round_, world.agencies["Alpha Police"], full_answers(E2=1, O4=1, E7=None),
                   comments={"E2": "Trust is thin at station level."})
    submit_answers(round_, world.agencies["Alpha Fire"], full_answers(E2=4, B3=5))
    return round_


def open_dashboard(page, round_):
    page.goto("/results/")
    page.get_by_role("link", name="See the results of Alpha round 1").click()
    page.wait_for_selector("#chart-enablers .main-svg", state="attached")
    assert page.get_by_role("heading", level=1).inner_text() == "Results for Alpha"
    return page


def unfold_the_charts(page):
    summary = page.locator("#charts details.bl-fold > summary")
    summary.focus()
    page.keyboard.press("Enter")  # a <summary> opens from the keyboard, no script needed
    assert page.locator("#charts details.bl-fold").get_attribute("open") is not None
    page.wait_for_selector("#chart-enablers .main-svg")


def test_lead_sees_the_dashboard_with_its_charts_drawn(browser_login, alpha, axe_check):
    page = open_dashboard(browser_login("alice"), alpha)
    # Folded at first: the board's summary leads.
    assert not page.locator("#chart-enablers").is_visible()
    axe_check(page, "results dashboard (lead, folded)")
    unfold_the_charts(page)
    for chart in ("chart-enablers", "chart-barriers", "chart-themes"):
        assert page.locator(f"#{chart} .main-svg").count() >= 1, chart
        assert page.get_by_role("img", name=page.locator(f"#{chart}")
                                .get_attribute("aria-label")).count() == 1
    # Unfolded, the chart fills its box (drawn while folded, fitted when opened).
    width = page.eval_on_selector("#chart-enablers", "el => el.getBoundingClientRect().width")
    svg = page.eval_on_selector("#chart-enablers .main-svg",
                                "el => el.getBoundingClientRect().width")
    assert abs(width - svg) < 2, (width, svg)
    # Two agencies' bars for each enabler (E7: only Fire answered).
    assert page.locator("#chart-enablers .trace.bars").count() == 2
    assert page.get_by_role("heading", name="Level 3").is_visible()
    page.get_by_text("Show the data as a table").first.click()
    assert page.get_by_role("table", name="Enablers by agency").is_visible()
    # Discuss these: the evidence beside the answer, for the partnership's lead.
    assert "Trust is thin at station level." in page.inner_text("#discuss")
    axe_check(page, "results dashboard (lead)")


def test_dashboard_fits_a_phone(browser_login, alpha, axe_check):
    page = browser_login("rita")
    page.set_viewport_size({"width": 375, "height": 800})
    open_dashboard(page, alpha)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert "Trust is thin at station level." not in page.inner_text("main")
    axe_check(page, "results dashboard (researcher, phone)")
    page.goto("/results/")
    axe_check(page, "results list")
