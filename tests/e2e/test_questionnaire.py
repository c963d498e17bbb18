"""The questionnaire, its answer files and invitations in a real browser, with axe-core."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from assessments.models import Submission
from assessments.questionnaire.services import AnswerInput, submission_save

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_lead_fills_in_saves_reviews_and_submits(browser_login, world, axe_check):
    page = browser_login("bob")
    axe_check(page, "lead's home")
    page.get_by_role("link", name="Start: Alpha Fire, Alpha round 1").click()
    assert "Section 1 of 3: Enablers" in page.inner_text("main")
    axe_check(page, "enablers")

    # Evidence without a rating: the error summary takes focus and links to the item.
    page.get_by_label("Evidence (optional)").first.fill("Signed by both chiefs")
    assert "21 of 2,000 characters used" in page.inner_text("#E1-comment-hint")
    page.get_by_role("button", name="Save draft").click()
    summary = page.locator("#error-summary")
    assert summary.evaluate("el => el === document.activeElement")
    assert "E1: choose an answer" in summary.inner_text()
    axe_check(page, "enablers with an error")

    # Answer with the keyboard, as well as the mouse.
    page.get_by_label("4 Largely in place").first.check()
    page.keyboard.press("ArrowDown")
    assert page.locator("#E1-value-5").is_checked()
    page.get_by_role("button", name="Save and continue to Barriers").click()
    assert "Section 2 of 3: Barriers" in page.inner_text("main")
    assert "Saved: 1 answer in Enablers changed." in page.inner_text("main")

    # Bella saves E3 meanwhile; Bob's stale save of E3 is refused and shows her change.
    page.get_by_role("button", name="Back to Enablers").click()
    submission = Submission.objects.get()
    submission_save(submission=submission, user=world.user("bella"),
                    answers={"E3": AnswerInput(2, "No budget yet")},
                    revision=submission.revision)
    page.locator("#E3-value-4").check()
    page.get_by_role("button", name="Save draft").click()
    assert "bella changed E3 Clear, shared resource plan to 2 Early signs" in \
        page.inner_text("#conflict")
    axe_check(page, "conflict")
    page.get_by_role("button", name="Save draft").click()  # deliberately, now

    # Answer everything else and submit.
    for _section in range(3):
        for fieldset in page.locator("fieldset").all():
            if not fieldset.locator("input:checked").count():
                fieldset.locator("input[type=radio]").nth(3).check()
        page.get_by_role("button", name=re.compile("^Save and (continue|review)")).click()
    assert "33 of 33 answered" in page.inner_text("main")
    axe_check(page, "review")
    page.get_by_label(re.compile("I confirm these are my agency")).check()
    page.get_by_role("button", name="Submit Alpha Fire's answers").click()
    assert "Submitted by bob on" in page.inner_text("main")
    axe_check(page, "submitted")
    assert Submission.objects.get().status == "submitted"


def test_the_questionnaire_fits_a_phone(browser, live_server, world, axe_check):
    from tests.conftest import PASSWORD

    context = browser.new_context(base_url=live_server.url,
                                  viewport={"width": 375, "height": 800})
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("bob")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"/rounds/{world.rounds['Alpha'].pk}/agencies/{world.agencies['Alpha Fire'].pk}/"
              "options/")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 375
    # The six answers stack, one above the other.
    tops = [box["y"] for box in (page.locator(f"#O1-value-{v}").bounding_box()
                                 for v in ("1", "2", "3"))]
    assert tops == sorted(tops) and len(set(tops)) == 3
    axe_check(page, "options on a phone")
    context.close()


def test_answer_files_and_administration_pages_are_accessible(browser_login, world, axe_check,
                                                              answer_all):
    answer_all(world, "Alpha Fire", "bob", submit=True)
    page = browser_login("adam")
    page.get_by_role("button", name="Research", exact=True).click()
    page.get_by_role("link", name="Rounds and answer files").click()
    axe_check(page, "rounds")
    page.goto(f"/rounds/{world.rounds['Alpha'].pk}/import/")
    page.set_input_files("#id_file", files=[{
        "name": "paper.csv", "mimeType": "text/csv",
        "buffer": b"agency,item,value\nAlpha Fire,E1,9\n"}])
    page.get_by_role("button", name="Import answers").click()
    assert "Line 2: value" in page.inner_text("#import-errors")
    axe_check(page, "import refused")
    submission = Submission.objects.get()
    for url, label in [
        (reverse("admin:assessments_partnership_change", args=[world.partnerships["Alpha"].pk]),
         "partnership"),
        (reverse("admin:assessments_round_add"), "round add"),
        (reverse("admin:assessments_round_change", args=[world.rounds["Alpha"].pk]), "round"),
        (reverse("admin:assessments_submission_reopen", args=[submission.pk]), "reopen"),
        (reverse("admin:assessments_invitation_add"), "invite"),
    ]:
        page.goto(url)
        axe_check(page, label)


def test_invitation_pages_are_accessible(page, live_server, world, axe_check):
    from django.test import RequestFactory

    from assessments.questionnaire.invitations import invitation_send

    request = RequestFactory().get("/", HTTP_HOST=live_server.url.split("//", 1)[1])
    invitation_send(membership=world.memberships["Alpha Fire"], email="new@alpha.example",
                    invited_by=world.user("adam"), request=request)
    link = re.search(r"(/invitations/\S+/)", mail.outbox[0].body).group(1)
    page.goto(link)
    axe_check(page, "set password")
    page.fill("#id_new_password1", "a-long-and-unusual-passphrase-42")
    page.fill("#id_new_password2", "a-long-and-unusual-passphrase-42")
    page.get_by_role("button", name="Set password and continue").click()
    assert "Alpha Fire: Alpha round 1" in page.inner_text("h1")
    page.goto(link)
    assert page.inner_text("h1") == "This invitation link does not work"
    axe_check(page, "used link")
