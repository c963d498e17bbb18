"""The results dashboard: who sees it, what it shows, and that only submitted answers count."""

import re
from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from assessments.frameworks import framework_spec
from assessments.models import Agency, Membership, Round
from assessments.questionnaire.selectors import round_submitted_answers
from assessments.results.selectors import (
    RESEARCH,
    Audience,
    agency_labels,
    round_results,
    round_scored,
)
from assessments.results.wording import reason_texts
from assessments.scoring import score_round
from tests.conftest import full_answers

# Police: trust absent-ish and opposes O4; Fire: a blocking barrier B3.
POLICE = full_answers(E2=1, O4=1)
FIRE = full_answers(E2=4, B3=5)
# How the dashboard says E2 holds options back: the status, each figure with its scale's word.
E2_WEAK = ("E2 Trust at all levels is an enabler that needs work: average 2.5 (between Early "
           "signs and Partly in place), lowest answer 1 (Not in place).")
POLICE_COMMENTS = {"E2": "Trust is thin at station level.", "O4": "=HYPERLINK(\"x\")"}


@pytest.fixture
def alpha(world, submit_answers):
    """Partnership Alpha with both agencies submitted (POLICE and FIRE answers)."""
    round_ = world.rounds["Alpha"]
    submit_answers(round_, world.agencies["Alpha Police"], POLICE, comments=POLICE_COMMENTS)
    submit_answers(round_, world.agencies["Alpha Fire"], FIRE)
    return round_


def url(round_):
    return reverse("results:round", args=[round_.pk])


def page(client, round_):
    response = client.get(url(round_))
    assert response.status_code == 200
    return response.content.decode()


def item_titles(round_):
    spec = framework_spec(framework=round_.framework)
    return {f.code: f.title for f in spec.factors}


def scales(round_):
    """The round's scales: kind -> value -> word."""
    return {s.kind: dict(s.labels) for s in round_.framework.scales.all()}


def expected_result(round_):
    answers = round_submitted_answers(round=round_)
    return score_round(answers, framework_spec(framework=round_.framework))


def section(html, section_id):
    """The HTML of one <section id=...> of the page (up to the next top-level section)."""
    start = html.index(f'id="{section_id}"')
    end = html.find("<section id=", start + 1)
    return html[start:end if end > 0 else len(html)]


def tier_columns(html):
    """Each tier's HTML, by its heading id (tier-1, tier-2, tier-3, tier-none)."""
    board = section(html, "tiers")
    parts = re.split(r'id="(tier-(?:1|2|3|none))"', board)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


# --------------------------------------------------------------------------- access


@pytest.mark.parametrize("name", ["alice", "bob", "adam"])
def test_partnership_leads_and_administrators_see_tiers_reasons_and_evidence(alpha, world,
                                                                            login, name):
    html = page(login(world.user(name)), alpha)
    assert "Results for Alpha" in html
    assert "O1 More single (shared) back offices" in html
    assert E2_WEAK in html
    assert 'id="evidence"' in html
    assert "Trust is thin at station level." in html
    assert "Alpha Police" in html and "Alpha Fire" in html


def test_researcher_sees_the_results_but_not_the_comments(alpha, world, login):
    html = page(login(world.user("rita")), alpha)
    assert E2_WEAK in html
    assert 'id="evidence"' not in html
    assert "Trust is thin at station level." not in html
    assert "comments on their answers are for the partnership only" in html
    # Agencies by name, as in the answers export researchers may download.
    assert "Alpha Police opposes this (answered 1: Strongly oppose)." in html


def test_lead_of_another_partnership_gets_404(alpha, world, login):
    client = login(world.user("carol"))
    for name in ("results:round", "results:json", "results:xlsx"):
        assert client.get(reverse(name, args=[alpha.pk])).status_code == 404


def test_user_without_a_role_is_refused(alpha, world, login):
    client = login(world.user("nobody"))
    assert client.get(url(alpha)).status_code == 403
    assert client.get(reverse("results:list")).status_code == 403


def test_anonymous_visitor_goes_to_login(alpha, client):
    for target in (url(alpha), reverse("results:json", args=[alpha.pk]),
                   reverse("results:list")):
        response = client.get(target)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_unknown_round_is_404(world, login):
    assert login(world.user("rita")).get(reverse("results:round", args=[99999])).status_code \
        == 404


