"""Results across partnerships: aggregates on a hand-made set, filters, suppression."""

from datetime import date, timedelta

import pandas as pd
import pytest

from assessments.models import Round
from assessments.research import selectors as research
from tests.assessments.research.data import all_answers, build, members

F = research.ResearchFilters


def tables(**filters):
    return research.research_tables(research.cross_partnership(filters=F(**filters)))


def row(frame, **match):
    found = frame
    for key, value in match.items():
        found = found[found[key] == value]
    assert len(found) == 1, found
    return found.iloc[0]


def test_level_shares_on_the_hand_made_set(world, submit_answers):
    build(world, submit_answers)
    t = tables()
    o1 = row(t.levels, option="O1")
    # O1: Level 1 in Alpha, Delta, Epsilon; Level 2 in Gamma (weak E1); Level 3 in
    # Beta (Beta Fire opposes).
    assert (o1["level_1_n"], o1["level_2_n"], o1["level_3_n"]) == (3, 1, 1)
    assert (o1["level_1"], o1["level_2"], o1["level_3"]) == (0.6, 0.2, 0.2)
    assert o1["partnerships_rated"] == 5 and o1["published_level"] == 1
    assert not o1["suppressed"] and o1["most_common_level"] == 1
    o2 = row(t.levels, option="O2")  # linked to E1 too, nobody opposes it
    assert (o2["level_1"], o2["level_2"], o2["level_3"]) == (0.8, 0.2, 0.0)
    o3 = row(t.levels, option="O3")  # not linked to E1: Level 1 everywhere
    assert o3["level_1"] == 1.0
    o9 = row(t.levels, option="O9")  # published Level 2, Level 1 in all five here
    assert o9["published_level"] == 2 and o9["most_common_level"] == 1
    page = {r["option"]: r for r in research.level_rows(t)}
    assert page["O9"]["differs"] and page["O9"]["at_published"] == 0.0
    assert not page["O1"]["differs"] and page["O1"]["at_published"] == 0.6


def test_means_by_service_divergence_and_readiness(world, submit_answers, settings):
    settings.BLUELIGHT_MIN_GROUP_SIZE = 2
    build(world, submit_answers)
    t = tables()
    e1 = t.means[t.means["item"] == "E1"].set_index("service")
    # E1: every agency 4 except Gamma Police 2. Police: Alpha 4, Gamma 2, Delta 4,
    # Epsilon 4 -> 3.5 over 4 partnerships; all ten agencies: 38 / 10 = 3.8.
    assert e1.loc["police", "mean"] == 3.5 and e1.loc["police", "partnerships"] == 4
    assert e1.loc["all", "mean"] == 3.8 and e1.loc["all", "answers"] == 10
    assert e1.loc["fire", "mean"] == 4.0 and e1.loc["fire", "partnerships"] == 3
    assert e1.loc["local_authority", "partnerships"] == 1
    assert e1.loc["local_authority", "suppressed"]  # 1 partnership, under 2
    assert e1.loc["other", "partnerships"] == 0 and not e1.loc["other", "suppressed"]
    b1 = t.means[(t.means["item"] == "B1") & (t.means["service"] == "all")].iloc[0]
    assert b1["mean"] == 1.0
    d = t.divergence.set_index("item")
    # E1 diverges only in Gamma (4 - 2 = 2): 1 of 5.
    assert (d.loc["E1", "divergent"], d.loc["E1", "partnerships"], d.loc["E1", "share"]) == (
        1, 5, 0.2)
    assert d.loc["E2", "share"] == 0.0
    # Readiness: enablers all 4 (75), barriers all 1 (0) -> 0.7 * 75 + 30 = 82.5; in
    # Gamma, E1 at a mean of 3 -> enablers (50 + 6 * 75) / 7 -> 80.0.
    assert t.readiness_median == 82.5 and t.readiness_base == 5
    assert t.readiness.set_index("band")["partnerships"].to_dict() == {
        "0–20": 0, "20–40": 0, "40–60": 0, "60–80": 0, "80–100": 5}


def test_counts(world, submit_answers):
    build(world, submit_answers)
    counts = dict(zip(tables().counts["measure"], tables().counts["value"], strict=True))
    assert counts["Partnerships (each counted once, at its latest round in the period)"] == 5
    assert counts["Rounds with results in the period"] == 5
    assert counts["Submissions counted"] == 10 and counts["Agencies (distinct)"] == 10
    assert counts["Agencies: Police"] == 4 and counts["Agencies: Fire and rescue"] == 3
    assert counts["Agencies: Local authority"] == 1 and counts["Agencies: Other"] == 0


def test_each_partnership_counts_once_at_its_latest_round_with_results(world, submit_answers,
                                                                       edit_draft):
    build(world, submit_answers)
    alpha = world.partnerships["Alpha"]
    later = Round.objects.create(partnership=alpha, framework=world.framework,
                                 title="Alpha round 2",
                                 opens_on=date.today() + timedelta(days=30))
    for agency in members(world, "Alpha"):  # O1 opposed by everyone: Level 3
        submit_answers(later, agency, all_answers(world.framework) | {"O1": 1})
    latest = Round.objects.create(partnership=alpha, framework=world.framework,
                                  title="Alpha round 3",
                                  opens_on=date.today() + timedelta(days=60))
    submit_answers(latest, world.agencies["Alpha Police"], all_answers(world.framework))
    # Round 3 has one submission only (fewer than min_agencies): no results yet.
    data = research.cross_partnership(filters=F())
    assert data.partnerships == 5 and data.rounds_with_results == 6
    assert later.pk in set(data.rounds["round"]) and world.rounds["Alpha"].pk not in set(
        data.rounds["round"])
    o1 = row(research.research_tables(data).levels, option="O1")
    # Alpha now at Level 3: Delta, Epsilon at 1; Gamma 2; Alpha, Beta 3.
    assert (o1["level_1_n"], o1["level_2_n"], o1["level_3_n"]) == (2, 1, 2)
    # A lead's draft changes (a reopened submission) never reach the results.
    edit_draft(later, world.agencies["Alpha Fire"], {"O1": 5})
    o1 = row(tables().levels, option="O1")
    assert o1["level_3_n"] == 2


