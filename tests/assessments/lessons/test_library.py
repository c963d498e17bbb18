"""The "what works" library: anonymity, filters and search, each lesson's page, the
dashboard's links to lessons from other partnerships, and who may see what."""

from html import unescape

import pytest
from django.urls import reverse

from assessments.lessons.dashboard import dashboard_context
from assessments.lessons.services import research_lessons_load
from assessments.lessons.wording import anonymous_description
from assessments.models import Agency, Membership
from tests.conftest import full_answers

LIBRARY = reverse("lessons:library")


def titles(client, **params):
    html = unescape(client.get(LIBRARY, params).content.decode())
    return {t for t in ("Shared HR team", "Monthly indicator packs", "Night co-responding",
                        "Private draft", "Waiting lesson", "'H3' partnership",
                        "Joint Ambulance Conveyance Project")
            if t in html}


@pytest.fixture
def library(world, make_lesson):
    research_lessons_load()
    return {
        "alpha_named": make_lesson("Alpha", "Shared HR team", codes=["O1", "E6"],
                                   status="published", show_name=True),
        "alpha_anon": make_lesson("Alpha", "Monthly indicator packs", codes=["O2", "B3"],
                                  status="published", tried="Monthly packs of data"),
        "beta_anon": make_lesson("Beta", "Night co-responding", codes=["O1", "O9"],
                                 status="published"),
        "alpha_private": make_lesson("Alpha", "Private draft", codes=["O1"]),
        "beta_shared": make_lesson("Beta", "Waiting lesson", codes=["O1"],
                                   status="awaiting_review"),
    }


def test_only_published_lessons_and_research_examples(library, login, world):
    client = login(world.user("dan"))
    found = titles(client)
    assert found == {"Shared HR team", "Monthly indicator packs", "Night co-responding",
                     "'H3' partnership",
                     "Joint Ambulance Conveyance Project"}
    assert "9 lessons" in client.get(LIBRARY).content.decode()  # 3 published + 6 research


def test_an_anonymous_lesson_never_shows_its_partnership_name(library, login, world):
    client = login(world.user("dan"))
    lesson = library["alpha_anon"]
    page = client.get(reverse("lessons:detail", args=[lesson.pk])).content.decode()
    assert "Monthly indicator packs" in page and "From: A partnership" in page
    assert "A partnership of police and fire services in England (shared back office)" in page
    assert "Alpha Police" not in page and "Alpha Fire" not in page
    assert "Alpha" not in page
    # in the library the anonymous card carries only the description
    html = client.get(LIBRARY, {"option": "O2"}).content.decode()
    assert "Monthly indicator packs" in html and "Shared HR team" not in html
    assert "A partnership of police and fire services in England" in html
    assert "Alpha" not in html
    # searching for the partnership's name finds its named lesson, never the anonymous one
    assert titles(client, q="Alpha") == {"Shared HR team"}
    assert titles(client, q="Alpha Police") == set()
    assert titles(client, q="monthly packs") == {"Monthly indicator packs"}


def test_the_described_partnership_of_beta(library, login, world):
    client = login(world.user("alice"))
    html = client.get(reverse("lessons:detail", args=[library["beta_anon"].pk])).content.decode()
    assert "A partnership of fire and ambulance services in Wales (co-responding)" in html
    assert "Beta" not in html


@pytest.mark.parametrize(("params", "expected"), [
    ({"option": "O1"}, {"Shared HR team", "Night co-responding", "'H3' partnership"}),
    ({"option": "O9"}, {"Night co-responding", "Joint Ambulance Conveyance Project"}),
    ({"factor": "B3"}, {"Monthly indicator packs"}),
    ({"factor": "E6"}, {"Shared HR team"}),
    ({"kind": "co_responding"}, {"Night co-responding", "Joint Ambulance Conveyance Project"}),
    ({"kind": "shared_back_office"},
     {"Shared HR team", "Monthly indicator packs", "'H3' partnership"}),
    ({"service": "ambulance"}, {"Night co-responding"}),
    ({"service": "police"}, {"Shared HR team", "Monthly indicator packs"}),
    ({"nation": "Wales"}, {"Night co-responding"}),
    ({"nation": "England", "option": "O1"}, {"Shared HR team"}),
    ({"q": "conveyance"}, {"Joint Ambulance Conveyance Project"}),
    ({"q": "sharing back-office"}, {"'H3' partnership"}),
    ({"option": "O20"}, set()),
])
def test_filters_and_search(library, login, world, params, expected):
    assert titles(login(world.user("rita")), **params) == expected


def test_an_unknown_filter_value_says_so(library, login, world):
    html = login(world.user("rita")).get(LIBRARY, {"option": "O99"}).content.decode()
    assert "There is a problem" in html and "Select a valid choice." in html


def test_no_match_says_so(library, login, world):
    html = login(world.user("rita")).get(LIBRARY, {"q": "zebra"}).content.decode()
    assert "No lesson matches these filters yet." in html and "0 lessons" in html