def test_lead_who_lost_the_lead_role_is_refused_even_with_a_membership(alpha, world, login):
    alice = world.user("alice")
    alice.groups.clear()
    assert login(alice).get(url(alpha)).status_code == 403


# --------------------------------------------------------------------------- what it shows


def test_tiers_and_reasons_match_score_round_on_the_same_answers(alpha, world, login):
    expected = expected_result(alpha)
    columns = tier_columns(page(login(world.user("alice")), alpha))
    for option in expected.options.values():
        heading = escape(f"{option.code} {option.title}") + "</h4>"
        column = f"tier-{option.level}" if option.level else "tier-none"
        assert heading in columns[column], (option.code, option.level)
        others = [c for c in columns if c != column]
        assert all(heading not in columns[c] for c in others)
        card = columns[column].split(heading, 1)[1].split("</li>\n", 1)[0]
        for text in reason_texts(option, item_titles(alpha), scales(alpha)):
            assert escape(text) in card, (option.code, text)
    # The designed answers reach every level.
    assert {o.level for o in expected.options.values()} == {1, 2, 3}


def test_headline_counts_levels_divergence_and_submissions(alpha, world, login):
    expected = expected_result(alpha)
    html = section(page(login(world.user("alice")), alpha), "summary")
    assert f'{expected.readiness:.1f}</span> <span class="text-body-secondary">out of 100' in html
    for level in (1, 2, 3):
        count = sum(1 for o in expected.options.values() if o.level == level)
        assert f"Level {level}: <strong>{count}</strong>" in html
    divergent = sum(1 for r in [*expected.items.values(), *expected.options.values()]
                    if r.divergent)
    assert f'Divergent items</h3>\n      <p class="mb-0"><span class="bl-figure">{divergent}' \
        in html
    assert '<span class="bl-figure">2</span> <span class="text-body-secondary">of 2 agencies' \
        in html


def test_published_level_shown_beside_each_option_with_the_difference(alpha, world, login):
    columns = tier_columns(page(login(world.user("alice")), alpha))
    # O1 is Level 1 as published; B3 blocks it here (Level 3).
    card = columns["tier-3"].split("O1 More single (shared) back offices</h4>", 1)[1]
    card = card.split("</li>", 1)[0]
    assert "Published: Level 1" in card and "lower than published" in card
    # O20 (published Level 3) has no issue here: Level 1, higher than published.
    card = columns["tier-1"].split("O20 Police devolution</h4>", 1)[1].split("</li>", 1)[0]
    assert "Published: Level 3" in card and "higher than published" in card
    assert "all_clear" not in card and "none opposes it" in card


def test_divergent_items_show_each_agency_answer_side_by_side(alpha, world, login):
    html = section(page(login(world.user("alice")), alpha), "discuss")
    header = re.search(r"<thead><tr>(.*?)</tr></thead>", html).group(1)
    assert re.findall(r'<th scope="col">(.*?)</th>', header) == [
        "Item", "Difference", "Alpha Fire", "Alpha Police"]
    row = re.search(r"<tr><th scope=\"row\">E2 Trust at all levels.*?</tr>", html).group(0)
    cells = re.findall(r"<td>(.*?)</td>", row)
    assert cells == ["3 points", "4 Largely in place",
                     '1 Not in place<span class="d-block small bl-comment">'
                     "“Trust is thin at station level.”</span>"]
    row = re.search(r"<tr><th scope=\"row\">B3 Organisational differences.*?</tr>",
                    html).group(0)
    assert re.findall(r"<td>(.*?)</td>", row) == ["3 points", "5 Blocking", "2 Slightly"]
    assert "E1 Clear and shared vision" not in html  # both answered 4


