"""A partnership records a lesson, shares it, an administrator returns it with a note,
it is shared again and published; editing a published lesson sends it back to review."""

import pytest
from django.urls import reverse

from assessments.lessons.models import Lesson, LessonStatus


def url(name, lesson=None, **kwargs):
    if lesson is not None:
        kwargs |= {"partnership_id": lesson.partnership_id, "lesson_id": lesson.pk}
    return reverse(f"lessons:{name}", kwargs=kwargs)


def new_lesson(client, world, **extra):
    data = {"title": "Joint HR team", "tried": "One HR team for police and fire.",
            "options": ["O1"], "factors": ["B3"], "happened": "Slower than planned.",
            "differently": "Agree pay rules first.", "tried_from": "2025-01-01",
            "tried_to": "2025-12-31"} | extra
    response = client.post(url("new", partnership_id=world.partnerships["Alpha"].pk), data)
    assert response.status_code == 302
    return Lesson.objects.get(title=data["title"])


def test_the_whole_flow(world, client):
    client.force_login(world.user("alice"))
    lesson = new_lesson(client, world)
    assert lesson.status == LessonStatus.PRIVATE and lesson.created_by == world.user("alice")
    assert sorted(c.code for c in lesson.codes.all()) == ["B3", "O1"]
    assert lesson.language == "en-gb"
    page = client.get(url("lesson", lesson)).content.decode()
    assert "Private" in page and "Only your partnership's leads" in page
    # not in the library while private
    assert client.get(url("detail", lesson_id=lesson.pk)).status_code == 404
    assert "Joint HR team" not in client.get(url("library")).content.decode()

    # bob (the other agency's lead) shares it without the name
    client.force_login(world.user("bob"))
    share = client.get(url("share", lesson)).content.decode()
    assert "A partnership of police and fire services in England (shared back office)" in share
    response = client.post(url("share", lesson), {"show_name": "anonymous",
                                                 "revision": lesson.revision})
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.AWAITING_REVIEW and not lesson.show_name
    assert lesson.shared_by == world.user("bob")
    assert client.get(url("detail", lesson_id=lesson.pk)).status_code == 404

    # the administrator returns it with a note
    client.force_login(world.user("adam"))
    queue = client.get(url("review_queue")).content.decode()
    assert "Joint HR team" in queue and "Alpha" in queue
    refused = client.post(url("review", lesson_id=lesson.pk),
                          {"decision": "return", "note": "", "revision": lesson.revision})
    assert "Write a note saying why you return it." in refused.content.decode()
    client.post(url("review", lesson_id=lesson.pk),
                {"decision": "return", "note": "Say what the pay rules were.",
                 "revision": lesson.revision})
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.RETURNED
    assert "Joint HR team" not in client.get(url("review_queue")).content.decode()

    # the partnership sees the note, and shares again, named this time
    client.force_login(world.user("alice"))
    page = client.get(url("lesson", lesson)).content.decode()
    assert "Returned" in page and "Say what the pay rules were." in page
    assert "with a note from the reviewer" in client.get(
        url("list", partnership_id=lesson.partnership_id)).content.decode()
    client.post(url("share", lesson), {"show_name": "named", "revision": lesson.revision})
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.AWAITING_REVIEW and lesson.show_name

    client.force_login(world.user("adam"))
    client.post(url("review", lesson_id=lesson.pk),
                {"decision": "publish", "revision": lesson.revision})
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.PUBLISHED and lesson.reviewed_by == world.user("adam")
    assert lesson.review_note == ""

    # every lead, researcher and administrator reads it in the library, under its name
    for name in ("carol", "rita", "adam"):
        client.force_login(world.user(name))
        html = client.get(url("detail", lesson_id=lesson.pk)).content.decode()
        assert "Joint HR team" in html and "From: Alpha" in html
        assert "Agree pay rules first." in html and "from 1 January 2025 to 31 December 2025" \
            in html

    # the history records who shared, returned and published
    reasons = [h.history_change_reason for h in lesson.history.order_by("history_id")]
    assert reasons == ["created", "shared", "returned", "shared", "published"]
    users = [h.history_user for h in lesson.history.order_by("history_id")]
    assert users == [world.user(u) for u in ("alice", "bob", "adam", "alice", "adam")]


def test_editing_a_published_lesson_sends_it_back_to_review(world, client, make_lesson):
    lesson = make_lesson("Alpha", "Published one", status="published", show_name=True)
    client.force_login(world.user("alice"))
    form = client.get(url("edit", lesson)).content.decode()
    assert "Saving a change takes it out of the library" in form
    response = client.post(url("edit", lesson), {"title": "Published one", "tried": "Changed",
                                                  "options": ["O1"], "revision": 0},
                           follow=True)
    assert "it has left the library and awaits review again" in response.content.decode()
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.AWAITING_REVIEW and lesson.tried == "Changed"
    client.force_login(world.user("carol"))
    assert client.get(url("detail", lesson_id=lesson.pk)).status_code == 404


