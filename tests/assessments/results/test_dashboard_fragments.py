"""The dashboard's answers-only sections (discuss these, charts, evidence) are cached as
HTML under a key naming what they show: a repeat view does not make them again, and
nothing a reader should see differently is ever served from another's copy."""

import pytest

from assessments.results import views
from tests.assessments.results.test_results import (
    FIRE,
    POLICE,
    POLICE_COMMENTS,
    page,
    section,
)


@pytest.fixture
def alpha(world, submit_answers):
    round_ = world.rounds["Alpha"]
    submit_answers(round_, world.agencies["Alpha Police"], POLICE, comments=POLICE_COMMENTS)
    submit_answers(round_, world.agencies["Alpha Fire"], FIRE)
    return round_


@pytest.fixture
def made(monkeypatch):
    """How many times the answers' charts and tables were made."""
    calls = {"charts": 0, "tables": 0}

    def counted(name, real):
        def wrapper(results):
            calls[name] += 1
            return real(results)
        return wrapper

    monkeypatch.setattr(views, "answers_charts", counted("charts", views.answers_charts))
    monkeypatch.setattr(views, "answers_tables", counted("tables", views.answers_tables))
    return calls


def test_a_repeat_view_shows_the_same_sections_without_making_them_again(alpha, world, login,
                                                                          made):
    client = login(world.user("alice"))
    first = page(client, alpha)
    assert made == {"charts": 1, "tables": 1}
    again = page(client, alpha)
    assert made == {"charts": 1, "tables": 1}
    for part in ("discuss", "charts", "evidence"):
        assert section(again, part) == section(first, part)
    assert 'id="chart-enablers"' in again and "Trust is thin at station level." in again


def test_a_changed_comment_shows_at_once_though_the_levels_are_the_same(alpha, world, login,
                                                                        submit_answers):
    """The answers' hash leaves the comments out (the levels do not depend on them); the
    sections' key does not."""
    client = login(world.user("alice"))
    assert "Trust is thin at station level." in section(page(client, alpha), "evidence")
    submit_answers(alpha, world.agencies["Alpha Police"], POLICE,
                   comments={"E2": "Trust has grown since the joint exercise."})
    evidence = section(page(client, alpha), "evidence")
    assert "Trust has grown since the joint exercise." in evidence
    assert "Trust is thin at station level." not in evidence


def test_changed_answers_change_the_charts(alpha, world, login, submit_answers):
    client = login(world.user("alice"))
    before = section(page(client, alpha), "charts")
    submit_answers(alpha, world.agencies["Alpha Fire"], {**FIRE, "E2": 1, "B3": 1})
    after = section(page(client, alpha), "charts")
    assert after != before


def test_a_researcher_never_gets_the_leads_copy_with_comments(alpha, world, login):
    lead = page(login(world.user("alice")), alpha)
    assert "Trust is thin at station level." in section(lead, "discuss") + lead
    html = page(login(world.user("rita")), alpha)
    assert "Trust is thin at station level." not in html
    assert 'id="evidence"' not in html
    assert 'id="chart-enablers"' in html


def test_each_language_has_its_own_copy(alpha, world, login):
    client = login(world.user("alice"))
    english = page(client, alpha)
    assert "Enablers, barriers and themes" in section(english, "charts")
    client.cookies["django_language"] = "cy"
    welsh = page(client, alpha)
    assert "Galluogwyr, rhwystrau a themâu" in section(welsh, "charts")
    assert "Enablers, barriers and themes" not in section(welsh, "charts")
    client.cookies["django_language"] = "en-gb"
    assert section(page(client, alpha), "charts") == section(english, "charts")
