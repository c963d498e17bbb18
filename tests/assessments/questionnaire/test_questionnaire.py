"""The partnership lead's questionnaire: answer, save, come back, review, submit.

Pages are driven as a lead would with the test client; what is asserted is
what the lead sees (the text on the page) and what is stored.
"""

import re

import pytest
from django.urls import reverse

from assessments.models import Answer, Submission, SubmittedAnswer

ENABLERS = ["E1", "E2", "E3", "E4", "E5", "E6", "E7"]


def urls(world, agency, partnership=None):
    agency_obj = world.agencies[agency]
    round_ = world.rounds[partnership or world.memberships[agency].partnership.name]
    args = [round_.pk, agency_obj.pk]
    return {
        "start": reverse("questionnaire:start", args=args),
        "enablers": reverse("questionnaire:section", args=[*args, "enablers"]),
        "barriers": reverse("questionnaire:section", args=[*args, "barriers"]),
        "options": reverse("questionnaire:section", args=[*args, "options"]),
        "review": reverse("questionnaire:review", args=args),
        "submit": reverse("questionnaire:submit", args=args),
    }


def revision_on(page) -> int:
    match = re.search(r'name="revision" value="(\d+)"', page.content.decode())
    assert match, "the form carries its revision"
    return int(match.group(1))


def section_data(page, **answers):
    """Form data as the page would post it: its revision plus the given fields."""
    data = {"revision": revision_on(page)}
    for key, value in answers.items():
        data[key.replace("_", "-")] = value
    return data


def stored(submission_or_none, code):
    return Answer.objects.filter(submission=submission_or_none, item__code=code).first()


def submission_of(world, agency):
    return Submission.objects.filter(
        round=world.rounds[world.memberships[agency].partnership.name],
        agency=world.agencies[agency]).first()


# --------------------------------------------------------------------------- the pages


def test_start_goes_to_the_first_section(world, login):
    u = urls(world, "Alpha Fire")
    response = login(world.user("bob")).get(u["start"])
    assert response.status_code == 302 and response["Location"] == u["enablers"]


def test_section_shows_each_item_as_a_fieldset_with_six_labelled_choices(world, login):
    page = login(world.user("bob")).get(urls(world, "Alpha Fire")["enablers"])
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("<h1") == 1
    assert "Section 1 of 3: Enablers" in html and "0 of 33 answered" in html
    assert "How far is this in place for this collaboration today?" in html
    fieldset = html[html.index('id="item-E1"') - 60:html.index('id="item-E2"')]
    assert "<fieldset" in fieldset and 'aria-describedby="E1-help"' in fieldset
    assert re.search(r"<legend[^>]*>E1 Clear and shared vision</legend>", fieldset)
    assert 'id="E1-help"' in fieldset
    for value, label in [("1", "1 Not in place"), ("3", "3 Partly in place"),
                         ("5", "5 Fully in place"), ("dk", "Don&#x27;t know")]:
        assert f'type="radio" name="E1-value" id="E1-value-{value}" value="{value}"' in fieldset
        assert f'<label class="form-check-label d-block" for="E1-value-{value}">{label}</label>' \
            in fieldset
    assert fieldset.count('type="radio"') == 6
    assert '<label class="form-label" for="E1-comment">Evidence (optional)</label>' in fieldset
    assert 'maxlength="2000"' in fieldset
    assert "Save and continue to Barriers" in html and "Save draft" in html
    assert "Back to" not in html  # the first section


def test_sections_use_their_own_scale_and_buttons(world, login):
    client = login(world.user("bob"))
    u = urls(world, "Alpha Fire")
    barriers = client.get(u["barriers"]).content.decode()
    assert "Section 2 of 3: Barriers" in barriers
    assert "5 Blocking" in barriers and "B6 Inconsistent direction" in barriers
    assert "Back to Enablers" in barriers and "Save and continue to Collaboration options" \
        in barriers
    options = client.get(u["options"]).content.decode()
    assert "Section 3 of 3: Collaboration options" in options
    assert "1 Strongly oppose" in options and "O20 Police devolution" in options
    assert "Save and review your answers" in options
    assert client.get(u["enablers"].replace("enablers", "elsewhere")).status_code == 404


