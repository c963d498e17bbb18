"""Results people can trust (issue 12): provisional results said so, a scale's word beside
every figure, statuses that cannot be read as a scale point, the readiness index
explained, the evidence beside each answer to discuss, downloads in users' words and
named by one rule, and the detail folded away."""

import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from assessments.models import Agency, Membership, Round
from assessments.results.wording import (
    factor_status_text,
    reason_text,
    scale_figure,
    status_word,
    unrated_text,
)
from assessments.scoring import Reason
from bluelight.downloads import filename
from tests.conftest import full_answers

POLICE = full_answers(E2=1, O4=1, B1=3)
FIRE = full_answers(E2=4, B3=5, B1=3)
COMMENTS = {"E2": "Trust is thin at station level."}
STATUSES = [("weak", False), ("weak", True), ("developing", False), ("strong", False),
            ("minor", False), ("significant", False), ("key", False)]


@pytest.fixture
def alpha(world, submit_answers):
    round_ = world.rounds["Alpha"]
    submit_answers(round_, world.agencies["Alpha Police"], POLICE, comments=COMMENTS)
    submit_answers(round_, world.agencies["Alpha Fire"], FIRE)
    return round_


def page(client, round_):
    response = client.get(reverse("results:round", args=[round_.pk]))
    assert response.status_code == 200
    return response.content.decode()


def close(round_):
    round_.status = Round.Status.CLOSED
    round_.save()


def section(html, section_id):
    start = html.index(f'id="{section_id}"')
    end = html.find("<section id=", start + 1)
    return html[start:end if end > 0 else len(html)]


# --------------------------------------------------------------------------- provisional


def test_an_open_round_is_marked_provisional_at_the_top(alpha, world, login):
    html = page(login(world.user("alice")), alpha)
    banner = section(html, "provisional")
    assert "Provisional results" in banner
    assert "The round is still open" in banner
    # Above the results themselves.
    assert html.index('id="provisional"') < html.index('id="summary"')


def test_a_closed_round_everyone_submitted_to_is_final(alpha, world, login):
    close(alpha)
    html = page(login(world.user("alice")), alpha)
    assert 'id="provisional"' not in html and "Provisional results" not in html


def test_a_closed_round_with_an_agency_still_to_submit_is_provisional_and_names_it(
        alpha, world, login):
    late = Agency.objects.create(name="Alpha Ambulance", service="ambulance")
    Membership.objects.create(partnership=alpha.partnership, agency=late)
    close(alpha)
    banner = section(page(login(world.user("rita")), alpha), "provisional")
    assert "1 agency of the partnership has not submitted yet: Alpha Ambulance." in banner
    assert "still open" not in banner
    document = json.loads(login(world.user("rita")).get(
        reverse("results:json", args=[alpha.pk])).content)
    assert document["provisional"] is True and document["still_to_submit"] == [
        "Alpha Ambulance"]


def test_the_banner_is_in_welsh(alpha, world, login):
    client = login(world.user("alice"))
    client.post(reverse("set_language"), {"language": "cy", "next": "/"})
    try:
        banner = section(page(client, alpha), "provisional")
    finally:
        translation.deactivate()
    assert "Canlyniadau dros dro" in banner and "Provisional" not in banner


# --------------------------------------------------------------------------- scale words


def test_a_figure_carries_its_scales_word():
    barrier = {1: "Not at all", 2: "Slightly", 3: "Moderately", 4: "Significantly",
               5: "Blocking"}
    assert scale_figure(3, barrier) == "3 (Moderately)"
    assert scale_figure(2.5, barrier) == "2.5 (between Slightly and Moderately)"
    assert scale_figure(None, barrier) == "—"
    reason = Reason("significant_barrier", item="B1", mean=3, min=3, max=3)
    text = reason_text(reason, {"B1": "Narrow focus"}, {"barrier": barrier})
    assert text == ("B1 Narrow focus is a major hold-back: highest answer 3 (Moderately), "
                    "average 3 (Moderately).")
    # The published sentence of the results JSON is unchanged.
    assert reason_text(reason, {"B1": "Narrow focus"}) == (
        "B1 Narrow focus is a significant barrier (highest 3, average 3).")


