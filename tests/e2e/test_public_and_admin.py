"""Public pages and the administrator's framework versioning flow, in a real browser."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_framework_page_is_accessible_and_explains_the_levels(page, framework, axe_check):
    page.goto("/framework/")
    assert page.get_by_role("heading", level=1).inner_text() == "The collaboration framework"
    assert page.get_by_role("heading", name="Level 1").is_visible()
    assert "Police devolution" in page.inner_text("main")
    axe_check(page, "framework page")
    page.goto("/")
    axe_check(page, "home page")
    page.goto("/accounts/login/")
    axe_check(page, "login page")


def test_skip_link_moves_focus_to_the_main_content(page, framework):
    page.goto("/framework/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_administrator_creates_edits_and_publishes_a_new_version(browser_login, world,
                                                                axe_check):
    page = browser_login("adam")
    axe_check(page, "administrator's home")
    page.get_by_role("link", name="Open the administration").click()
    axe_check(page, "admin index")
    page.get_by_role("link", name="Frameworks", exact=True).click()
    page.locator("tr", has_text="Published").locator("input.action-select").check()
    page.locator("select[name=action]").select_option(label="Create new draft version")
    page.get_by_role("button", name="Go").click()
    assert "Created" in page.inner_text(".messagelist")
    axe_check(page, "framework list")

    page.goto("/admin/survey/item/?framework__id__exact="
              f"{world.framework.pk + 1}&kind__exact=enabler")
    page.get_by_role("link", name="E2").click()
    axe_check(page, "item change form")
    page.get_by_label("Help text").fill("Do crews trust each other across services?")
    page.get_by_role("button", name="Save", exact=True).click()
    assert "was changed successfully" in page.inner_text(".messagelist")

    page.goto("/admin/survey/framework/")
    page.locator("tr", has_text="Draft").locator("input.action-select").check()
    page.locator("select[name=action]").select_option(
        label="Publish (becomes current for new rounds)")
    page.get_by_role("button", name="Go").click()
    # Publishing asks first, showing what changed against the published version.
    assert "1 item changed" in page.inner_text("#content")
    axe_check(page, "publish confirmation")
    page.get_by_role("button", name="Yes, publish").click()
    assert "Rounds already opened keep their version" in page.inner_text(".messagelist")

    page.goto("/framework/")
    assert "version 2" in page.inner_text("main")
    assert "Do crews trust each other across services?" in page.inner_text("main")
    # The earlier version stays readable, as rounds opened on it still score with it.
    page.get_by_role("link", name="Version 1", exact=True).click()
    assert "This is an earlier version" in page.inner_text("#earlier-version")
    axe_check(page, "earlier framework version")
