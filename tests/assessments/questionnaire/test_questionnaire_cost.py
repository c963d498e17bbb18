"""What the lead's questionnaire costs per request, and that the cheaper paths (the
framework's items and scales from the cache, the answers written in bulk) change
nothing a lead sees, nor what the history records."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.frameworks import framework_definitions
from assessments.models import Answer, Round, Submission
from survey.framework.services import framework_new_draft

ENABLERS = ["E1", "E2", "E3", "E4", "E5", "E6", "E7"]

# A save, whatever the number of answers it changes: session, user, roles, the round
# (with the lead's membership, the agency and the framework), the submission; then in
# the transaction (in a test, a savepoint and its release) the locked submission, its
# answers, one update of the changed answers, one insert of their history, the
# submission's revision and its history. The items come from the cache.
SAVE_QUERIES = 13


def section_url(world, section="enablers"):
    return reverse("questionnaire:section",
                   args=[world.rounds["Alpha"].pk, world.agencies["Alpha Fire"].pk, section])


def revision_on(response) -> int:
    return int(re.search(r'name="revision" value="(\d+)"', response.content.decode()).group(1))


def save_data(revision, answers):
    """Form data for a save of the enablers page: ``answers`` maps codes to values."""
    data = {"revision": revision, "action": "save"}
    data.update({f"{code}-value": str(value) for code, value in answers.items()})
    return data


def save(client, url, answers, *, revision=None):
    revision = revision_on(client.get(url)) if revision is None else revision
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, save_data(revision, answers))
    assert response.status_code == 302, response.content.decode()[:2000]
    return len(queries)


def stored(code):
    answer = Answer.objects.filter(item__code=code,
                                   submission__agency__name="Alpha Fire").first()
    return None if answer is None else answer.value


# --------------------------------------------------------------------------- queries


def test_a_save_costs_the_same_queries_however_many_answers_it_changes(world, login):
    client = login(world.user("bob"))
    url = section_url(world)
    save(client, url, {"E7": 1})  # the draft is made, and the cache warmed
    # New answers: one, then six at once.
    assert save(client, url, {"E1": 3}) == SAVE_QUERIES
    assert save(client, url, dict.fromkeys(ENABLERS[1:6], 3)) == SAVE_QUERIES
    # Stored answers changed: one, then all seven (each to its own value).
    assert save(client, url, {"E1": 4}) == SAVE_QUERIES
    assert save(client, url, dict(zip(ENABLERS, [1, 2, 3, 4, 5, 1, 2], strict=True))) \
        == SAVE_QUERIES
    assert [stored(code) for code in ENABLERS] == [1, 2, 3, 4, 5, 1, 2]
    # Saving what is stored writes nothing.
    assert save(client, url, {"E1": 1}) < SAVE_QUERIES


def test_the_framework_of_a_published_version_is_read_once(world, login,
                                                           django_assert_num_queries):
    client = login(world.user("bob"))
    url = section_url(world)
    client.get(url)
    # A fresh draft: session, user, roles, the round (with membership, agency and
    # framework), the submission (none yet: no answers to read). No items, no scales.
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200
    for section in ("barriers", "options"):
        with django_assert_num_queries(5):
            assert client.get(section_url(world, section)).status_code == 200


# --------------------------------------------------------------------------- history


def test_a_bulk_save_records_one_history_row_per_changed_answer(world, login):
    bella = world.user("bella")
    client = login(bella)
    url = section_url(world)
    save(client, url, {"E1": 1, "E2": 2, "E3": 3})
    submission = Submission.objects.get()
    before = {a.item.code: a.updated_at for a in submission.answers.select_related("item")}
    history_before = set(Answer.history.values_list("history_id", flat=True))

    # E1 and E2 change, E3 is saved as stored, E4 and E5 are new.
    save(client, url, {"E1": 5, "E2": 4, "E3": 3, "E4": 2, "E5": 1})
    rows = (Answer.history.exclude(history_id__in=history_before)
            .select_related("history_user", "item"))
    recorded = sorted((r.item.code, r.history_type, r.value, r.history_user.username)
                      for r in rows)
    assert recorded == [("E1", "~", 5, "bella"), ("E2", "~", 4, "bella"),
                        ("E4", "+", 2, "bella"), ("E5", "+", 1, "bella")]
    submission.refresh_from_db()
    latest = submission.history.order_by("-history_date", "-history_id").first()
    assert (latest.revision, latest.history_user) == (submission.revision, bella)
    for row in rows:
        # Recorded before the submission's revision was raised (the conflict check
        # relies on it), with the answer's own fields as saved.
        assert row.history_date is not None and row.history_date <= latest.history_date
        assert row.history_change_reason is None  # as a save of one answer records it
        answer = Answer.objects.get(pk=row.id)
        assert (answer.value, answer.updated_by, answer.prefilled) == (row.value, bella, False)
        assert row.updated_at == answer.updated_at
    after = {a.item.code: a.updated_at for a in submission.answers.select_related("item")}
    assert after["E1"] > before["E1"] and after["E2"] > before["E2"]
    assert after["E3"] == before["E3"]  # not changed, not written


def test_removing_an_answer_is_still_recorded(world, login):
    client = login(world.user("bob"))
    url = section_url(world)
    save(client, url, {"E1": 2, "E2": 3})
    revision = revision_on(client.get(url))
    response = client.post(url, {"revision": revision, "E1-value": "", "E2-value": "4",
                                 "action": "save"})
    assert response.status_code == 302
    assert stored("E1") is None and stored("E2") == 4
    last = {h.item.code: h for h in Answer.history.select_related("item", "history_user")
            .order_by("history_date", "history_id")}
    assert (last["E1"].history_type, last["E1"].history_user.username) == ("-", "bob")
    assert (last["E2"].history_type, last["E2"].value) == ("~", 4)


def test_a_second_leads_stale_save_is_refused_naming_who_changed_what(world):
    bella = world.user("bella")
    bella.first_name, bella.last_name = "Bella", "Jones"
    bella.save()
    bob, bella_client = Client(), Client()
    bob.force_login(world.user("bob"))
    bella_client.force_login(bella)
    url = section_url(world)
    save(bob, url, {"E1": 3, "E2": 3, "E3": 3})
    bob_page = bob.get(url)
    # Bella changes two stored answers and adds one, in one save.
    save(bella_client, url, {"E2": 5, "E3": 1, "E4": 2})

    response = bob.post(url, save_data(revision_on(bob_page), {"E2": 4, "E3": 3}))
    html = response.content.decode()
    assert response.status_code == 200 and 'id="conflict"' in html
    assert "Your changes were not saved: Bella Jones changed this assessment after you " \
           "opened this page." in html
    assert "Bella Jones changed E2 Trust at all levels to 5 Fully in place" in html
    assert "Bella Jones changed E3 Clear, shared resource plan to 1 Not in place" in html
    assert "Bella Jones changed E4" in html
    assert "changed E1" not in html  # nobody changed it since Bob's page
    assert [stored(code) for code in ("E1", "E2", "E3", "E4")] == [3, 5, 1, 2]


# --------------------------------------------------------------------------- cache


def test_a_draft_frameworks_items_are_never_served_from_the_cache(world, login):
    draft = framework_new_draft(framework=world.framework)
    round_ = Round.objects.create(partnership=world.partnerships["Alpha"], framework=draft,
                                  title="On the draft")
    client = login(world.user("bob"))
    url = reverse("questionnaire:section",
                  args=[round_.pk, world.agencies["Alpha Fire"].pk, "enablers"])
    assert "E1 Clear and shared vision" in client.get(url).content.decode()

    item = draft.items.get(code="E1")
    item.title = "Clear, shared and written vision"
    item.save()
    html = client.get(url).content.decode()
    assert "E1 Clear, shared and written vision" in html
    assert "E1 Clear and shared vision" not in html
    # A new item of the draft can be answered at once too.
    revision = revision_on(client.get(url))
    assert client.post(url, {"revision": revision, "E1-value": "4", "action": "save"}) \
        .status_code == 302
    assert Answer.objects.get(submission__round=round_).item == item


def test_a_published_version_is_cached_and_a_draft_is_not(world):
    draft = framework_new_draft(framework=world.framework)
    framework_definitions(framework=world.framework)
    framework_definitions(framework=draft)
    with CaptureQueriesContext(connection) as queries:
        items, scales = framework_definitions(framework=world.framework)
    assert len(queries) == 0 and len(items) == 33 and set(scales) == {
        "enabler", "barrier", "option"}
    assert [i.code for i in items] == [i.code for i in world.framework.items.order_by(
        "order", "id")]
    with CaptureQueriesContext(connection) as queries:
        framework_definitions(framework=draft)
    assert len(queries) == 2


def switch(client, language, url):
    assert client.post(reverse("set_language"), {"language": language, "next": url}) \
        .status_code == 302
    return client.get(url).content.decode()


@pytest.mark.parametrize("first", ["en-gb", "cy"])
def test_one_cache_entry_serves_english_and_welsh(world, login, first):
    client = login(world.user("bob"))
    url = section_url(world)
    review = reverse("questionnaire:review",
                     args=[world.rounds["Alpha"].pk, world.agencies["Alpha Fire"].pk])
    switch(client, first, url)  # the cache is warmed in one language...
    with CaptureQueriesContext(connection) as queries:
        welsh = switch(client, "cy", url)
        english = switch(client, "en-gb", url)
    assert not [q for q in queries if "survey_item" in q["sql"] or "survey_scale" in q["sql"]]
    # ...and serves the other: items and scale labels in the language of the request.
    assert "E1 Gweledigaeth glir a chyffredin" in welsh
    assert "4 Ar waith i raddau helaeth" in welsh
    assert "Clear and shared vision" not in welsh
    assert "E1 Clear and shared vision" in english and "4 Largely in place" in english
    assert "Gweledigaeth glir a chyffredin" not in english
    assert "Gweledigaeth glir a chyffredin" in switch(client, "cy", review)
    assert "Clear and shared vision" in switch(client, "en-gb", review)


def test_new_translations_of_a_published_version_are_shown_at_once(world, login):
    """Translations are written past the model's lock (and its signal): loading them
    drops the cached items all the same."""
    from survey.framework.services import framework_translations_load
    from survey.models import Item

    Item.objects.filter(framework=world.framework, code="E1").update(title_cy="Hen deitl")
    client = login(world.user("bob"))
    url = section_url(world)
    assert "E1 Hen deitl" in switch(client, "cy", url)  # cached now
    framework_translations_load(framework=world.framework)
    html = client.get(url).content.decode()
    assert "E1 Gweledigaeth glir a chyffredin" in html and "Hen deitl" not in html
