"""The whole loop of issue 14 in one browser, for partnership Alpha: round 1 results →
adopt two actions from the action plan → record a KPI's values for four quarters → share
a lesson, an administrator publishes it → round 2 results show which action moved its
factor, and partnership Beta's dashboard links to the lesson. axe-core checks each new
kind of page on the way, and the round 2 actions section at phone width (375 px).

Answers are submitted through the ORM (the questionnaire has its own journey test);
everything a lead or the administrator does in the loop is done through the pages.
"""

import re
from datetime import date
from urllib.parse import urlsplit

import pytest

from tests.conftest import full_answers

pytestmark = pytest.mark.django_db(transaction=True)

# Round 1: two enablers need work (answers 2 from both agencies: average 2, weak), so
# the action plan has exactly two points; everything else is strong or a minor barrier.
WEAK_ENABLERS = {"E3": 2, "E5": 2}
KPI_VALUES = [("2026 Q1", "98"), ("2026 Q2", "95"), ("2026 Q3", "93"), ("2026 Q4", "89")]


@pytest.fixture
def loop(world, submit_answers):
    """Round 1 of Alpha and Beta's round with both agencies' answers submitted, and their
    snapshots taken, as in real use."""
    from assessments.results.snapshots import round_snapshot_refresh

    alpha = world.rounds["Alpha"]
    alpha.opens_on = date(2026, 3, 1)  # round 2 opens later (today)
    alpha.save()
    for agency in ("Alpha Police", "Alpha Fire"):
        submit_answers(alpha, world.agencies[agency], full_answers(**WEAK_ENABLERS))
    round_snapshot_refresh(round=alpha)
    beta = world.rounds["Beta"]
    for agency in ("Beta Ambulance", "Beta Fire"):
        submit_answers(beta, world.agencies[agency], full_answers())
    round_snapshot_refresh(round=beta)
    return world


def log_out(page, username):
    page.get_by_role("button", name=f"Account: {username}").click()
    page.get_by_role("button", name=f"Log out {username}").click()
    page.wait_for_url("**/")


def main_text(page):
    return page.inner_text("main")


def adopt_first_open_point(page, round_id, owner, due):
    """On round ``round_id``'s dashboard, adopt the first action-plan point not yet
    adopted; set its owner agency and due date on the action's page. Returns
    (factor code, action page path)."""
    page.goto(f"/rounds/{round_id}/results/")
    button = page.locator("#action-plan .bl-adopt").get_by_role(
        "button", name=re.compile("^Adopt this action")).first
    factor = button.get_attribute("value")
    button.click()
    page.wait_for_selector("#action-form")
    assert "Action adopted" in main_text(page)
    page.get_by_label("Owner agency").select_option(label=owner)
    page.get_by_label("Due").fill(due)
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_selector("text=Changes saved.")
    about = page.inner_text("#about")
    assert owner in about
    return factor, urlsplit(page.url).path