def test_action_plan_ranks_factors_by_the_options_they_hold_back(alpha, world, login):
    expected = expected_result(alpha)

    def held(code):
        return [o for o in expected.options.values()
                if o.level and (code in o.issues or code in o.keys)]

    html = section(page(login(world.user("alice")), alpha), "action-plan")
    n_e2, n_b3 = len(held("E2")), len(held("B3"))
    assert n_e2 == 10 and n_b3 == 10  # the default links of docs/scoring-method.md
    assert f"E2 Trust at all levels holds back {n_e2} options" in html
    assert f"B3 Organisational differences holds back {n_b3} options" in html
    # B3 unlocks more on its own, so it comes first.
    assert html.index("B3 Organisational") < html.index("E2 Trust at all levels holds")
    e2 = html.split("E2 Trust at all levels holds back", 1)[1]
    # O6 (E1 E2 | B1): E2 is its only issue, so it would reach Level 1.
    assert "O6 Promotion of good practice: from Level 2 to Level 1" in e2
    # O4 is opposed: resolving E2 alone would not move it.
    assert "O4 Co-located control rooms: from" not in e2
    b3 = html.split("B3 Organisational differences holds back", 1)[1]
    b3 = b3.split('<li class="mb-3">', 1)[0]
    assert "O1 More single (shared) back offices: from Level 3 to Level 1" in b3
    assert "O7 Sharing of individual service data: from Level 3 to Level 2" in b3


def test_evidence_lists_comments_per_item_escaped(alpha, world, login):
    html = section(page(login(world.user("alice")), alpha), "evidence")
    e2 = html.split("E2 Trust at all levels</h3>", 1)[1].split("</section>", 1)[0]
    assert "<strong>Alpha Police</strong> (1 Not in place): Trust is thin at station level." \
        in e2
    assert "=HYPERLINK(&quot;x&quot;)" in html
    assert "B3 Organisational differences</h3>" not in html  # nobody commented


def test_charts_have_accessible_names_and_table_alternatives(alpha, world, login):
    html = page(login(world.user("alice")), alpha)
    for chart in ("chart-enablers", "chart-barriers", "chart-themes"):
        div = re.search(rf'<div id="{chart}"[^>]*>', html).group(0)
        assert 'role="img"' in div and 'aria-label="' in div
        assert f'data-chart="{chart}-data"' in div
        assert f'<script id="{chart}-data" type="application/json">' in html
    assert html.count("Show the data as a table") == 3
    assert html.count("vendor/plotly/plotly-cartesian.min.js") == 1
    assert "js/charts.js" in html
    # No inline script: every script is a file or JSON data.
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert "onclick" not in html


# --------------------------------------------------------------------------- threshold


@pytest.fixture
def council(world):
    """A third agency in Alpha, with no lead yet."""
    agency = Agency.objects.create(name="Alpha Council", service="local_authority")
    Membership.objects.create(partnership=world.partnerships["Alpha"], agency=agency)
    return agency


def test_below_the_threshold_the_page_says_who_is_still_to_submit(world, login, council,
                                                                   submit_answers):
    round_ = world.rounds["Alpha"]
    submit_answers(round_, world.agencies["Alpha Police"], POLICE)
    for name in ("alice", "rita"):
        html = page(login(world.user(name)), round_)
        assert "1 of 3 agencies have submitted." in html
        assert "Results appear once at least 2 agencies have submitted." in html
        assert "Still to submit: Alpha Council, Alpha Fire." in html
        assert 'id="tiers"' not in html and "Level 1" not in html
    client = login(world.user("alice"))
    assert client.get(reverse("results:json", args=[round_.pk])).status_code == 404
    assert client.get(reverse("results:xlsx", args=[round_.pk])).status_code == 404


def test_an_agency_that_answered_only_dont_know_counts_as_submitted(world, login,
                                                                     submit_answers):
    round_ = world.rounds["Alpha"]
    submit_answers(round_, world.agencies["Alpha Police"], POLICE)
    submit_answers(round_, world.agencies["Alpha Fire"],
                   dict.fromkeys(full_answers(), None))
    html = page(login(world.user("alice")), round_)
    assert 'id="tiers"' in html
    # Every option has one value (Police's) only: not rated, and said why.
    assert "Only 1 agency gave this a value; at least 2 are needed to rate it." in html
    assert "Level 1: <strong>0</strong>" in html


# --------------------------------------------------------------------------- drafts


