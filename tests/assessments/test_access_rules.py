"""The access rules of :mod:`assessments.access`, on their own (the views use them; the
access matrix checks the views)."""

import pytest

from assessments.access import (
    answers_visible_to,
    assessment_for,
    enough_submitted,
    may_see_comments,
    round_has_results,
    rounds_visible_to,
    with_results,
)
from assessments.models import Round
from assessments.results.selectors import round_scored
from bluelight.roles import LEAD
from tests.conftest import full_answers


@pytest.fixture
def beta_half(world, submit_answers):
    """Beta: one of two agencies submitted (no results); Alpha: both (results)."""
    submit_answers(world.rounds["Beta"], world.agencies["Beta Ambulance"], full_answers())
    for agency in ("Alpha Police", "Alpha Fire"):
        submit_answers(world.rounds["Alpha"], world.agencies[agency], full_answers())
    return world


def test_the_rule_is_min_agencies_submitted():
    assert enough_submitted(2, 2) and enough_submitted(3, 2)
    assert not enough_submitted(1, 2) and not enough_submitted(0, 1)


def test_every_reading_of_has_results_agrees(beta_half, edit_draft):
    w = beta_half
    edit_draft(w.rounds["Beta"], w.agencies["Beta Fire"], {"E1": 3})  # a draft never counts
    flags = dict(with_results(Round.objects.all()).values_list("title", "has_results"))
    assert flags == {"Alpha round 1": True, "Beta round 1": False}
    for name, expected in (("Alpha", True), ("Beta", False)):
        round_ = Round.objects.select_related("framework").get(pk=w.rounds[name].pk)
        assert round_has_results(round_) is expected
        assert round_scored(round=round_).ready is expected


def test_has_results_follows_the_framework_threshold(beta_half):
    from survey.models import Framework

    # (a published framework refuses edits through save(); the test's transaction undoes it)
    Framework.objects.filter(pk=beta_half.framework.pk).update(min_agencies=1)
    beta = Round.objects.select_related("framework").get(pk=beta_half.rounds["Beta"].pk)
    assert round_has_results(beta)
    assert with_results(Round.objects.filter(pk=beta.pk)).get().has_results


@pytest.mark.parametrize("username, rounds", [
    ("alice", {"Alpha round 1"}), ("carol", {"Beta round 1"}),
    ("rita", {"Alpha round 1", "Beta round 1"}), ("adam", {"Alpha round 1", "Beta round 1"}),
    ("nobody", set()),
])
def test_rounds_visible_to_each_role(world, username, rounds):
    assert set(rounds_visible_to(world.user(username)).values_list("title", flat=True)) \
        == rounds


def test_rounds_visible_to_anonymous_and_to_a_lead_who_lost_the_role(world):
    from django.contrib.auth.models import AnonymousUser, Group

    assert not rounds_visible_to(AnonymousUser()).exists()
    alice = world.user("alice")
    alice.groups.remove(Group.objects.get(name=LEAD))
    alice = type(alice).objects.get(pk=alice.pk)  # forget the cached groups
    assert not rounds_visible_to(alice).exists()  # still a member, no longer a lead
    assert assessment_for(user=alice, round_id=world.rounds["Alpha"].pk,
                          agency_id=world.agencies["Alpha Police"].pk) is None


@pytest.mark.parametrize("username, comments", [
    ("alice", True), ("bob", True), ("adam", True), ("rita", False),
])
def test_comments_for_partners_and_administrators_never_researchers(world, username,
                                                                    comments):
    alpha = world.rounds["Alpha"]
    assert may_see_comments(world.user(username), alpha) is comments
    # the same answer from a round annotated by rounds_visible_to
    annotated = rounds_visible_to(world.user(username)).get(pk=alpha.pk)
    assert may_see_comments(world.user(username), annotated) is comments


def test_a_lead_of_another_partnership_reads_no_comments(world):
    assert not may_see_comments(world.user("carol"), world.rounds["Alpha"])
    assert answers_visible_to(world.user("carol"), world.rounds["Alpha"]) is None


def test_whose_answers_each_role_reads_before_and_after_results(beta_half):
    w = beta_half
    beta, alpha = w.rounds["Beta"], w.rounds["Alpha"]
    # before results (Beta): leads read their own agency's answers only
    carol = answers_visible_to(w.user("carol"), beta)
    assert carol.agencies == {w.agencies["Beta Ambulance"].pk} and carol.comments
    assert carol.own_only
    dan = answers_visible_to(w.user("dan"), beta)
    assert dan.agencies == {w.agencies["Beta Fire"].pk} and dan.comments
    # after results (Alpha): every submitted answer, with comments
    for name in ("alice", "bob"):
        seen = answers_visible_to(w.user(name), alpha)
        assert seen.agencies is None and seen.comments
    # researchers: everyone's answers, never the comments; administrators: everything
    for round_ in (alpha, beta):
        rita = answers_visible_to(w.user("rita"), round_)
        assert rita.agencies is None and not rita.comments
        adam = answers_visible_to(w.user("adam"), round_)
        assert adam.agencies is None and adam.comments


def test_assessment_for_only_the_agencys_own_leads(world):
    alpha, police = world.rounds["Alpha"].pk, world.agencies["Alpha Police"].pk
    membership, round_ = assessment_for(user=world.user("alice"), round_id=alpha,
                                        agency_id=police)
    assert membership.agency.name == "Alpha Police" and round_.pk == alpha
    for username in ("bob", "carol", "rita", "adam", "nobody"):
        assert assessment_for(user=world.user(username), round_id=alpha,
                              agency_id=police) is None, username
    assert assessment_for(user=world.user("alice"), round_id=world.rounds["Beta"].pk,
                          agency_id=police) is None