def test_period_filter_picks_the_latest_round_within_it(world, submit_answers):
    build(world, submit_answers)
    alpha = world.partnerships["Alpha"]
    later = Round.objects.create(partnership=alpha, framework=world.framework, title="later",
                                 opens_on=date.today() + timedelta(days=30))
    for agency in members(world, "Alpha"):
        submit_answers(later, agency, all_answers(world.framework) | {"O1": 1})
    before = F(opened_to=date.today() + timedelta(days=1))
    data = research.cross_partnership(filters=before)
    assert world.rounds["Alpha"].pk in set(data.rounds["round"])
    assert row(research.research_tables(data).levels, option="O1")["level_3_n"] == 1
    only_later = research.cross_partnership(
        filters=F(opened_from=date.today() + timedelta(days=2)))
    assert list(only_later.rounds["round"]) == [later.pk]


@pytest.mark.parametrize(("filters", "expected"), [
    ({"kind": "co_responding"}, {"Beta", "Epsilon"}),
    ({"services": ("police", "fire")}, {"Alpha", "Gamma"}),
    ({"services": ("ambulance",)}, {"Beta", "Epsilon"}),
    ({"nation": "Wales"}, {"Beta", "Delta"}),
    ({"nation": "England", "services": ("police",)}, {"Alpha", "Gamma", "Epsilon"}),
])
def test_filters(world, submit_answers, filters, expected):
    build(world, submit_answers)
    data = research.cross_partnership(filters=F(**filters))
    names = {p.name: p.pk for p in world.partnerships.values()}
    assert set(data.rounds["partnership"]) == {names[n] for n in expected}


def test_suppression_just_under_and_at_the_minimum_group_size(world, submit_answers,
                                                              settings):
    settings.BLUELIGHT_MIN_GROUP_SIZE = 5
    build(world, submit_answers, names=("Alpha", "Beta", "Gamma", "Delta"))
    t = tables()
    assert t.data.partnerships == 4 and not t.data.enough
    assert t.levels["suppressed"].all()
    levels = research.export_frame(t, "levels").set_index("option")
    # A suppressed figure is empty, flagged; the columns stay numeric.
    assert pd.isna(levels.loc["O1", "level_1"]) and pd.isna(levels.loc["O1", "level_3_n"])
    assert levels.loc["O1", "suppressed"] and levels["suppressed"].dtype == bool
    assert pd.api.types.is_float_dtype(levels["level_1"])
    assert pd.api.types.is_integer_dtype(levels["level_3_n"])
    assert levels.loc["O1", "partnerships_rated"] == 4
    readiness = research.export_frame(t, "readiness")
    assert t.readiness_suppressed and pd.isna(readiness["median"].iloc[-1])
    assert readiness["suppressed"].all() and pd.isna(readiness["share"]).all()
    police = row(t.means, item="E1", service="police")
    assert police["partnerships"] == 3 and police["suppressed"]

    build(world, submit_answers, names=("Epsilon",))  # the fifth partnership
    t = tables()
    assert t.data.partnerships == 5 and t.data.enough
    assert not t.levels["suppressed"].any()
    assert research.export_frame(t, "levels").set_index("option").loc["O1", "level_1"] == 0.6
    police = row(t.means, item="E1", service="police")
    assert police["partnerships"] == 4 and police["suppressed"]  # still under 5
    build(world, submit_answers, names=("Zeta",))  # a fifth partnership with police
    police = row(tables().means, item="E1", service="police")
    assert police["partnerships"] == 5 and not police["suppressed"]
    assert police["mean"] == pytest.approx((4 + 2 + 4 + 4 + 4) / 5)


def test_an_empty_selection(world):
    t = tables(kind="prevention")
    assert t.data.partnerships == 0 and t.readiness_base == 0
    assert t.levels["partnerships_rated"].eq(0).all() and not t.levels["suppressed"].any()
    assert len(research.anonymised_answers(t.data)) == 0


def test_anonymised_answers_have_pseudonyms_and_no_names_or_comments(world, submit_answers):
    build(world, submit_answers)
    data = research.cross_partnership(filters=F())
    frame = research.anonymised_answers(data)
    assert list(frame.columns) == ["round", "partnership_kind", "round_opened", "agency",
                                   "service", "nation", "item", "value"]
    assert len(frame) == 10 * 33
    assert frame["round"].nunique() == 5 and frame["agency"].nunique() == 10
    gamma_police = frame[(frame["item"] == "E1") & (frame["value"] == 2)]
    assert len(gamma_police) == 1
    assert gamma_police.iloc[0][["partnership_kind", "service", "nation"]].tolist() == [
        "interoperability", "police", "England"]
    text = frame.to_csv()
    for name in [*world.agencies, *world.partnerships]:
        assert name not in text
    assert "CONFIDENTIAL" not in text
    # Pseudonyms are stable from one download to the next.
    again = research.anonymised_answers(research.cross_partnership(filters=F()))
    assert again["round"].tolist() == frame["round"].tolist()