def test_draft_is_saved_and_restored_exactly(world, login):
    client = login(world.user("bob"))
    u = urls(world, "Alpha Fire")
    page = client.get(u["enablers"])
    evidence = "Signed off by both chiefs, 3 March.\nNot yet shared with crews — “soon”."
    response = client.post(u["enablers"], section_data(
        page, E1_value="4", E1_comment=evidence, E2_value="dk", E2_comment="Not known yet",
        E3_value="1", action="save"))
    assert response.status_code == 302 and response["Location"] == u["enablers"]
    assert "Saved: 3 answers in Enablers changed." in client.get(u["enablers"]).content.decode()

    # The lead leaves and comes back later, in a new session.
    client.logout()
    client = login(world.user("bob"))
    again = client.get(u["enablers"])
    html = again.content.decode()
    assert 'id="E1-value-4" value="4" checked' in html
    assert 'id="E2-value-dk" value="dk" checked' in html
    assert 'id="E3-value-1" value="1" checked' in html
    assert html.count(" checked") == 3
    assert ">Signed off by both chiefs, 3 March.\nNot yet shared with crews — “soon”.</textarea>" \
        in html
    assert "3 of 33 answered" in html
    answer = stored(submission_of(world, "Alpha Fire"), "E1")
    assert (answer.value, answer.comment, answer.updated_by) == (4, evidence,
                                                                  world.user("bob"))
    dont_know = stored(submission_of(world, "Alpha Fire"), "E2")
    assert dont_know.value is None and dont_know.comment == "Not known yet"


def test_windows_line_breaks_are_stored_as_one_character(world, login):
    client = login(world.user("bob"))
    u = urls(world, "Alpha Fire")
    text = "x" * 999 + "\r\n" + "x" * 1000  # 2000 characters as the browser counts them
    client.post(u["enablers"], section_data(client.get(u["enablers"]), E1_value="3",
                                            E1_comment=text, action="save"))
    assert stored(submission_of(world, "Alpha Fire"), "E1").comment == (
        "x" * 999 + "\n" + "x" * 1000)


def test_moving_between_sections_saves(world, login):
    client = login(world.user("bob"))
    u = urls(world, "Alpha Fire")
    response = client.post(u["enablers"], section_data(client.get(u["enablers"]),
                                                       E5_value="2", action="next"))
    assert response["Location"] == u["barriers"]
    response = client.post(u["barriers"], section_data(client.get(u["barriers"]),
                                                       B1_value="5", action="back"))
    assert response["Location"] == u["enablers"]
    response = client.post(u["options"], section_data(client.get(u["options"]),
                                                      O7_value="4", action="review"))
    assert response["Location"] == u["review"]
    submission = submission_of(world, "Alpha Fire")
    assert {a.item.code: a.value for a in submission.answers.select_related("item")} == {
        "E5": 2, "B1": 5, "O7": 4}
    assert "Section 2 of 3: Barriers" in client.get(u["barriers"]).content.decode()


def test_saving_nothing_new_says_so_and_writes_nothing(world, login, answer_all):
    answer_all(world, "Alpha Fire", "bob")
    client = login(world.user("bob"))
    u = urls(world, "Alpha Fire")
    page = client.get(u["enablers"])
    before = submission_of(world, "Alpha Fire").revision
    data = section_data(page, action="save",
                        **{f"{c}_value": "4" for c in ENABLERS})
    response = client.post(u["enablers"], data, follow=True)
    assert "Nothing to save: your answers are as stored." in response.content.decode()
    assert submission_of(world, "Alpha Fire").revision == before


