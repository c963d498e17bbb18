"""The whole journey in one browser: two agencies' leads answer and submit, then the dashboard.

A lead answers part of the questionnaire, saves, logs out, comes back and finds
every answer and comment; completes and submits. A second agency's lead does
the same. The partnership's dashboard then shows the tier board and draws its
charts. axe-core checks every page on the way.
"""

import re

import pytest

from assessments.models import Submission, SubmittedAnswer

pytestmark = pytest.mark.django_db(transaction=True)


def answer_unanswered(page, choice):
    """Tick answer ``choice`` (0-based: 0 is "1", 5 is "Don't know") wherever none is ticked."""
    for fieldset in page.locator("fieldset").all():
        if not fieldset.locator("input:checked").count():
            fieldset.locator("input[type=radio]").nth(choice).check()


def complete_and_submit(page, agency, choice):
    for _section in range(3):
        answer_unanswered(page, choice)
        page.get_by_role("button", name=re.compile("^Save and (continue|review)")).click()
    assert "33 of 33 answered" in page.inner_text("main")
    page.get_by_label(re.compile("I confirm these are my agency")).check()
    page.get_by_role("button", name=f"Submit {agency}'s answers").click()
    assert re.search(r"Submitted by \w+ on", page.inner_text("main"))


def log_out(page, username):
    page.get_by_role("button", name=f"Account: {username}").click()
    page.get_by_role("button", name=f"Log out {username}").click()
    page.wait_for_url("**/")


def test_two_leads_submit_and_the_partnership_sees_its_results(browser_login, world,
                                                                axe_check):
    # Alice (Alpha Police) answers two enablers with evidence, saves and leaves.
    page = browser_login("alice")
    page.get_by_role("link", name="Start: Alpha Police, Alpha round 1").click()
    page.locator("#E1-value-2").check()
    page.locator("#E2-value-4").check()
    page.locator("textarea[name$='E2-comment'], #E2-comment").first.fill(
        "Joint station visits since March <b>weekly</b>")
    page.get_by_role("button", name="Save draft").click()
    axe_check(page, "saved draft")
    log_out(page, "alice")

    # She comes back: every answer and her comment are there, exactly.
    page = browser_login("alice")
    assert "2 of 33 answered" in page.inner_text("main")
    page.get_by_role("link", name=re.compile("^Continue: Alpha Police")).click()
    assert page.locator("#E1-value-2").is_checked()
    assert page.locator("#E2-value-4").is_checked()
    assert page.locator("#E2-comment").input_value() == (
        "Joint station visits since March <b>weekly</b>")
    complete_and_submit(page, "Alpha Police", choice=3)  # 4 everywhere else
    axe_check(page, "submitted (alice)")
    log_out(page, "alice")

    # Bob (Alpha Fire) answers everything 4 and submits.
    page = browser_login("bob")
    page.get_by_role("link", name="Start: Alpha Fire, Alpha round 1").click()
    complete_and_submit(page, "Alpha Fire", choice=3)

    police = Submission.objects.get(agency=world.agencies["Alpha Police"])
    assert police.status == "submitted"
    assert SubmittedAnswer.objects.get(submission=police, item__code="E2").comment == (
        "Joint station visits since March <b>weekly</b>")

    # The dashboard, for Bob as for Alice: tiers and charts drawn.
    page.goto("/results/")
    page.get_by_role("link", name="See the results of Alpha round 1").click()
    page.wait_for_selector("#chart-enablers .main-svg", state="attached")  # drawn, folded
    main = page.text_content("main")  # the folded detail too
    assert re.search(r"2\s*of 2 agencies", main), "both submissions counted"
    for level in ("Level 1", "Level 2", "Level 3"):
        assert page.get_by_role("heading", name=re.compile(f"^{level}")).count() >= 1
    # E1 answered 2 by Police: weak, so options depending on E1 are not at Level 1.
    assert "E1 Clear and shared vision is an enabler that needs work" in main
    for chart in ("chart-enablers", "chart-barriers", "chart-themes"):
        assert page.locator(f"#{chart} .main-svg").count() >= 1, chart
    # The evidence is shown as text, not markup.
    assert "Joint station visits since March <b>weekly</b>" in main
    axe_check(page, "dashboard after two submissions")
