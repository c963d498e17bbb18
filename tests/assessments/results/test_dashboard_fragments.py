"""The dashboard's answers-only sections (discuss these, charts, evidence) are cached as
HTML under a key naming what they show: a repeat view does not make them again, and
nothing a reader should see differently is ever served from another's copy."""

import re

import pytest

from assessments.results import views
from tests.assessments.results.test_results import (
    FIRE,
    POLICE,
    POLICE_COMMENTS,
    page,
    section,
)


def without_csrf(html):
    """The page without its CSRF tokens (masked afresh on every page)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


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
        assert without_csrf(section(again, part)) == without_csrf(section(first, part))
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


@pytest.fixture
def two_rounds(alpha, world, submit_answers):
    """Alpha with an earlier round, both with results: the dashboard has a trend."""
    from datetime import date

    from assessments.models import Round

    earlier = Round.objects.create(partnership=alpha.partnership, framework=alpha.framework,
                                   title="Alpha baseline", opens_on=date(2020, 1, 1))
    submit_answers(earlier, world.agencies["Alpha Police"], POLICE)
    submit_answers(earlier, world.agencies["Alpha Fire"], FIRE)
    return earlier


def trend_levels(html):
    """The trend table's rows as text, one per option."""
    import re

    table = section(html, "trend")
    return [re.sub(r"<[^>]+>", " ", row).split() for row in table.split("<tr")[2:]]


def test_the_trend_follows_a_new_submission_in_an_earlier_round(alpha, two_rounds, world,
                                                                login, submit_answers):
    client = login(world.user("alice"))
    before = page(client, alpha)
    assert "Alpha baseline" in section(before, "trend")
    assert section(page(client, alpha), "trend") == section(before, "trend")  # from the cache
    # Every answer of the baseline changed to its opposite: the levels then differ.
    submit_answers(two_rounds, world.agencies["Alpha Police"],
                   {code: 6 - value if value else value for code, value in FIRE.items()})
    submit_answers(two_rounds, world.agencies["Alpha Fire"],
                   {code: 6 - value if value else value for code, value in POLICE.items()})
    after = page(client, alpha)
    assert trend_levels(after) != trend_levels(before)


def test_the_trend_follows_a_renamed_round(alpha, two_rounds, world, login):
    client = login(world.user("alice"))
    assert "Alpha baseline" in section(page(client, alpha), "trend")
    two_rounds.title = "Alpha 2020 review"
    two_rounds.save()
    trend = section(page(client, alpha), "trend")
    assert "Alpha 2020 review" in trend and "Alpha baseline" not in trend


def test_nothing_made_from_a_draft_framework_is_kept(alpha, two_rounds, world, login):
    from survey.models import Framework

    Framework.objects.filter(pk=alpha.framework_id).update(status=Framework.Status.DRAFT)
    client = login(world.user("alice"))
    results = client.get(f"/rounds/{alpha.pk}/results/").context["results"]
    assert results.trend is not None and results.trend_key == ""



# --------------------------------------------------------------------------- the tier board


def card(html, code):
    """One option card of the tier board."""
    start = html.index(f'id="decision-{code}"')
    return html[html.rindex('<li class="card bl-option', 0, start):html.index("</li>", start)]


def test_the_tier_board_is_made_once_and_shows_a_new_decision_at_once(alpha, world, login):
    from datetime import date

    from assessments.boardpaper.decisions import decision_record

    client = login(world.user("alice"))
    first = page(client, alpha)
    assert "No decision recorded yet." in card(first, "O1")
    assert section(page(client, alpha), "tiers") == section(first, "tiers")
    decision_record(partnership=alpha.partnership, round=alpha, option_code="O1",
                    choice="now", reason="The back office is ready.",
                    decided_on=date(2026, 11, 20), user=world.user("alice"))
    o1 = card(page(client, alpha), "O1")
    assert "The back office is ready." in o1 and "No decision recorded yet." not in o1
    decision_record(partnership=alpha.partnership, round=alpha, option_code="O1",
                    choice="later", reason="After the KPIs are agreed.",
                    decided_on=date(2026, 11, 21), user=world.user("alice"))
    o1 = card(page(client, alpha), "O1")
    assert "After the KPIs are agreed." in o1 and "Earlier decision on O1" in o1


def test_the_tier_board_shows_a_lesson_published_elsewhere_at_once(alpha, world, login):
    from assessments.lessons.models import Lesson, LessonCode

    client = login(world.user("alice"))
    assert "lessons from other partnerships" not in card(page(client, alpha), "O1")
    lesson = Lesson.objects.create(partnership=world.partnerships["Beta"], title="Beta's way",
                                   tried="What we tried", status="published")
    LessonCode.objects.create(lesson=lesson, code="O1")
    assert "1 lesson from other partnerships" in card(page(client, alpha), "O1")


@pytest.mark.parametrize("name", ["rita", "adam"])
def test_only_leads_get_the_tier_board_that_records_decisions(alpha, world, login, name):
    """A researcher (no comments) and an administrator (who sees what the leads see, but
    does not decide for the partnership) never get the leads' copy."""
    lead = page(login(world.user("alice")), alpha)
    assert "Record a decision" in card(lead, "O1")
    html = page(login(world.user(name)), alpha)
    assert "Record a decision" not in card(html, "O1")
    assert "No decision recorded yet." in card(html, "O1")
