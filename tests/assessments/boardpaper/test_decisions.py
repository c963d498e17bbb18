"""Decisions on the options (issue 15, part 2): recorded by the partnership's leads with a
reason and a date, kept as a record, shown in force on every round's dashboard."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments.boardpaper.decisions import (
    DecisionRefused,
    decision_record,
    decisions_for,
)
from assessments.boardpaper.models import Decision
from assessments.models import Round
from tests.conftest import full_answers


@pytest.fixture
def alpha(world, submit_answers):
    """Alpha's round has results (both agencies submitted)."""
    r = world.rounds["Alpha"]
    submit_answers(r, world.agencies["Alpha Fire"], full_answers())
    submit_answers(r, world.agencies["Alpha Police"], full_answers(O4=2))
    return r


def decisions_url(round_):
    return reverse("boardpaper:decisions", args=[round_.pk])


def dashboard(client, round_, **params):
    response = client.get(reverse("results:round", args=[round_.pk]), params)
    assert response.status_code == 200
    return response.content.decode()


def card(html, code):
    """The decision block of one option card."""
    start = html.index(f'id="decision-{code}"')
    return html[start:html.index("</div>", start)]


def post(client, round_, **fields):
    return client.post(decisions_url(round_), fields)


def today():
    return timezone.localdate()


# --------------------------------------------------------------------------- recording


def test_a_lead_records_decisions_and_the_dashboard_shows_them(alpha, world, login):
    client = login(world.user("alice"))
    response = post(client, alpha, **{
        "O1-choice": "now", "O1-reason": "The back office is ready.",
        "O1-decided_on": "2026-11-20", "O1-seen": "0",
        "O4-choice": "not", "O4-reason": "Control rooms are not for us yet.",
        "O4-decided_on": "2026-11-21", "O4-seen": "0"})
    assert response.status_code == 302
    assert response["Location"].endswith(reverse("results:round", args=[alpha.pk]) + "#tiers")
    html = client.get(response["Location"]).content.decode()
    assert "Recorded 2 decisions: O1, O4." in html
    o1 = card(html, "O1")
    assert "Pursue now" in o1 and "The back office is ready." in o1
    assert "Decided 20 November 2026, on the results of Alpha round 1" in o1
    assert "Change the decision" in o1
    o4 = card(html, "O4")
    assert "Not pursuing" in o4 and "Control rooms are not for us yet." in o4
    o2 = card(html, "O2")
    assert "No decision recorded yet." in o2 and "Record a decision" in o2
    assert f'{decisions_url(alpha)}#option-O2' in o2
    made = Decision.objects.get(option_code="O1")
    assert (made.partnership, made.round, made.recorded_by, made.decided_on) == (
        alpha.partnership, alpha, world.user("alice"), date(2026, 11, 20))


def test_a_new_decision_adds_a_row_and_the_earlier_ones_are_kept(alpha, world, login):
    client = login(world.user("bob"))
    post(client, alpha, **{"O2-choice": "later", "O2-reason": "After the KPIs are agreed.",
                           "O2-decided_on": "2026-10-01", "O2-seen": "0"})
    first = Decision.objects.get()
    post(client, alpha, **{"O2-choice": "now", "O2-reason": "KPIs agreed in November.",
                           "O2-decided_on": "2026-11-30", "O2-seen": str(first.pk)})
    assert Decision.objects.count() == 2
    row = decisions_for(partnership=alpha.partnership)["O2"]
    assert (row.choice, row.choice_label, row.reason) == ("now", "Pursue now",
                                                          "KPIs agreed in November.")
    assert [e.choice for e in row.earlier] == ["later"]
    assert row.round_title == "Alpha round 1"
    o2 = card(dashboard(client, alpha), "O2")
    assert "Pursue now" in o2 and "Earlier decision on O2 (1)" in o2
    assert "1 October 2026" in o2 and "After the KPIs are agreed." in o2
    page = client.get(decisions_url(alpha)).content.decode()
    assert "Decision in force:" in page and "After the KPIs are agreed." in page