def test_no_status_reads_as_a_point_of_any_scale(alpha):
    for language in ("en-gb", "cy"):
        with translation.override(language):
            words = {w.lower() for s in alpha.framework.scales.all() for _, w in s.labels}
            statuses = ([status_word(s, absent=a) for s, a in STATUSES]
                        + [factor_status_text(s, absent=a) for s, a in STATUSES])
        for status in statuses:
            for word in words:
                assert not re.search(rf"\b{re.escape(word)}\b", status.lower()), (
                    language, status, word)


def test_the_dashboard_shows_the_scale_word_beside_figures(alpha, world, login):
    html = page(login(world.user("alice")), alpha)
    # B1: both answered 3: a major hold-back, not "significant".
    assert ("B1 Narrow focus of collaboration is a major hold-back: highest answer "
            "3 (Moderately), average 3 (Moderately).") in html
    assert "significant barrier" not in html and "key barrier" not in html
    plan = section(html, "action-plan")
    assert ("Enabler that needs work</strong>: average 2.5 (between Early signs and Partly "
            "in place), lowest 1 (Not in place), highest 4 (Largely in place).") in plan


def test_an_option_nobody_gave_a_value_says_so(world, login, submit_answers):
    round_ = world.rounds["Alpha"]
    submit_answers(round_, world.agencies["Alpha Police"], full_answers(O3=None))
    submit_answers(round_, world.agencies["Alpha Fire"], full_answers(O3=None))
    html = page(login(world.user("alice")), round_)
    assert "Only 0 agencies" not in html
    assert "No agency gave this a value; at least 2 are needed to rate it." in html
    assert unrated_text(1, 2) == (
        "Only 1 agency gave this a value; at least 2 are needed to rate it.")


# --------------------------------------------------------------------------- readiness


def test_the_readiness_index_is_explained_with_a_link_to_the_method(alpha, world, login):
    summary = section(page(login(world.user("alice")), alpha), "summary")
    assert "From 0 to 100" in summary and "70%" in summary and "30%" in summary
    method = reverse("method:version", args=[alpha.framework.code, alpha.framework.version])
    assert f'href="{method}#readiness"' in summary


# --------------------------------------------------------------------------- discuss these


def test_discuss_these_shows_the_evidence_beside_each_answer_to_partners(alpha, world,
                                                                         login):
    discuss = section(page(login(world.user("alice")), alpha), "discuss")
    assert "1 Not in place" in discuss
    assert escape("“Trust is thin at station level.”") in discuss


def test_a_researcher_sees_the_answers_to_discuss_without_comments(alpha, world, login):
    discuss = section(page(login(world.user("rita")), alpha), "discuss")
    assert "1 Not in place" in discuss
    assert "Trust is thin" not in discuss and "bl-comment" not in discuss


# --------------------------------------------------------------------------- downloads


def test_one_naming_rule_for_every_file():
    today = timezone.localdate().isoformat()
    assert filename("Northshire Shared Services", "2025 round", what="results",
                    extension="xlsx") == (
        f"bluelight-northshire-shared-services-2025-round-results-{today}.xlsx")
    assert filename("research", what="answers", extension="csv") == (
        f"bluelight-research-answers-{today}.csv")


def test_the_answers_download_is_named_by_the_rule(alpha, world, login):
    response = login(world.user("alice")).get(reverse("rounds:answers_csv", args=[alpha.pk]))
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="bluelight-alpha-alpha-round-1-answers-{today}.csv"')


# --------------------------------------------------------------------------- folding


def test_the_detail_is_folded_and_the_board_leads(alpha, world, login):
    html = page(login(world.user("alice")), alpha)
    order = [html.index(f'id="{s}"') for s in ("summary", "tiers", "discuss", "action-plan",
                                               "charts", "evidence", "downloads")]
    assert order == sorted(order)
    for folded in ("charts", "evidence"):
        part = section(html, folded)
        assert '<details class="bl-fold"' in part, folded
        assert part.index("<details") < part.index("<table" if folded == "charts"
                                                   else "Trust is thin")
    tiers = section(html, "tiers")
    # Each rated option's reasons are one click away.
    rated = tiers.count('class="card bl-option') - tiers.count("gave this a value")
    assert rated > 0 and tiers.count("<summary>Why O") == rated
