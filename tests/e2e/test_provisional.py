"""Provisional results in a real browser: the banner at the top says what it means and who
is still to submit; it goes once the round is closed with every agency in; axe is clean."""

import pytest

from assessments.models import Agency, Membership
from tests.conftest import full_answers

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def alpha(world, submit_answers):
    round_ = world.rounds["Alpha"]
    submit_answers(round_, world.agencies["Alpha Police"], full_answers(E2=1))
    submit_answers(round_, world.agencies["Alpha Fire"], full_answers(E2=4))
    return round_


def banner(page):
    return page.get_by_role("region", name="Provisional results")


def test_the_banner_says_the_results_are_provisional_and_who_is_still_to_submit(
        browser_login, alpha, axe_check):
    late = Agency.objects.create(name="Alpha Ambulance", service="ambulance")
    Membership.objects.create(partnership=alpha.partnership, agency=late)
    page = browser_login("alice")
    page.goto(f"/rounds/{alpha.pk}/results/")
    shown = banner(page)
    assert shown.is_visible()
    text = shown.inner_text()
    assert "These results may still change" in text
    assert "The round is still open" in text
    assert "1 agency of the partnership has not submitted yet: Alpha Ambulance." in text
    # At the top: above the summary, in the first screen.
    box = shown.bounding_box()
    assert box["y"] < page.locator("#summary").bounding_box()["y"]
    assert box["y"] + box["height"] < 900
    axe_check(page, "provisional results")

    page.set_viewport_size({"width": 375, "height": 800})
    assert banner(page).is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    axe_check(page, "provisional results (phone)")


def test_no_banner_once_the_round_is_closed_with_every_agency_in(browser_login, alpha,
                                                                 axe_check):
    alpha.status = "closed"
    alpha.save()
    page = browser_login("alice")
    page.goto(f"/rounds/{alpha.pk}/results/")
    page.wait_for_selector("#summary")
    assert banner(page).count() == 0
    axe_check(page, "final results")