def test_review_lists_every_answer_and_every_unanswered_item(world, login):
    client = login(world.user("bob"))
    u = urls(world, "Alpha Fire")
    client.post(u["enablers"], section_data(client.get(u["enablers"]), E1_value="4",
                                            E1_comment="Vision agreed", E2_value="dk",
                                            action="save"))
    html = client.get(u["review"]).content.decode()
    assert "2 of 33 answered" in html
    assert "31 items are not answered yet" in html
    assert "4 Largely in place" in html and "Vision agreed" in html
    assert "Don&#x27;t know" in html
    review_e3 = html[html.index('id="review-E3"'):html.index('id="review-E4"')]
    assert "Not answered" in review_e3
    assert f'href="{u["barriers"]}#item-B1"' in html  # links to each unanswered item
    assert "Submit Alpha Fire's answers" in html


def test_comments_with_html_are_shown_as_text(world, login):
    client = login(world.user("bob"))
    u = urls(world, "Alpha Fire")
    script = '<script>alert("x")</script><b>bold</b>'
    client.post(u["enablers"], section_data(client.get(u["enablers"]), E1_value="3",
                                            E1_comment=script, action="save"))
    for url in (u["enablers"], u["review"]):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html and "<b>bold</b>" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in html
    assert stored(submission_of(world, "Alpha Fire"), "E1").comment == script


# --------------------------------------------------------------------------- submit


def test_submit_is_refused_while_items_are_unanswered(world, login, answer_all):
    submission = answer_all(world, "Alpha Fire", "bob")
    Answer.objects.filter(submission=submission, item__code__in=["B4", "O7"]).delete()
    client = login(world.user("bob"))
    u = urls(world, "Alpha Fire")
    page = client.get(u["review"])
    response = client.post(u["submit"], {"revision": revision_on(page), "confirm": "on"},
                           follow=True)
    html = response.content.decode()
    assert "Not submitted: Answer every item before submitting" in html
    assert "Not answered yet: B4, O7." in html
    submission.refresh_from_db()
    assert submission.status == "draft" and submission.submitted_at is None
    assert not SubmittedAnswer.objects.filter(submission=submission).exists()


def test_submit_with_nothing_saved_is_refused_and_creates_nothing(world, login):
    client = login(world.user("alice"))
    u = urls(world, "Alpha Police")
    response = client.post(u["submit"], {"revision": 0, "confirm": "on"}, follow=True)
    assert "Answer every item before submitting" in response.content.decode()
    assert not Submission.objects.exists()