def test_the_decision_in_force_is_the_latest_by_date_not_the_last_recorded(alpha, world):
    alice = world.user("alice")
    decision_record(partnership=alpha.partnership, round=alpha, option_code="O3",
                    choice="now", reason="Decided at the December board.",
                    decided_on=today(), user=alice)
    decision_record(partnership=alpha.partnership, round=alpha, option_code="O3",
                    choice="not", reason="Recorded late: the October board's view.",
                    decided_on=today() - timedelta(days=60), user=alice)
    row = decisions_for(partnership=alpha.partnership)["O3"]
    assert row.choice == "now"
    assert [e.reason for e in row.earlier] == ["Recorded late: the October board's view."]


def test_decisions_belong_to_the_partnership_and_show_on_a_later_round(
        alpha, world, login, submit_answers):
    client = login(world.user("alice"))
    post(client, alpha, **{"O5-choice": "later", "O5-reason": "Wait for the funding round.",
                           "O5-decided_on": "2026-11-02", "O5-seen": "0"})
    later = Round.objects.create(partnership=alpha.partnership, framework=world.framework,
                                 title="Alpha round 2", opens_on=date(2026, 12, 1))
    submit_answers(later, world.agencies["Alpha Fire"], full_answers())
    submit_answers(later, world.agencies["Alpha Police"], full_answers())
    o5 = card(dashboard(client, later), "O5")
    assert "Pursue later" in o5 and "Wait for the funding round." in o5
    assert "Decided 2 November 2026, on the results of Alpha round 1" in o5
    # and Beta, another partnership, has none of Alpha's decisions
    beta = world.rounds["Beta"]
    submit_answers(beta, world.agencies["Beta Fire"], full_answers())
    submit_answers(beta, world.agencies["Beta Ambulance"], full_answers())
    beta_html = dashboard(login(world.user("carol")), beta)
    assert "Wait for the funding round." not in beta_html
    assert "No decision recorded yet." in card(beta_html, "O5")


# --------------------------------------------------------------------------- validation


