"""A KPI page in a real browser: chart drawn, axe finds nothing, a phone (375 px) fits;
recording a value through the form."""

from datetime import date
from decimal import Decimal

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def cost(world):
    from assessments.kpis import services

    kpi = services.kpi_create(partnership=world.partnerships["Alpha"], user=world.user("alice"),
                              fields={"name": "Back-office cost", "unit": "£k",
                                      "direction": "lower", "baseline": Decimal("100"),
                                      "baseline_on": date(2025, 12, 31),
                                      "target": Decimal("80"), "target_on": date(2027, 12, 31),
                                      "period": "quarterly", "option_codes": ["O1"],
                                      "reporter": world.agencies["Alpha Police"]})
    for start, value in [(date(2026, 1, 1), 99), (date(2026, 4, 1), 92)]:
        services.value_record(kpi=kpi, user=world.user("alice"), period_start=start,
                              value=Decimal(value))
    return kpi


def test_the_kpi_page_on_a_phone(browser_login, cost, axe_check):
    page = browser_login("alice")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"/partnerships/{cost.partnership_id}/kpis/")
    axe_check(page, "KPI list (375 px)")
    page.get_by_role("link", name="Back-office cost").click()
    page.wait_for_selector("#chart-kpi .main-svg", state="attached")
    assert page.get_by_role("heading", level=1).inner_text() == "Back-office cost"
    assert "On track" in page.locator("#status").inner_text()
    axe_check(page, "KPI page (375 px)")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"

    page.get_by_role("link", name="Record a value").click()
    axe_check(page, "record a value (375 px)")
    page.get_by_label("Period").select_option(label="2026 Q3")
    page.get_by_label("Value (£k)").fill("97")
    page.get_by_role("button", name="Record the value").click()
    page.wait_for_selector("#status")
    assert "Off track" in page.locator("#status").inner_text()  # 97 is above the line
