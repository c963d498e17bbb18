"""Two leads of one agency editing one draft: nothing is overwritten unseen.

``bob`` and ``bella`` both lead for Alpha Fire. Each opens a page (which
carries the revision it was rendered from); a save from a page older than the
stored answers is refused when it would change anything, and the page shows
what the other person changed, keeping the lead's own typing.
"""

import re
import threading

import pytest
from django.db import connection
from django.urls import reverse

from assessments.models import Answer, Submission
from assessments.questionnaire.services import (
    AnswerInput,
    StaleRevision,
    submission_for,
    submission_save,
)


def section_url(world, section="enablers"):
    return reverse("questionnaire:section",
                   args=[world.rounds["Alpha"].pk, world.agencies["Alpha Fire"].pk, section])


def review_url(world):
    return reverse("questionnaire:review",
                   args=[world.rounds["Alpha"].pk, world.agencies["Alpha Fire"].pk])


def submit_url(world):
    return reverse("questionnaire:submit",
                   args=[world.rounds["Alpha"].pk, world.agencies["Alpha Fire"].pk])


def revision_on(html: str) -> int:
    return int(re.search(r'name="revision" value="(\d+)"', html).group(1))


def value_of(code):
    answer = Answer.objects.filter(item__code=code,
                                   submission__agency__name="Alpha Fire").first()
    return None if answer is None else (answer.value, answer.comment)


@pytest.fixture
def two_leads(world, client, django_user_model):
    """Two logged-in browsers: bob's and bella's."""
    from django.test import Client

    bob, bella = Client(), Client()
    bob.force_login(world.user("bob"))
    bella.force_login(world.user("bella"))
    return bob, bella