def test_one_partnership_through_the_loop(browser_login, page, loop, submit_answers,
                                          axe_check):
    from assessments.models import Round
    from assessments.questionnaire.services import round_close
    from assessments.results.snapshots import round_snapshot_refresh

    world = loop
    alpha = world.partnerships["Alpha"]
    round1 = world.rounds["Alpha"]

    # ------------------------------------------------ 1. round 1 results: adopt two actions
    browser_login("alice")
    page.goto(f"/rounds/{round1.pk}/results/")
    plan = page.inner_text("#action-plan")
    assert plan.count("Adopt this action") == 2, plan
    axe_check(page, "round 1 dashboard with its action plan")
    first_factor, first_url = adopt_first_open_point(page, round1.pk, "Alpha Fire",
                                                     "2027-03-31")
    axe_check(page, "an action's page")
    second_factor, _ = adopt_first_open_point(page, round1.pk, "Alpha Police",
                                              "2027-06-30")
    assert {first_factor, second_factor} == set(WEAK_ENABLERS)

    page.goto(f"/rounds/{round1.pk}/results/")
    plan = page.inner_text("#action-plan")
    assert plan.count("Adopted:") == 2 and "Adopt this action" not in plan, plan
    actions = page.inner_text("#actions")
    assert actions.count("Adopted from these results") == 2, actions
    assert "Alpha Fire" in actions and "due 31 March 2027" in actions
    assert "Alpha Police" in actions and "due 30 June 2027" in actions
    axe_check(page, "round 1 dashboard with two adopted actions")

    # ------------------------------------------------ 2. a KPI and four quarters of values
    page.goto("/")
    page.get_by_role("link", name="KPIs of Alpha").click()
    page.get_by_role("link", name="Add a KPI").click()
    page.get_by_label("Name").fill("Back-office cost per quarter")
    page.get_by_label("Unit").fill("£k")
    page.get_by_label("Lower is better").check()
    page.get_by_label("Baseline*", exact=True).fill("100")  # "*": crispy's "required"
    page.get_by_label("Baseline date").fill("2025-12-31")
    page.get_by_label("Target*", exact=True).fill("80")
    page.get_by_label("Target date").fill("2027-12-31")
    page.get_by_label("Quarterly").check()
    page.get_by_label("O1 More single (shared) back offices").check()
    page.get_by_label("Agency that reports it").select_option(label="Alpha Police")
    page.get_by_role("button", name="Add the KPI").click()
    page.wait_for_selector("#status")
    assert page.get_by_role("heading", level=1).inner_text() == "Back-office cost per quarter"
    assert "No data" in page.inner_text("#status")
    for period, value in KPI_VALUES:
        page.get_by_role("link", name="Record a value").click()
        page.get_by_label("Period").select_option(label=period)
        page.get_by_label("Value (£k)").fill(value)
        page.get_by_label("Source").fill("Finance ledger")
        page.get_by_role("button", name="Record the value").click()
        page.wait_for_selector(f"text=The value for {period} was recorded.")
    page.wait_for_selector("#chart-kpi .main-svg", state="attached")
    rows = page.locator("#values-table tbody tr")
    assert rows.count() == 4
    table = page.inner_text("#values-table")
    for period, value in KPI_VALUES:
        assert re.search(rf"{period}\s+{value}(\.0+)? £k", table), (period, table)
    # Lower is better; 89 at the end of 2026 is below the line from 100 to 80 (90).
    assert "On track" in page.inner_text("#status")
    axe_check(page, "KPI page with four quarters")

    # ------------------------------------------------ 3. a lesson, shared without the name
    page.goto("/")
    page.get_by_role("link", name="Lessons of Alpha").click()
    page.get_by_role("link", name="Record a lesson").click()
    page.get_by_label("Title").fill("One finance team for two services")
    page.get_by_label("What we tried").fill("A single finance team serving police and fire.")
    page.get_by_label("O1 More single (shared) back offices").check()
    page.get_by_label("What happened").fill("Quarterly costs fell within the first year.")
    page.get_by_label("Tried from").fill("2026-01-01")
    page.get_by_role("button", name="Save").click()
    page.wait_for_selector("text=Lesson saved.")
    page.get_by_role("link", name="Share it with other partnerships").click()
    axe_check(page, "share a lesson")
    page.get_by_label("Without our name", exact=False).check()
    page.get_by_role("button", name="Share it for review").click()
    page.wait_for_selector("text=an administrator will review it")
    assert "It will appear without your name" in main_text(page)
    log_out(page, "alice")

    browser_login("adam")
    page.goto("/what-works/review/")
    assert "One finance team for two services" in main_text(page)
    axe_check(page, "review queue")
    page.get_by_role("link", name="One finance team for two services").click()
    page.get_by_label("Publish it in the library").check()
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_selector("text=Published: it is now in the library.")
    assert "One finance team for two services" not in main_text(page)  # queue empty
    log_out(page, "adam")

    # ------------------------------------------------ 4. the first action is done
    browser_login("alice")
    page.goto(first_url)
    page.get_by_label("Status").select_option(label="Done")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_selector("text=Changes saved.")
    assert re.search(r"Done on \d+ \w+ \d{4}", main_text(page))

    # ------------------------------------------------ 5. round 2: the first factor moved
    round_close(round=round1)
    round2 = Round.objects.create(partnership=alpha, framework=world.framework,
                                  title="Alpha round 2", opens_on=date(2026, 12, 1))
    answers = full_answers(**{first_factor: 5, second_factor: 2})
    for agency in ("Alpha Police", "Alpha Fire"):
        submit_answers(round2, world.agencies[agency], answers)
    round_snapshot_refresh(round=round2)

    page.goto(f"/rounds/{round2.pk}/results/")
    section = page.locator("#actions")
    intro = section.inner_text()
    assert "in Alpha round 1 (before) and in Alpha round 2 (after)" in intro, intro
    moved = section.locator("li.card").filter(has_text=f"{first_factor} ")
    stayed = section.locator("li.card").filter(has_text=f"{second_factor} ")
    moved_text, stayed_text = moved.inner_text(), stayed.inner_text()
    assert "Moved: its status improved" in moved_text, moved_text
    assert re.search(r"Before\s+average 2(\.0)?, enabler that needs work", moved_text), moved_text
    assert re.search(r"After\s+average 5(\.0)?, enabler in good shape", moved_text), moved_text
    assert "Done" in moved_text and "(moved up)" in moved_text, moved_text
    assert "No change" in stayed_text and "Moved" not in stayed_text, stayed_text
    assert "(moved up)" not in stayed_text, stayed_text
    assert re.search(r"Before\s+average 2(\.0)?, enabler that needs work", stayed_text)
    assert re.search(r"After\s+average 2(\.0)?, enabler that needs work", stayed_text)
    axe_check(page, "round 2 dashboard: did the actions work?")

    page.set_viewport_size({"width": 375, "height": 800})
    page.locator("#actions").scroll_into_view_if_needed()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    axe_check(page, "round 2 dashboard at 375 px")
    page.set_viewport_size({"width": 1280, "height": 900})
    log_out(page, "alice")

    # ------------------------------------------------ 6. Beta's dashboard links to it
    browser_login("carol")
    page.goto(f"/rounds/{world.rounds['Beta'].pk}/results/")
    card = page.locator("li.bl-option").filter(
        has=page.get_by_role("heading", name="O1 More single (shared) back offices"))
    link = card.get_by_role(
        "link", exact=True,
        name="1 lesson from other partnerships (O1 More single (shared) back offices)")
    assert link.count() == 1
    # Only O1's card links to a lesson: the library has no other.
    assert page.get_by_role("link", name=re.compile("lessons? from other partnerships")
                            ).count() == 1
    link.click()
    page.wait_for_url("**/what-works/**")
    library = main_text(page)
    assert "One finance team for two services" in library
    assert "A partnership of police and fire services in England" in library
    assert "Alpha" not in library, "an anonymous lesson never shows the partnership's name"
    axe_check(page, "the library, from Beta's dashboard")
    page.get_by_role("link", name="One finance team for two services").click()
    lesson = main_text(page)
    assert "A single finance team serving police and fire." in lesson
    assert "Alpha" not in lesson