def test_a_reason_is_required_and_nothing_typed_is_lost(alpha, world, login):
    client = login(world.user("alice"))
    response = post(client, alpha, **{
        "O1-choice": "now", "O1-reason": "  ", "O1-decided_on": "2026-11-20", "O1-seen": "0",
        "O2-choice": "later", "O2-reason": "Keep this text", "O2-decided_on": "2026-11-19",
        "O2-seen": "0"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'href="#id_O1-reason">O1: Give the reason for this decision.' in html
    assert "Keep this text" in html and 'value="2026-11-19"' in html
    assert 'value="later" name="O2-choice"' in html.replace('type="radio" ', "") or \
        'name="O2-choice" value="later"' in html
    assert Decision.objects.count() == 0


@pytest.mark.parametrize("fields, message", [
    ({"O1-choice": "now", "O1-reason": "Soon", "O1-decided_on": "2099-01-01"},
     "The date of a decision cannot be in the future."),
    ({"O1-choice": "", "O1-reason": "A reason without a decision"},
     "Choose a decision for the reason you wrote, or clear the reason."),
    ({"O1-choice": "maybe", "O1-reason": "Not a choice"}, "Select a valid choice."),
    ({"O1-choice": "now", "O1-reason": "No date", "O1-decided_on": ""},
     "Give the date of the decision."),
    ({"O1-choice": "now", "O1-reason": "Bad date", "O1-decided_on": "31/02/2026"},
     "Enter a valid date."),
    ({}, "Choose a decision for at least one option."),
])
def test_bad_input_is_refused_with_a_clear_message(alpha, world, login, fields, message):
    response = post(login(world.user("alice")), alpha, **fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Decision.objects.count() == 0


def test_the_service_refuses_an_unknown_option_a_foreign_round_and_a_bad_choice(alpha, world):
    alice = world.user("alice")
    with pytest.raises(DecisionRefused) as refused:
        decision_record(partnership=alpha.partnership, round=alpha, option_code="O99",
                        choice="now", reason="x", decided_on=today(), user=alice)
    assert "O99 is not an option of this round's framework." in str(refused.value)
    with pytest.raises(DecisionRefused) as refused:
        decision_record(partnership=alpha.partnership, round=world.rounds["Beta"],
                        option_code="O1", choice="now", reason="x", decided_on=today(),
                        user=alice)
    assert "not one of the partnership's" in str(refused.value)
    with pytest.raises(DecisionRefused) as refused:
        decision_record(partnership=alpha.partnership, round=alpha, option_code="O1",
                        choice="perhaps", reason="", decided_on=today() + timedelta(days=1),
                        user=alice)
    text = str(refused.value)
    assert "Give the reason" in text and "cannot be in the future" in text
    assert Decision.objects.count() == 0


def test_a_decision_recorded_meanwhile_is_not_overwritten_silently(alpha, world, login):
    """Alice opened the page (no decision on O6); Bob then records one; Alice's save is
    refused with a message, her typing kept; saved again, it goes in."""
    alice = login(world.user("alice"))
    assert 'name="O6-seen" value="0"' in alice.get(decisions_url(alpha)).content.decode()
    decision_record(partnership=alpha.partnership, round=alpha, option_code="O6",
                    choice="not", reason="Bob thinks not", decided_on=today(),
                    user=world.user("bob"))
    fields = {"O6-choice": "now", "O6-reason": "Alice thinks so",
              "O6-decided_on": today().isoformat(), "O6-seen": "0"}
    response = post(alice, alpha, **fields)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Someone recorded a decision on O6 since you opened this page" in html
    assert "Alice thinks so" in html and "Bob thinks not" in html
    assert Decision.objects.count() == 1
    bob_id = Decision.objects.get().pk
    assert f'name="O6-seen" value="{bob_id}"' in html
    response = post(alice, alpha, **{**fields, "O6-seen": str(bob_id)})
    assert response.status_code == 302
    assert decisions_for(partnership=alpha.partnership)["O6"].reason == "Alice thinks so"


# --------------------------------------------------------------------------- the page


def test_the_page_lists_every_option_with_its_level_and_its_decision(alpha, world, login):
    decision_record(partnership=alpha.partnership, round=alpha, option_code="O4",
                    choice="later", reason="Estates first", decided_on=date(2026, 11, 1),
                    user=world.user("alice"))
    html = login(world.user("bob")).get(decisions_url(alpha)).content.decode()
    for code in (f"O{i}" for i in range(1, 21)):
        assert f'<fieldset class="border rounded p-3 mb-4" id="option-{code}">' in html
        assert f"New decision on {code}</legend>" in html
    assert "O1 More single (shared) back offices</legend>" in html
    assert "Level 1 in this round" in html and "Published: Level 1" in html
    o4 = html[html.index('id="option-O4"'):html.index('id="option-O5"')]
    assert "Level 3 in this round" in o4 and "Decision in force:" in o4
    assert "Estates first" in o4 and "decided 1 November 2026 on the results of Alpha round 1" in o4
    assert f'value="{today().isoformat()}"' in html  # the date defaults to today
    assert 'value="" name="O1-choice"' in html.replace('type="radio" ', "") or \
        'name="O1-choice" value=""' in html


def test_a_round_without_results_has_no_decisions_page(world, login):
    response = login(world.user("alice")).get(decisions_url(world.rounds["Alpha"]))
    assert response.status_code == 404


# session, user, roles, the round; members, submitted answers, submitted agencies (the
# framework's spec is cached); the partnership's decisions with their rounds and authors.
DECISIONS_PAGE_QUERIES = 8


def test_the_decisions_page_queries_are_pinned(alpha, world, login,
                                                django_assert_num_queries):
    client = login(world.user("alice"))
    for code in ("O1", "O2", "O3"):
        for day in (1, 2):
            decision_record(partnership=alpha.partnership, round=alpha, option_code=code,
                            choice="now", reason="r", decided_on=date(2026, 11, day),
                            user=world.user("alice"))
    client.get(decisions_url(alpha))
    with django_assert_num_queries(DECISIONS_PAGE_QUERIES):
        assert client.get(decisions_url(alpha)).status_code == 200


def test_decisions_cost_the_dashboard_one_query_whatever_their_number(alpha, world, login):
    client = login(world.user("alice"))
    client.get(reverse("results:round", args=[alpha.pk]))
    with CaptureQueriesContext(connection) as none:
        client.get(reverse("results:round", args=[alpha.pk]))
    for code in (f"O{i}" for i in range(1, 21)):
        for day in (1, 2):
            decision_record(partnership=alpha.partnership, round=alpha, option_code=code,
                            choice="later", reason="r", decided_on=date(2026, 11, day),
                            user=world.user("alice"))
    client.get(reverse("results:round", args=[alpha.pk]))
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("results:round", args=[alpha.pk]))
    assert len(many) == len(none)


# --------------------------------------------------------------------------- who


def test_researchers_and_administrators_read_decisions_but_cannot_record(alpha, world, login):
    decision_record(partnership=alpha.partnership, round=alpha, option_code="O1",
                    choice="now", reason="Ready now", decided_on=date(2026, 11, 3),
                    user=world.user("alice"))
    for name in ("rita", "adam"):
        html = dashboard(login(world.user(name)), alpha)
        o1 = card(html, "O1")
        assert "Pursue now" in o1 and "Ready now" in o1
        assert "Change the decision" not in html and "Record a decision" not in html
        assert decisions_url(alpha) not in html


@pytest.mark.parametrize("who, status", [
    ("rita", 403), ("adam", 403), ("nobody", 403), ("carol", 404), (None, 302)])
def test_only_the_partnership_leads_may_open_or_post_the_decisions_page(
        alpha, world, client, who, status):
    if who:
        client.force_login(world.user(who))
    fields = {"O1-choice": "now", "O1-reason": "x", "O1-decided_on": "2026-11-01",
              "O1-seen": "0"}
    get, post_ = client.get(decisions_url(alpha)), client.post(decisions_url(alpha), fields)
    assert (get.status_code, post_.status_code) == (status, status)
    if who is None:
        assert "/login/" in get["Location"]
    assert Decision.objects.count() == 0


def test_another_partnerships_lead_cannot_record_on_its_round(alpha, world, login,
                                                              submit_answers):
    beta = world.rounds["Beta"]
    submit_answers(beta, world.agencies["Beta Fire"], full_answers())
    submit_answers(beta, world.agencies["Beta Ambulance"], full_answers())
    client = login(world.user("alice"))
    assert client.get(decisions_url(beta)).status_code == 404
    assert client.get(decisions_url(alpha)).status_code == 200


# --------------------------------------------------------------------------- demo


def test_the_demo_seeds_three_decisions_per_partnership_idempotently(framework):
    from assessments.boardpaper import demo
    from assessments.demo import demo_load

    demo_load()
    count = Decision.objects.count()
    demo.seed()
    assert Decision.objects.count() == count == 9
    for partnership in ("Northshire Shared Services", "Eastvale Co-responding",
                        "Glanmor Tri-service Control Room"):
        rows = decisions_for(partnership=Decision.objects.filter(
            partnership__name=partnership).first().partnership_id)
        assert sorted(r.choice for r in rows.values()) == ["later", "not", "now"]
        assert all(r.reason for r in rows.values())
    northshire = decisions_for(partnership=Decision.objects.filter(
        partnership__name="Northshire Shared Services").first().partnership_id)
    assert northshire["O1"].round_title == "Baseline 2025"
