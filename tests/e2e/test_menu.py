"""The top menu fits a desktop screen for every role, in English and in Welsh."""

import pytest

ROLES = ["alice", "rita", "adam"]  # a lead, a researcher, an administrator


def overflowing(page):
    """Menu controls whose right edge is past the window (nothing should be)."""
    return page.evaluate("""() => {
        const width = document.documentElement.clientWidth;
        return [...document.querySelectorAll('#main-nav .nav-link, .navbar-brand')]
          .filter(el => el.offsetParent !== null)
          .filter(el => el.getBoundingClientRect().right > width)
          .map(el => el.textContent.trim());
    }""")


@pytest.mark.parametrize("width", [1280, 1366])
@pytest.mark.parametrize("username", ROLES)
def test_every_menu_item_is_on_screen(browser_login, page, username, width):
    page.set_viewport_size({"width": width, "height": 900})
    browser_login(username)
    for language_button in ("Cymraeg", "English"):
        assert overflowing(page) == [], f"{username} at {width}px"
        # every item is on one line: the bar is no taller than one row of links
        assert page.locator(".bl-navbar").bounding_box()["height"] < 80
        page.get_by_role("button", name=language_button).click()
        page.wait_for_load_state()


def test_log_out_is_reached_from_the_account_menu(browser_login, page, axe_check):
    browser_login("adam")
    page.get_by_role("button", name="Account: adam").click()
    axe_check(page, "account menu open")
    page.get_by_role("button", name="Log out adam").click()
    page.wait_for_url("**/")
    assert page.locator("#main-nav").get_by_role("link", name="Log in").is_visible()


def test_the_menu_folds_behind_a_button_on_a_phone(browser_login, page):
    page.set_viewport_size({"width": 375, "height": 800})
    browser_login("rita")
    assert not page.get_by_role("button", name="Research", exact=True).is_visible()
    page.get_by_role("button", name="Show or hide the menu").click()
    page.get_by_role("button", name="Research", exact=True).click()
    page.get_by_role("link", name="Across partnerships", exact=True).click()
    page.wait_for_url("**/research/")
    assert overflowing(page) == []
