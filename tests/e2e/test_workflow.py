"""The workflow pages in a real browser, with axe-core: starting from the last round's
answers, the section links, the review's Change links, and a round's progress."""

import datetime

import pytest

from assessments.models import Round
from tests.conftest import full_answers

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_lead_starts_from_last_rounds_answers(browser_login, world, submit_answers,
                                                axe_check):
    first = world.rounds["Alpha"]
    first.opens_on = datetime.date.today() - datetime.timedelta(days=400)
    first.status = Round.Status.CLOSED
    first.save()
    submit_answers(first, world.agencies["Alpha Fire"], full_answers(E1=2))
    Round.objects.create(partnership=world.partnerships["Alpha"], framework=world.framework,
                         title="Alpha round 2")
    page = browser_login("bob")
    page.get_by_role("link", name="Start: Alpha Fire, Alpha round 2").click()
    axe_check(page, "enablers with the offer")
    page.get_by_role("button", name="Copy the answers from our last round").click()
    main = page.inner_text("main")
    assert "Copied 33 answers from your last round." in main
    assert page.locator("#E1-prefilled").is_visible()
    assert page.locator("#E1-value-2").is_checked()
    axe_check(page, "enablers, prefilled")

    page.get_by_role("button", name="Save and continue to Barriers").click()
    assert "Confirmed 7 answers from your last round in Enablers." in page.inner_text("main")
    page.get_by_role("link", name="3. Collaboration options").click()
    assert "Section 3 of 3" in page.inner_text("main")
    page.get_by_role("link", name="Review and submit").click()
    assert "26 answers come from your last round" in page.inner_text("main")
    axe_check(page, "review, prefilled")
    page.get_by_role("link", name="Change O16").click()
    assert page.url.endswith("/options/#item-O16")


def test_a_lead_sees_the_rounds_progress_from_home(browser_login, world,
                                                   answer_all, axe_check):
    answer_all(world, "Alpha Fire", "bob", submit=True)
    page = browser_login("alice")
    page.get_by_role("link", name="Progress of the partners: Alpha, Alpha round 1").click()
    assert "1 of 2 agencies have submitted." in page.inner_text("main")
    axe_check(page, "progress")
    page.set_viewport_size({"width": 375, "height": 800})
    axe_check(page, "progress on a phone")
