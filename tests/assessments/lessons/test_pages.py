"""Who may open a partnership's lessons and the review queue; query counts of each page;
the demo's lessons."""

import pytest
from django.urls import reverse

from assessments.lessons.models import Lesson, LessonStatus


@pytest.fixture
def lesson(make_lesson):
    return make_lesson("Alpha", "Our lesson", codes=["O1", "B2"])


def partnership_urls(world, lesson):
    p = {"partnership_id": world.partnerships["Alpha"].pk}
    pl = p | {"lesson_id": lesson.pk}
    return {"list": reverse("lessons:list", kwargs=p), "new": reverse("lessons:new", kwargs=p),
            "lesson": reverse("lessons:lesson", kwargs=pl),
            "edit": reverse("lessons:edit", kwargs=pl),
            "share": reverse("lessons:share", kwargs=pl)}


@pytest.mark.parametrize(("user", "status"), [("carol", 404), ("rita", 403), ("nobody", 403)])
def test_other_roles_are_refused_every_partnership_page(world, lesson, client, user, status):
    client.force_login(world.user(user))
    for name, url in partnership_urls(world, lesson).items():
        assert client.get(url).status_code == status, name
    withdraw = reverse("lessons:withdraw", kwargs={
        "partnership_id": lesson.partnership_id, "lesson_id": lesson.pk})
    assert client.post(withdraw, {"revision": 0}).status_code == status
    assert client.post(partnership_urls(world, lesson)["share"],
                       {"show_name": "named", "revision": 0}).status_code == status
    lesson.refresh_from_db()
    assert lesson.status == LessonStatus.PRIVATE


def test_anonymous_visitors_go_to_the_login_page(world, lesson, client):
    for url in partnership_urls(world, lesson).values():
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(
            reverse("login"))


def test_a_lesson_of_another_partnership_is_404_in_ones_own_url(world, make_lesson, client):
    beta = make_lesson("Beta", "Beta's own")
    client.force_login(world.user("alice"))
    url = reverse("lessons:lesson", kwargs={"partnership_id": world.partnerships["Alpha"].pk,
                                             "lesson_id": beta.pk})
    assert client.get(url).status_code == 404


def test_administrators_read_but_never_write(world, lesson, client):
    client.force_login(world.user("adam"))
    urls = partnership_urls(world, lesson)
    html = client.get(urls["list"]).content.decode()
    assert "Our lesson" in html and "Record a lesson" not in html
    page = client.get(urls["lesson"]).content.decode()
    assert "Our lesson" in page and "Share it with other partnerships" not in page
    assert client.get(urls["new"]).status_code == 403
    assert client.get(urls["edit"]).status_code == 403
    assert client.post(urls["share"], {"show_name": "named", "revision": 0}).status_code == 403


@pytest.mark.parametrize("user", ["alice", "carol", "rita", "nobody"])
def test_only_administrators_review(world, make_lesson, client, user):
    shared = make_lesson("Alpha", "Shared", status="awaiting_review")
    client.force_login(world.user(user))
    assert client.get(reverse("lessons:review_queue")).status_code == 403
    url = reverse("lessons:review", args=[shared.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"decision": "publish", "revision": 0}).status_code == 403
    shared.refresh_from_db()
    assert shared.status == LessonStatus.AWAITING_REVIEW


def test_the_list_shows_each_state(world, make_lesson, client):
    for title, status in [("P1", "private"), ("P2", "awaiting_review"), ("P3", "returned"),
                          ("P4", "published")]:
        make_lesson("Alpha", title, status=status)
    client.force_login(world.user("alice"))
    html = client.get(reverse("lessons:list", args=[world.partnerships["Alpha"].pk])).content \
        .decode()
    for text in ("Private", "Awaiting review", "Returned", "Published"):
        assert f">{text}</span>" in html


def test_query_counts(world, make_lesson, client, django_assert_num_queries):
    for i in range(3):
        make_lesson("Alpha", f"Lesson {i}", codes=["O1", "E2"], status="published")
    shared = make_lesson("Alpha", "Shared", status="awaiting_review")
    urls = partnership_urls(world, shared)
    client.force_login(world.user("alice"))
    client.get(urls["list"])
    # session, user, groups, partnership (with is_partner), lessons, codes
    with django_assert_num_queries(6):
        client.get(urls["list"])
    # + lesson, codes, items, the partnership's agencies
    with django_assert_num_queries(8):
        client.get(urls["lesson"])
    with django_assert_num_queries(5):  # session, user, groups, partnership, items
        client.get(urls["new"])
    with django_assert_num_queries(7):  # + lesson, codes
        client.get(urls["edit"])
    share = reverse("lessons:share", kwargs={"partnership_id": shared.partnership_id,
                                             "lesson_id": make_lesson("Alpha", "Private").pk})
    with django_assert_num_queries(7):  # + lesson, codes, the partnership's agencies
        client.get(share)
    client.force_login(world.user("adam"))
    client.get(reverse("lessons:review_queue"))
    # session, user, groups, lessons, codes, memberships with agencies
    with django_assert_num_queries(6):
        client.get(reverse("lessons:review_queue"))
    with django_assert_num_queries(7):  # session, user, groups, lesson, codes, agencies, items
        client.get(reverse("lessons:review", args=[shared.pk]))


def test_the_demo_lessons(world):
    from assessments.demo import demo_load

    demo_load()
    lessons = Lesson.objects.filter(source="partnership").select_related("partnership")
    by_partnership = {}
    for lesson in lessons:
        by_partnership.setdefault(lesson.partnership.name, []).append(lesson)
    assert len(by_partnership) == 3
    for items in by_partnership.values():
        assert {lesson.status for lesson in items} == {"private", "published"}
    published = [lesson for lesson in lessons if lesson.status == "published"]
    assert {lesson.show_name for lesson in published} == {True, False}
    assert Lesson.objects.filter(source="research").count() == 6
    count, history = Lesson.objects.count(), Lesson.history.count()
    demo_load()
    assert (Lesson.objects.count(), Lesson.history.count()) == (count, history)
