"""Switching to Welsh in a real browser: same page, Welsh text, lang attributes, axe clean."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_lead_switches_the_questionnaire_to_welsh_and_back(browser_login, world, axe_check):
    page = browser_login("bob")
    path = (f"/rounds/{world.rounds['Alpha'].pk}/agencies/{world.agencies['Alpha Fire'].pk}"
            "/enablers/")
    page.goto(path)
    assert "Evidence (optional)" in page.inner_text("main")

    page.get_by_role("button", name="Cymraeg").click()
    page.wait_for_selector("html[lang=cy]")
    assert page.url.endswith(path)
    main = page.inner_text("main")
    assert "Adran 1 o 3" in main
    assert "Tystiolaeth (dewisol)" in main
    assert page.get_by_role("button", name="Cadw'r drafft").is_visible()
    # The way back is named in English, and marked as English for screen readers.
    back = page.get_by_role("button", name="English")
    assert back.get_attribute("lang") == "en-GB"
    axe_check(page, "questionnaire in Welsh")

    back.click()
    page.wait_for_selector("html[lang=en-gb]")
    assert page.url.endswith(path)
    assert "Evidence (optional)" in page.inner_text("main")