def test_stale_save_is_refused_and_shows_the_other_persons_change(world, two_leads):
    bob, bella = two_leads
    url = section_url(world)
    # Both open the enablers page of a fresh draft.
    bob_page = bob.get(url).content.decode()
    bella_page = bella.get(url).content.decode()
    # Bella answers E3 and saves first.
    bella.post(url, {"revision": revision_on(bella_page), "E3-value": "4",
                     "E3-comment": "Budget agreed by both finance directors",
                     "action": "save"})
    assert value_of("E3") == (4, "Budget agreed by both finance directors")

    # Bob, on his older page, answers E1 and E3 differently and saves.
    response = bob.post(url, {"revision": revision_on(bob_page), "E1-value": "2",
                              "E1-comment": "Vision not shared yet", "E3-value": "2",
                              "E3-comment": "No budget", "action": "save"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Your changes were not saved: bella changed this assessment after you opened this " \
           "page." in html
    assert "bella changed E3 Clear, shared resource plan to 4 Largely in place, with the " \
           "evidence “Budget agreed by both finance directors”" in html
    # Nothing was written: Bella's answer stands, Bob's E1 is not stored.
    assert value_of("E3") == (4, "Budget agreed by both finance directors")
    assert value_of("E1") is None
    # Bob's own typing is kept in the form, with Bella's answer beside his for E3.
    assert 'id="E1-value-2" value="2" checked' in html and "Vision not shared yet</textarea>" \
        in html
    assert 'id="E3-value-2" value="2" checked' in html and "No budget</textarea>" in html
    item_e3 = html[html.index('id="item-E3"'):html.index('id="item-E4"')]
    assert "Since you opened this page, bella changed this to 4 Largely in place." in item_e3
    assert "Below is your answer, not saved yet." in item_e3
    # The form now carries the current revision: saving again is deliberate, and works.
    assert revision_on(html) == Submission.objects.get().revision
    again = bob.post(url, {"revision": revision_on(html), "E1-value": "2",
                           "E1-comment": "Vision not shared yet", "E3-value": "2",
                           "E3-comment": "No budget", "action": "save"})
    assert again.status_code == 302
    assert value_of("E3") == (2, "No budget") and value_of("E1") == (2, "Vision not shared yet")
    latest = Answer.objects.get(item__code="E3").history.order_by("-history_date")
    assert [h.history_user.username for h in latest[:2]] == ["bob", "bella"]


def test_after_a_refusal_items_only_the_other_person_changed_show_their_answer(world,
                                                                               two_leads):
    bob, bella = two_leads
    url = section_url(world)
    bob_page = bob.get(url).content.decode()
    bella.post(url, {"revision": revision_on(bella.get(url).content.decode()),
                     "E5-value": "1", "action": "save"})
    response = bob.post(url, {"revision": revision_on(bob_page), "E1-value": "3",
                              "action": "save"})
    html = response.content.decode()
    assert "bella changed E5 Local cross-party political buy-in to 1 Not in place" in html
    # Bob did not touch E5: re-saving his form keeps Bella's answer.
    item_e5 = html[html.index('id="item-E5"'):html.index('id="item-E6"')]
    assert 'id="E5-value-1" value="1" checked' in item_e5
    assert "Below is their answer (you had not changed this item)." in item_e5
    bob.post(url, {"revision": revision_on(html), "E1-value": "3", "E5-value": "1",
                   "action": "save"})
    assert value_of("E5") == (1, "") and value_of("E1") == (3, "")


def test_moving_on_from_a_stale_page_without_changes_is_not_a_conflict(world, two_leads):
    bob, bella = two_leads
    url = section_url(world)
    bella.post(url, {"revision": 0, "E2-value": "3", "action": "save"})
    bob_page = bob.get(url).content.decode()  # Bob sees E2 = 3
    bella.post(url, {"revision": revision_on(bella.get(url).content.decode()),
                     "E2-value": "5", "action": "save"})
    # Bob changed nothing and moves on: nothing of his to save, nothing overwritten.
    response = bob.post(url, {"revision": revision_on(bob_page), "E2-value": "3",
                              "action": "next"}, follow=True)
    html = response.content.decode()
    assert "Section 2 of 3: Barriers" in html
    assert "bella changed answers after you opened the page; you now see the latest" in html
    assert value_of("E2") == (5, "")


def test_double_click_on_save_is_harmless(world, login):
    client = login(world.user("bob"))
    url = section_url(world)
    data = {"revision": 0, "E1-value": "4", "E1-comment": "once", "action": "save"}
    assert client.post(url, data).status_code == 302
    revision = Submission.objects.get().revision
    second = client.post(url, data)  # the same post again, from the same (now older) page
    assert second.status_code == 302
    assert Submission.objects.get().revision == revision
    assert Answer.objects.get().history.count() == 1


def test_stale_submit_is_refused_with_what_changed(world, two_leads, answer_all):
    answer_all(world, "Alpha Fire", "bob")
    bob, bella = two_leads
    review = bob.get(review_url(world)).content.decode()
    url = section_url(world)
    bella.post(url, {"revision": revision_on(bella.get(url).content.decode()),
                     "E1-value": "1", "action": "save"})
    response = bob.post(submit_url(world), {"revision": revision_on(review), "confirm": "on"},
                        follow=True)
    html = response.content.decode()
    assert "Not submitted: bella changed E1 after you opened this page." in html
    assert Submission.objects.get().status == "draft"
    # The review now shows Bella's answer; submitting from it works.
    fresh = bob.post(submit_url(world), {"revision": revision_on(html), "confirm": "on"},
                     follow=True)
    assert "Submitted." in fresh.content.decode()
    assert Submission.objects.get().submitted_answers.get(item__code="E1").value == 1


def test_a_save_after_the_other_lead_submitted_is_refused_and_keeps_the_typing(world,
                                                                               two_leads,
                                                                               answer_all):
    answer_all(world, "Alpha Fire", "bob")
    bob, bella = two_leads
    url = section_url(world)
    bob_page = bob.get(url).content.decode()
    review = bella.get(review_url(world)).content.decode()
    bella.post(submit_url(world), {"revision": revision_on(review), "confirm": "on"})
    response = bob.post(url, {"revision": revision_on(bob_page), "E1-value": "1",
                              "E1-comment": "late change", "action": "save"})
    html = response.content.decode()
    assert "Your changes were not saved. These answers were submitted by bella on" in html
    assert "late change</textarea>" in html
    assert value_of("E1") == (4, "")


@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_are_serialised(world):
    """On PostgreSQL the row lock makes two simultaneous saves queue: one wins, one is told."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (CI runs the suite on PostgreSQL too)")
    submission = submission_for(round=world.rounds["Alpha"], agency=world.agencies["Alpha Fire"])
    barrier = threading.Barrier(2)
    outcomes = {}

    def save(username, value):
        from django.db import connections

        try:
            barrier.wait()
            submission_save(submission=submission, user=world.user(username),
                            answers={"E1": AnswerInput(value, username)}, revision=0)
            outcomes[username] = "saved"
        except StaleRevision as exc:
            outcomes[username] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=("bob", 2)),
               threading.Thread(target=save, args=("bella", 5))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(o == "saved" for o in outcomes.values()) == [False, True]
    winner = next(name for name, o in outcomes.items() if o == "saved")
    loser = next(o for o in outcomes.values() if o != "saved")
    assert [c.by for c in loser.changes] == [winner]
    answer = Answer.objects.get()
    assert answer.comment == winner and Submission.objects.get().revision == 1