def test_drafts_and_a_reopened_submission_do_not_change_the_results(alpha, world, login,
                                                                     council, edit_draft,
                                                                     submit_answers):
    client = login(world.user("alice"))
    json_url = reverse("results:json", args=[alpha.pk])
    before = client.get(json_url).content
    before_tiers = tier_columns(page(client, alpha))

    # Alpha Fire reopens and changes everything; the council starts a draft.
    edit_draft(alpha, world.agencies["Alpha Fire"], full_answers(enabler=1, barrier=5, option=1))
    edit_draft(alpha, council, full_answers(enabler=1, barrier=5, option=1))

    assert client.get(json_url).content == before
    html = page(client, alpha)
    assert tier_columns(html) == before_tiers
    assert ("Alpha Fire has reopened its submission to change it; its last submitted answers "
            "count until it submits again.") in html
    assert "Still to submit: Alpha Council" in html

    # Submitting again is what moves the results.
    submit_answers(alpha, world.agencies["Alpha Fire"], full_answers(E2=4, B3=2))
    after = client.get(json_url).content
    assert after != before
    assert tier_columns(page(client, alpha))["tier-1"] != before_tiers["tier-1"]


def test_reopen_through_the_services_keeps_results_until_resubmitted(world, login, answer_all):
    from assessments.questionnaire.services import AnswerInput, submission_reopen, submission_save

    answer_all(world, "Alpha Police", "alice", value=4, submit=True)
    fire = answer_all(world, "Alpha Fire", "bob", value=4, submit=True,
                      values={"B3": 5})
    client = login(world.user("alice"))
    round_ = world.rounds["Alpha"]
    json_url = reverse("results:json", args=[round_.pk])
    before = client.get(json_url).content
    assert b'"status": "key"' in before

    fire = submission_reopen(submission=fire, user=world.user("adam"), reason="B3 was a typo")
    submission_save(submission=fire, user=world.user("bob"), revision=fire.revision,
                    answers={"B3": AnswerInput(2, "")})
    assert client.get(json_url).content == before

    from assessments.questionnaire.services import submission_submit

    fire.refresh_from_db()
    submission_submit(submission=fire, user=world.user("bob"), revision=fire.revision)
    after = client.get(json_url).content
    assert after != before and b'"status": "key"' not in after


# --------------------------------------------------------------------------- trend


def test_trend_across_two_rounds_with_results(alpha, world, login, submit_answers):
    later = Round.objects.create(partnership=world.partnerships["Alpha"],
                                 framework=world.framework, title="Alpha round 2",
                                 opens_on=date(2099, 1, 1))
    submit_answers(later, world.agencies["Alpha Police"], full_answers())
    submit_answers(later, world.agencies["Alpha Fire"], full_answers())
    # A third round without results is left out.
    Round.objects.create(partnership=world.partnerships["Alpha"], framework=world.framework,
                         title="Alpha round 3", opens_on=date(2099, 6, 1))
    first, second = expected_result(alpha), expected_result(later)

    html = section(page(login(world.user("alice")), later), "trend")
    assert "Alpha round 1" in html and "Alpha round 2 (this round)" in html
    assert "Alpha round 3" not in html
    assert f"<td>{first.readiness:.1f}</td>" in html
    assert f"<td>{second.readiness:.1f}</td>" in html
    row = re.search(r'<tr><th scope="row">O1 More single \(shared\) back offices</th>.*?</tr>',
                    html).group(0)
    assert re.findall(r"<td>(.*?)</td>", row) == [
        f"Level {first.options['O1'].level}", f"Level {second.options['O1'].level}"]
    assert 'id="chart-trend"' in html


def test_no_trend_with_a_single_round_of_results(alpha, world, login):
    assert 'id="trend"' not in page(login(world.user("alice")), alpha)


# --------------------------------------------------------------------------- queries


def _count(client, round_):
    """Queries of a warm view (the first view of answers no snapshot holds scores them
    and looks in the snapshot table once: one more query)."""
    client.get(url(round_))
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url(round_)).status_code == 200
    return len(ctx)


def _partnership(world, submit_answers, *, agencies, rounds, name):
    from assessments.models import Partnership

    partnership = Partnership.objects.create(name=name, kind="prevention")
    members = []
    for k in range(agencies):
        agency = Agency.objects.create(name=f"{name} agency {k}", service="fire")
        members.append(Membership.objects.create(partnership=partnership, agency=agency))
    members[0].leads.add(world.user("alice"))
    made = []
    for r in range(rounds):
        round_ = Round.objects.create(partnership=partnership, framework=world.framework,
                                      title=f"{name} round {r}", opens_on=date(2020 + r, 1, 1))
        for k, member in enumerate(members):
            submit_answers(round_, member.agency, full_answers(E2=1 + k % 5, O4=5 - k % 5),
                           comments={"E1": f"comment {k}"})
        made.append(round_)
    return made[-1]