def test_submit_needs_the_confirmation(world, login, answer_all):
    answer_all(world, "Alpha Fire", "bob")
    client = login(world.user("bob"))
    u = urls(world, "Alpha Fire")
    page = client.get(u["review"])
    response = client.post(u["submit"], {"revision": revision_on(page)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem: nothing was submitted" in html
    assert "Tick the box to confirm that you want to submit." in html
    assert submission_of(world, "Alpha Fire").status == "draft"


def test_submit_freezes_the_answers_and_makes_them_read_only(world, login, answer_all):
    answer_all(world, "Alpha Fire", "bob", values={"E1": 2, "O3": None}, comment="ok")
    client = login(world.user("bella"))
    u = urls(world, "Alpha Fire")
    page = client.get(u["review"])
    response = client.post(u["submit"], {"revision": revision_on(page), "confirm": "on"},
                           follow=True)
    html = response.content.decode()
    assert "Submitted. Thank you: Alpha Fire&#x27;s answers now count" in html
    assert "Submitted by bella on" in html
    assert "Submit Alpha Fire" not in html  # no submit form any more
    submission = submission_of(world, "Alpha Fire")
    assert submission.status == "submitted" and submission.submitted_by == world.user("bella")
    frozen = {a.item.code: (a.value, a.comment)
              for a in submission.submitted_answers.select_related("item")}
    assert len(frozen) == 33 and frozen["E1"] == (2, "ok") and frozen["O3"] == (None, "ok")

    # Section pages now lead to the read-only review.
    assert client.get(u["enablers"])["Location"] == u["review"]
    assert client.get(u["start"])["Location"] == u["review"]


def test_submitted_answers_are_immutable(world, login, answer_all):
    submission = answer_all(world, "Alpha Fire", "bob", submit=True)
    client = login(world.user("bob"))
    u = urls(world, "Alpha Fire")
    response = client.post(u["enablers"], {"revision": submission.revision, "E1-value": "1",
                                           "E1-comment": "changed my mind", "action": "save"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Your changes were not saved. These answers were submitted by bob on" in html
    assert "changed my mind</textarea>" in html  # what they typed is kept on the page
    assert 'id="E1-value-1" value="1" checked disabled' in html
    assert "Save draft" not in html
    assert stored(submission, "E1").value == 4
    assert submission.submitted_answers.get(item__code="E1").value == 4


def test_double_submit_is_harmless(world, login, answer_all):
    answer_all(world, "Alpha Fire", "bob")
    client = login(world.user("bob"))
    u = urls(world, "Alpha Fire")
    data = {"revision": revision_on(client.get(u["review"])), "confirm": "on"}
    first = client.post(u["submit"], data)
    assert first.status_code == 302 and first["Location"] == u["review"]
    submission = submission_of(world, "Alpha Fire")
    history = submission.history.count()
    submitted_at = submission.submitted_at
    second = client.post(u["submit"], data, follow=True)  # double click, back button, resend
    assert second.status_code == 200
    html = second.content.decode()
    assert "These answers were already submitted by bob on" in html
    assert "alert-danger" not in html
    submission.refresh_from_db()
    assert submission.history.count() == history and submission.submitted_at == submitted_at
    assert submission.submitted_answers.count() == 33


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(("data", "message"), [
    ({"E1-value": "7"}, "E1: “7” is not one of the answers; choose 1 to 5 or “Don&#x27;t know”."),
    ({"E1-value": "four"}, "E1: “four” is not one of the answers"),
    ({"E1-value": "0"}, "E1: “0” is not one of the answers"),
    ({"E1-value": "4.5"}, "E1: “4.5” is not one of the answers"),
    ({"E99-value": "3"}, "E99 is not an item of this round&#x27;s framework; nothing was saved."),
    ({"B1-value": "3"}, "B1 is not on this page; nothing was saved."),
    ({"E1-value": "3", "E1-comment": "x" * 2001},
     "E1: the evidence is 2001 characters long; the limit is 2000."),
    ({"E1-comment": "evidence without a rating"},
     "E1: choose an answer (or “Don&#x27;t know”) to save your evidence."),
])
def test_bad_input_is_refused_with_a_clear_message_and_nothing_changes(world, login, data,
                                                                       message):
    client = login(world.user("bob"))
    u = urls(world, "Alpha Fire")
    page = client.get(u["enablers"])
    payload = {"revision": revision_on(page), "E2-value": "5", "E2-comment": "keep me",
               "action": "save", **data}
    response = client.post(u["enablers"], payload)
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem: nothing was saved" in html
    assert 'role="alert"' in html
    assert message in html
    assert not Answer.objects.exists()  # nothing saved, not even the good E2
    assert 'id="E2-value-5" value="5" checked' in html and "keep me</textarea>" in html


def test_error_summary_links_to_the_field(world, login):
    client = login(world.user("bob"))
    u = urls(world, "Alpha Fire")
    response = client.post(u["enablers"], {"revision": 0, "E3-value": "9"})
    html = response.content.decode()
    assert '<a href="#E3-value-1" class="alert-link">E3: “9” is not one of the answers' in html
    assert 'aria-describedby="E3-help E3-error"' in html
    assert 'id="E3-error"' in html and 'aria-invalid="true"' in html


def test_a_closed_round_is_read_only_and_refuses_saves(world, login, answer_all):
    from assessments.questionnaire.services import round_close

    answer_all(world, "Alpha Fire", "bob")
    round_close(round=world.rounds["Alpha"], user=world.user("adam"))
    client = login(world.user("bob"))
    u = urls(world, "Alpha Fire")
    assert client.get(u["enablers"])["Location"] == u["review"]
    review = client.get(u["review"]).content.decode()
    assert "This round closed on" in review and "Submit Alpha Fire" not in review
    response = client.post(u["enablers"], {"revision": 1, "E1-value": "1", "action": "save"})
    assert "Your changes were not saved. This round closed on" in response.content.decode()
    for data in ({"revision": 1, "confirm": "on"}, {"revision": 1}):
        submit = client.post(u["submit"], data, follow=True)
        assert "Not submitted: This round closed on" in submit.content.decode()
    submission = submission_of(world, "Alpha Fire")
    assert stored(submission, "E1").value == 4 and submission.status == "draft"


def test_a_round_past_its_closing_date_is_read_only(world, login, answer_all):
    import datetime

    answer_all(world, "Alpha Fire", "bob")
    round_ = world.rounds["Alpha"]
    round_.opens_on = datetime.date(2020, 1, 1)
    round_.closes_on = datetime.date(2020, 2, 1)
    round_.save()
    client = login(world.user("bob"))
    html = client.get(urls(world, "Alpha Fire")["review"]).content.decode()
    assert "This round closed on 1 February 2020" in html


# --------------------------------------------------------------------------- access


@pytest.mark.parametrize(("username", "agency", "partnership"), [
    ("alice", "Alpha Fire", None),      # another agency, same partnership
    ("carol", "Alpha Fire", None),      # another partnership
    ("carol", "Beta Ambulance", "Alpha"),  # own agency, but not in that round's partnership
])
def test_a_lead_cannot_read_or_write_another_agencys_assessment(world, login, answer_all,
                                                               username, agency, partnership):
    if partnership is None:
        answer_all(world, "Alpha Fire", "bob")
    client = login(world.user(username))
    u = urls(world, agency, partnership)
    for name in ("start", "enablers", "review"):
        assert client.get(u[name]).status_code == 404
    before = list(Answer.objects.values_list("pk", "value", "comment"))
    assert client.post(u["enablers"], {"revision": 1, "E1-value": "1",
                                       "action": "save"}).status_code == 404
    assert client.post(u["submit"], {"revision": 1, "confirm": "on"}).status_code == 404
    assert list(Answer.objects.values_list("pk", "value", "comment")) == before
    assert not Submission.objects.filter(status="submitted").exists()


@pytest.mark.parametrize("username", ["rita", "nobody"])
def test_roles_that_never_answer_are_refused(world, login, username):
    client = login(world.user(username))
    u = urls(world, "Alpha Fire")
    for name in ("start", "enablers", "review"):
        assert client.get(u[name]).status_code == 403
    assert client.post(u["submit"], {"revision": 0, "confirm": "on"}).status_code == 403


def test_anonymous_users_are_sent_to_log_in(world, client):
    u = urls(world, "Alpha Fire")
    response = client.get(u["enablers"])
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --------------------------------------------------------------------------- speed


def test_questionnaire_page_query_count_is_pinned(world, login, answer_all,
                                                  django_assert_max_num_queries):
    client = login(world.user("bob"))
    u = urls(world, "Alpha Fire")
    client.get(u["enablers"])  # warm the session, and the cache of the framework's items
    # Session, user, roles, the round (with the lead's membership, the agency and the
    # framework), the submission (none yet, so no answers to read). The items and scales
    # of the published framework come from the cache.
    with django_assert_max_num_queries(5):
        assert client.get(u["enablers"]).status_code == 200
    answer_all(world, "Alpha Fire", "bob", comment="evidence")
    # The same and the stored answers.
    for section in ("enablers", "options"):  # 7 items, 20 items: the same queries
        with django_assert_max_num_queries(6):
            assert client.get(u[section]).status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get(u["review"]).status_code == 200
