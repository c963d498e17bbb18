"""The results dashboard printed (board papers): content only, charts and tables whole."""

import pytest

from tests.conftest import full_answers

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def alpha(world, submit_answers):
    round_ = world.rounds["Alpha"]
    submit_answers(round_, world.agencies["Alpha Police"], full_answers(E2=1, O4=1))
    submit_answers(round_, world.agencies["Alpha Fire"], full_answers(E2=4, B3=5))
    return round_


def visible(page, selector):
    return page.locator(selector).first.is_visible()


def test_the_printed_dashboard_keeps_content_and_drops_the_page_furniture(browser_login,
                                                                          alpha):
    page = browser_login("alice")
    page.goto(f"/rounds/{alpha.pk}/results/")
    page.wait_for_selector("#chart-enablers .main-svg", state="attached")  # drawn, folded
    table = "figure.bl-chart table"
    # On screen: navigation shown, the charts' tables folded away.
    assert visible(page, "header nav") and visible(page, "footer")
    assert not visible(page, table)

    page.emulate_media(media="print")
    for furniture in ("header", "footer", ".bl-contents", ".breadcrumb"):
        assert not visible(page, furniture), furniture
    assert page.locator("main button:visible, main .btn:visible").count() == 0
    assert page.get_by_role("heading", level=1).inner_text() == "Results for Alpha"
    for chart in ("chart-enablers", "chart-barriers", "chart-themes"):
        assert visible(page, f"#{chart} .main-svg"), chart
    # Every chart's data table is printed open, its "show" control hidden.
    tables = page.locator(table)
    assert tables.count() >= 3
    assert all(tables.nth(i).is_visible() for i in range(tables.count()))
    assert not visible(page, "details > summary")
    # Tables are not cut off by their scrolling box, and are kept whole on a page.
    assert page.eval_on_selector(".table-responsive", "el => getComputedStyle(el).overflowX") \
        == "visible"
    assert page.eval_on_selector("tr", "el => getComputedStyle(el).breakInside") == "avoid"
    # Links are not followed by their addresses.
    after = page.eval_on_selector("main a[href]",
                                  "el => getComputedStyle(el, '::after').content")
    assert after in ("none", "normal")