# Session, user, roles, the round; then round_results: rounds, members, answers, submitted
# agencies, submissions, other rounds' answers (the framework's spec and scales are cached;
# the other rounds' answers only when the trend is not in the cache);
# then one each for the partnership's actions, KPIs, the lessons about each option, its
# decisions, and the stamp of the "partnerships like yours" cache. (Actions add the earlier
# round's snapshot when there are actions to compare: tests/assessments/actions.)
DASHBOARD_QUERIES = 15


def test_dashboard_queries_do_not_grow_with_agencies_or_rounds(world, login, submit_answers,
                                                               django_assert_max_num_queries):
    client = login(world.user("alice"))
    small = _partnership(world, submit_answers, agencies=2, rounds=1, name="Small")
    wide = _partnership(world, submit_answers, agencies=6, rounds=1, name="Wide")
    long = _partnership(world, submit_answers, agencies=2, rounds=3, name="Long")
    client.get(url(small))  # the session's first request checks once what it then keeps
    counts = {name: _count(client, r) for name, r in
              [("small", small), ("wide", wide), ("long", long)]}
    # Warm, the trend comes from the cache: no query for the other rounds' answers.
    assert counts["small"] == counts["wide"] == counts["long"] == DASHBOARD_QUERIES - 1, counts
    # Its cached trend lost, the page reads the other rounds' answers: one query more.
    trend_key = client.get(url(long)).context["results"].trend_key
    assert trend_key and cache.get(trend_key) is not None
    cache.delete(trend_key)
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        client.get(url(long))
    assert cache.get(trend_key) is not None
    assert 'id="trend"' in client.get(url(long)).content.decode()


def test_results_list_queries_are_constant(world, login, submit_answers,
                                           django_assert_max_num_queries):
    client = login(world.user("rita"))
    _partnership(world, submit_answers, agencies=2, rounds=1, name="Small")
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("results:list"))
    _partnership(world, submit_answers, agencies=3, rounds=4, name="Long")
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("results:list"))


# --------------------------------------------------------------------------- the list


def test_results_list_shows_researchers_every_round_and_leads_their_own(alpha, world, login):
    html = login(world.user("rita")).get(reverse("results:list")).content.decode()
    assert "Alpha round 1" in html and "Beta round 1" in html
    assert "2 of 2 agencies" in html and "0 of 2 agencies" in html
    assert f'href="{url(alpha)}">See the results' in html
    assert f'href="{url(world.rounds["Beta"])}">Waiting for submissions' in html

    html = login(world.user("alice")).get(reverse("results:list")).content.decode()
    assert "Alpha round 1" in html and "Beta round 1" not in html


def test_navigation_and_home_link_to_results(alpha, world, login):
    home = login(world.user("rita")).get(reverse("home")).content.decode()
    assert f'href="{reverse("results:list")}"' in home
    lead_home = login(world.user("alice")).get(reverse("home")).content.decode()
    assert f'href="{url(alpha)}"' in lead_home


# --------------------------------------------------------------------------- selectors


def test_round_results_for_researchers_carries_no_comments(alpha):
    results = round_results(round=alpha, audience=RESEARCH)
    assert results.evidence == []
    assert set(results.scored.answers["comment"]) == {""}


def test_agency_labels_number_services_that_repeat():
    labels = agency_labels([("North Fire", "fire"), ("South Fire", "fire"),
                            ("North Police", "police")])
    assert labels == {"North Fire": "Fire and rescue 1", "South Fire": "Fire and rescue 2",
                      "North Police": "Police"}


def test_an_audience_without_names_sees_services_even_in_reasons(alpha):
    scored = round_scored(round=alpha, audience=Audience(names=False, comments=False))
    assert scored.agencies == ["Fire and rescue", "Police"]
    reasons = reason_texts(scored.result.options["O4"], item_titles(alpha))
    assert "Police opposes this (answered 1: Strongly oppose)." in reasons
    assert not any("Alpha" in text for text in reasons)