@pytest.mark.parametrize("user", ["alice", "carol", "rita", "adam"])
def test_unpublished_lessons_have_no_library_page_for_anyone(library, login, world, user):
    client = login(world.user(user))
    for key in ("alpha_private", "beta_shared"):
        assert client.get(reverse("lessons:detail", args=[library[key].pk])).status_code == 404


def test_library_refusals(world, client):
    assert client.get(LIBRARY).status_code == 302  # to the login page
    assert reverse("login") in client.get(LIBRARY)["Location"]
    client.force_login(world.user("nobody"))
    assert client.get(LIBRARY).status_code == 403


def test_query_counts_of_the_library_and_a_lesson(library, login, world,
                                                   django_assert_num_queries):
    client = login(world.user("carol"))
    client.get(LIBRARY)
    # session, user, groups, items, count, lessons, codes, memberships with agencies
    with django_assert_num_queries(8):
        client.get(LIBRARY, {"option": "O1", "q": "a", "nation": "England"})
    research_lessons_load()  # more rows, same queries
    with django_assert_num_queries(8):
        client.get(LIBRARY)
    with django_assert_num_queries(7):  # session, user, groups, lesson, codes, memberships, items
        client.get(reverse("lessons:detail", args=[library["alpha_anon"].pk]))


# --------------------------------------------------------------------------- wording


@pytest.mark.parametrize(("services", "nations", "text"), [
    (["fire", "ambulance"], ["Wales", "Wales"],
     "A partnership of fire and ambulance services in Wales (co-responding)"),
    (["ambulance", "police", "fire", "fire"], ["England"],
     "A partnership of police, fire and ambulance services in England (co-responding)"),
    (["local_authority", "police"], ["England", "Wales"],
     "A partnership of police and local authority services in England and Wales "
     "(co-responding)"),
    ([], [], "A partnership (co-responding)"),
    (["fire"], [""], "A partnership of fire services (co-responding)"),
])
def test_anonymous_descriptions(services, nations, text):
    assert anonymous_description(kind="co_responding", services=services,
                                 nations=nations) == text


# --------------------------------------------------------------------------- dashboard


@pytest.fixture
def alpha_results(world, submit_answers):
    alpha = world.rounds["Alpha"]
    submit_answers(alpha, world.agencies["Alpha Fire"], full_answers())
    submit_answers(alpha, world.agencies["Alpha Police"], full_answers())
    return alpha


def option_card(html, code):
    start = html.index(f"<h4 class=\"h6 card-title mb-1\">{code} ")
    return html[start:html.index("</li>\n", html.index("card-body", start))]


def test_the_dashboard_counts_lessons_of_other_partnerships_only(
        library, alpha_results, login, world, make_lesson):
    make_lesson("Beta", "Second Beta lesson", codes=["O1"], status="published")
    client = login(world.user("alice"))
    html = client.get(reverse("results:round", args=[alpha_results.pk])).content.decode()
    o1 = option_card(html, "O1")
    # Beta's two published lessons; Alpha's own published lesson and private one not counted
    assert "2 lessons from other partnerships" in o1
    assert "2 examples from the research" in o1  # H3, the shared-services arrangement
    assert f'{LIBRARY}?option=O1' in o1
    o2 = option_card(html, "O2")  # only Alpha's own lesson: no link
    assert "lessons:library" not in o2 and "from other partnerships" not in o2
    assert f"{LIBRARY}?option=O2" not in o2
    o9 = option_card(html, "O9")
    assert "1 lesson from other partnerships" in o9
    assert "Your partnership's lessons" in html
    # a researcher sees the same counts, without a link to the partnership's own lessons
    html = login(world.user("rita")).get(
        reverse("results:round", args=[alpha_results.pk])).content.decode()
    assert "2 lessons from other partnerships" in option_card(html, "O1")
    assert "Your partnership's lessons" not in html


def test_the_dashboard_context_takes_one_query(library, alpha_results, world, rf,
                                               django_assert_num_queries):
    from assessments.results.selectors import PARTNER, round_results

    results = round_results(round=alpha_results, audience=PARTNER)
    with django_assert_num_queries(1):
        context = dashboard_context(request=rf.get("/"), round=alpha_results, results=results)
    assert context["lessons_by_option"]["O1"] == {"others": 1, "research": 2}
    assert "O2" not in context["lessons_by_option"]


def test_no_query_before_results(world, rf, django_assert_num_queries):
    from assessments.results.selectors import PARTNER, round_results

    results = round_results(round=world.rounds["Beta"], audience=PARTNER)
    with django_assert_num_queries(0):
        assert dashboard_context(request=rf.get("/"), round=world.rounds["Beta"],
                                 results=results) == {"lessons_by_option": {}}


def test_a_partnership_with_an_agency_in_each_nation(world, make_lesson, login):
    agency = Agency.objects.create(name="Alpha Wales Ambulance", service="ambulance",
                                   nation="Wales")
    Membership.objects.create(partnership=world.partnerships["Alpha"], agency=agency)
    lesson = make_lesson("Alpha", "Cross-border", status="published")
    html = login(world.user("carol")).get(
        reverse("lessons:detail", args=[lesson.pk])).content.decode()
    assert ("A partnership of police, fire and ambulance services in England and Wales "
            "(shared back office)") in html