def test_withdrawing_makes_it_private_again(world, client, make_lesson):
    lesson = make_lesson("Alpha", "Shared one", status="published")
    client.force_login(world.user("bella"))
    page = client.get(url("lesson", lesson)).content.decode()
    assert "Withdraw: make it private again" in page
    client.post(url("withdraw", lesson), {"revision": lesson.revision})
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.PRIVATE
    assert client.get(url("detail", lesson_id=lesson.pk)).status_code == 404


def test_a_stale_edit_is_refused_and_the_typing_kept(world, client, make_lesson):
    lesson = make_lesson("Alpha", "Contested", tried="Original")
    client.force_login(world.user("alice"))
    client.post(url("edit", lesson), {"title": "Contested", "tried": "Alice's version",
                                      "options": ["O1"], "revision": 0})
    client.force_login(world.user("bob"))
    response = client.post(url("edit", lesson), {"title": "Contested",
                                                 "tried": "Bob's version",
                                                 "options": ["O1"], "revision": 0})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this lesson after you opened it" in html
    assert "Alice&#x27;s version" in html and "Bob&#x27;s version" in html
    lesson.refresh_from_db()
    assert lesson.tried == "Alice's version"
    # saving again, deliberately, replaces it
    client.post(url("edit", lesson), {"title": "Contested", "tried": "Bob's version",
                                      "options": ["O1"], "revision": lesson.revision})
    lesson.refresh_from_db()
    assert lesson.tried == "Bob's version"


def test_a_stale_review_is_refused(world, client, make_lesson):
    lesson = make_lesson("Alpha", "Shared", status="awaiting_review")
    client.force_login(world.user("adam"))
    html = client.post(url("review", lesson_id=lesson.pk),
                       {"decision": "publish", "revision": 7}).content.decode()
    assert "Someone else changed this lesson" in html
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.AWAITING_REVIEW


@pytest.mark.parametrize(("data", "error"), [
    ({"title": "", "tried": "x", "options": ["O1"]}, "This field is required."),
    ({"title": "t", "tried": "x"}, "Choose at least one option, enabler or barrier."),
    ({"title": "t", "tried": "x", "options": ["O1"], "tried_from": "2025-02-01",
      "tried_to": "2025-01-01"}, "This date is before the date it was tried from."),
    ({"title": "t", "tried": "x", "options": ["O99"]}, "Select a valid choice."),
])
def test_bad_input_is_refused_and_the_typing_kept(world, client, data, error):
    client.force_login(world.user("alice"))
    response = client.post(url("new", partnership_id=world.partnerships["Alpha"].pk),
                           data | {"differently": "kept text"})
    html = response.content.decode()
    assert response.status_code == 200 and error in html and "kept text" in html
    assert "There is a problem" in html
    assert not Lesson.objects.exists()


def test_a_lesson_written_in_welsh_is_stored_as_welsh(world, client):
    client.force_login(world.user("alice"))
    client.post(reverse("set_language"), {"language": "cy", "next": "/"})
    new_lesson(client, world, title="Tîm AD ar y cyd")
    assert Lesson.objects.get(title="Tîm AD ar y cyd").language == "cy"


def test_english_content_is_marked_as_english_on_a_welsh_page(world, client, make_lesson):
    lesson = make_lesson("Alpha", "Shared HR", status="published", language="en-gb")
    client.force_login(world.user("carol"))
    client.post(reverse("set_language"), {"language": "cy", "next": "/"})
    html = client.get(url("detail", lesson_id=lesson.pk)).content.decode()
    assert '<html lang="cy">' in html
    assert '<h1 lang="en-gb">Shared HR</h1>' in html
    assert '<div lang="en-gb">' in html


def test_the_leads_home_links_to_their_lessons(world, client):
    client.force_login(world.user("bob"))
    html = client.get(reverse("home")).content.decode()
    assert url("list", partnership_id=world.partnerships["Alpha"].pk) in html
    assert "Lessons of Alpha" in html
    assert url("list", partnership_id=world.partnerships["Beta"].pk) not in html


@pytest.mark.parametrize("user", ["alice", "rita", "adam"])
def test_the_menu_links_to_the_library(world, client, user):
    client.force_login(world.user(user))
    assert reverse("lessons:library") in client.get(reverse("home")).content.decode()


def test_no_library_link_without_a_role(world, client):
    client.force_login(world.user("nobody"))
    assert reverse("lessons:library") not in client.get(reverse("home")).content.decode()
