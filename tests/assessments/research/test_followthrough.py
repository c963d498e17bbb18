"""Follow-through across partnerships: each table's figures on a small world known by hand.

Five partnerships (Alpha and Beta of the ``world`` fixture, Gamma, Delta, Epsilon),
each with two closed rounds with results (two agencies submit every item):
round 1 opens 10 January 2026 and closes 10 February; round 2 opens 1 September
and closes 1 October. Every enabler and barrier is answered 3, except in round 2:
E1 is 4 in Alpha, Beta and Gamma (+1), and B1 is 2 in Epsilon (-1).

Actions ("today" is 2 December 2026):

- E1, done: Alpha (due 1 June, done 1 May: on time), Beta (on time), Gamma (due
  1 April, done 1 May: late), Delta (due 15 October, done 1 November: late, after
  round 2, recorded after it too);
- B2: Alpha planned, due 1 November (overdue, recorded 1 March), Beta in progress,
  due 1 March 2027 (open), Gamma dropped;
- B1: Epsilon, adopted from its round 1, done 15 September (due 30 September);
- Epsilon also has an action on options only, done, with no due date.

KPIs: Alpha's evidences O1 and O2 (quarterly, a value for July 2026: recent),
Beta's O1 (yearly, last value for 2024: not recent), Gamma's O1 (no value).
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pandas as pd
import pytest
from django.utils import timezone

from assessments.actions.models import Action
from assessments.kpis.models import Kpi, KpiValue
from assessments.models import Round
from assessments.research import followthrough as ft
from assessments.research.selectors import ResearchFilters
from tests.assessments.research.data import add_partnership, members
from tests.conftest import full_answers

D = dt.date
TODAY = D(2026, 12, 2)
NAMES = ("Alpha", "Beta", "Gamma", "Delta", "Epsilon")
DATES = ((D(2026, 1, 10), D(2026, 2, 10)), (D(2026, 9, 1), D(2026, 10, 1)))


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def two_rounds(world, submit_answers, name: str, second: dict) -> list[Round]:
    if name not in world.partnerships:
        add_partnership(world, name)
    partnership = world.partnerships[name]
    rounds = []
    for k, (opens, closes) in enumerate(DATES):
        round_ = Round.objects.create(partnership=partnership, framework=world.framework,
                                      title=f"{name} {k + 1}", opens_on=opens, closes_on=closes,
                                      status=Round.Status.CLOSED)
        for agency in members(world, name):
            submit_answers(round_, agency, full_answers(enabler=3, barrier=3,
                                                        **(second if k else {})))
        rounds.append(round_)
    return rounds


def action(world, name, factor, status, *, due=None, done=None, recorded=None, **fields):
    return Action.objects.create(
        partnership=world.partnerships[name], title=f"{name} {factor or 'options'}",
        factor_code=factor, status=status, due_on=due, done_on=done,
        created_at=at(recorded) if recorded else timezone.now(), **fields)


def build(world, submit_answers, names=NAMES):
    """The world of the module docstring (only ``names``' partnerships)."""
    second = {"Alpha": {"E1": 4}, "Beta": {"E1": 4}, "Gamma": {"E1": 4},
              "Delta": {}, "Epsilon": {"B1": 2}}
    rounds = {n: two_rounds(world, submit_answers, n, second[n]) for n in names}
    done, planned = Action.Status.DONE, Action.Status.PLANNED
    specs = [
        ("Alpha", "E1", done, {"due": D(2026, 6, 1), "done": D(2026, 5, 1),
                               "recorded": D(2026, 3, 1)}),
        ("Beta", "E1", done, {"due": D(2026, 6, 1), "done": D(2026, 5, 1)}),
        ("Gamma", "E1", done, {"due": D(2026, 4, 1), "done": D(2026, 5, 1)}),
        ("Delta", "E1", done, {"due": D(2026, 10, 15), "done": D(2026, 11, 1)}),
        ("Alpha", "B2", planned, {"due": D(2026, 11, 1), "recorded": D(2026, 3, 1)}),
        ("Beta", "B2", Action.Status.IN_PROGRESS, {"due": D(2027, 3, 1)}),
        ("Gamma", "B2", Action.Status.DROPPED, {"due": D(2026, 8, 1)}),
        ("Epsilon", "B1", done, {"due": D(2026, 9, 30), "done": D(2026, 9, 15),
                                 "from_round": rounds.get("Epsilon", [None])[0]}),
        ("Epsilon", "", done, {"option_codes": ["O3"]}),
    ]
    for name, factor, status, fields in specs:
        if name in names:
            action(world, name, factor, status, **fields)
    kpis = [("Alpha", ["O1", "O2"], "quarterly", D(2026, 7, 1)),
            ("Beta", ["O1"], "yearly", D(2024, 1, 1)),
            ("Gamma", ["O1"], "quarterly", None)]
    for name, options, period, value_for in kpis:
        if name not in names:
            continue
        kpi = Kpi.objects.create(partnership=world.partnerships[name], name=f"{name} KPI",
                                 unit="%", baseline=Decimal(10), baseline_on=D(2025, 1, 1),
                                 target=Decimal(20), target_on=D(2027, 1, 1), period=period,
                                 option_codes=options)
        if value_for:
            KpiValue.objects.create(kpi=kpi, period_start=value_for, value=Decimal(12))
    return rounds


def tables(min_group=5, **filters):
    data = ft.follow_through(filters=ResearchFilters(**filters), min_group=min_group,
                             today=TODAY)
    return ft.followthrough_tables(data)


def row(frame, **match):
    key, value = next(iter(match.items()))
    found = frame[frame[key] == value]
    assert len(found) == 1, match
    return found.iloc[0].to_dict()


@pytest.fixture
def scene(world, submit_answers):
    build(world, submit_answers)
    return world


# --------------------------------------------------------------------------- 1. acting


def test_partnerships_acting_on_each_factor_and_actions_by_status(scene):
    t = tables(min_group=3)
    e1 = row(t.acting, item="E1")
    assert (e1["partnerships"], e1["share"], e1["actions"], e1["done"]) == (4, 0.8, 4, 4)
    assert not e1["suppressed"] and e1["kind"] == "enabler"
    b2 = row(t.acting, item="B2")
    assert (b2["partnerships"], b2["planned"], b2["in_progress"], b2["dropped"],
            b2["done"]) == (3, 1, 1, 1, 0)
    assert row(t.acting, item="B1")["partnerships"] == 1
    assert row(t.acting, item="B1")["suppressed"]  # one partnership: hidden by status
    assert row(t.acting, item="E2")["partnerships"] == 0
    assert not row(t.acting, item="E2")["suppressed"]  # over none: nothing to hide
    assert list(t.acting["item"]) == [f"E{i}" for i in range(1, 8)] + [
        f"B{i}" for i in range(1, 7)]


def test_acting_by_status_is_suppressed_under_the_minimum(scene):
    t = tables(min_group=5)
    assert row(t.acting, item="E1")["suppressed"]  # 4 partnerships act on it
    assert not row(t.acting, item="E1")["share_suppressed"]  # the selection has 5
    frame = ft.export_frame(t, "acting")
    e1 = row(frame, item="E1")
    assert e1["partnerships"] == 4 and pd_na(e1["done"]) and pd_na(e1["actions"])
    assert e1["share"] == 0.8 and e1["suppressed"]


def pd_na(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


# --------------------------------------------------------------------------- 2. on time


def test_how_often_actions_are_done_on_time(scene):
    t = tables(min_group=3)
    every = row(t.timeliness, item="all")
    assert {k: every[k] for k in ("partnerships", "actions", *ft.TIMELINESS)} == {
        "partnerships": 5, "actions": 9, "on_time": 3, "late": 2, "done_undated": 1,
        "overdue": 1, "open": 1, "dropped": 1}
    assert every["on_time_share"] == 0.5  # 3 of 3 + 2 + 1 (the undated one is left out)
    e1 = row(t.timeliness, item="E1")
    assert (e1["on_time"], e1["late"], e1["on_time_share"]) == (2, 2, 0.5)
    b2 = row(t.timeliness, item="B2")
    assert (b2["overdue"], b2["open"], b2["dropped"], b2["on_time_share"]) == (1, 1, 1, 0.0)


# --------------------------------------------------------------------------- 3. movement


def test_factors_moved_more_where_actions_were_done(scene):
    t = tables(min_group=2)
    e1 = row(t.movement, item="E1")
    # with: Alpha, Beta, Gamma (done 1 May, between 10 February and 1 October): +1 each
    assert (e1["with_pairs"], e1["with_partnerships"], e1["with_change"]) == (3, 3, 1.0)
    # without: Epsilon (no action) and Delta (done and recorded after round 2): 0
    assert (e1["without_pairs"], e1["without_partnerships"], e1["without_change"]) == (2, 2,
                                                                                      0.0)
    assert e1["difference"] == 1.0 and not e1["with_suppressed"]
    b1 = row(t.movement, item="B1")
    # Epsilon's adopted action, done in time: one partnership, -1, hidden under 2
    assert (b1["with_partnerships"], b1["with_suppressed"]) == (1, True)
    assert b1["without_partnerships"] == 4 and b1["without_change"] == 0.0
    assert math.isnan(b1["difference"])
    b2 = row(t.movement, item="B2")
    # Alpha's open action (recorded 1 March) and Gamma's dropped one (recorded today,
    # after round 2: no action then): Alpha is in neither group
    assert (b2["with_partnerships"], b2["without_partnerships"]) == (0, 4)


def test_movement_is_suppressed_at_the_default_minimum(scene):
    e1 = row(tables(min_group=5).movement, item="E1")
    assert e1["with_suppressed"] and e1["without_suppressed"] and math.isnan(e1["difference"])
    frame = ft.export_frame(tables(min_group=5), "movement")
    e1 = row(frame, item="E1")
    assert pd_na(e1["with_change"]) and pd_na(e1["without_change"]) and pd_na(e1["with_pairs"])
    assert e1["with_partnerships"] == 3 and e1["with_suppressed"]


def test_the_pairing_rule(world, submit_answers):
    """Done by the earlier round's date: counts only when adopted from that round."""
    first, _second = two_rounds(world, submit_answers, "Alpha", {"E1": 5, "E2": 5})
    action(world, "Alpha", "E1", Action.Status.DONE, done=D(2026, 2, 5), from_round=first,
           recorded=D(2026, 2, 1))
    action(world, "Alpha", "E2", Action.Status.DONE, done=D(2026, 2, 5),
           recorded=D(2026, 2, 1))
    action(world, "Alpha", "E3", Action.Status.DONE, done=D(2026, 10, 2),
           recorded=D(2026, 2, 1))  # done a day after round 2 closed, recorded before
    data = ft.follow_through(filters=ResearchFilters(), min_group=1, today=TODAY)
    pairs, change, acted, without = ft.pair_groups(data)
    assert len(pairs) == 1
    at = {code: k for k, code in enumerate(data.factors)}
    assert change[0, at["E1"]] == 2.0 and change[0, at["E3"]] == 0.0
    assert acted[0, at["E1"]] and not without[0, at["E1"]]
    assert not acted[0, at["E2"]] and without[0, at["E2"]]  # done before: no action then
    assert not acted[0, at["E3"]] and not without[0, at["E3"]]  # open then: neither
    assert without[0, at["E4"]] and not acted[0, at["E4"]]


def test_rounds_without_results_are_not_paired(world, submit_answers):
    two_rounds(world, submit_answers, "Alpha", {"E1": 5})
    # the world's own open round of Alpha has no submission: no third round in the pairs
    data = ft.follow_through(filters=ResearchFilters(), min_group=1, today=TODAY)
    assert len(data.rounds) == 2 and len(ft.pair_groups(data)[0]) == 1


# --------------------------------------------------------------------------- 4. KPIs


def test_kpis_tracked_per_option(scene):
    t = tables(min_group=1)
    o1 = row(t.kpis, option="O1")
    assert (o1["partnerships"], o1["share"], o1["kpis"], o1["with_recent_values"]) == (
        3, 0.6, 3, 1)
    assert o1["recent_share"] == pytest.approx(1 / 3)
    o2 = row(t.kpis, option="O2")
    assert (o2["partnerships"], o2["kpis"], o2["recent_share"]) == (1, 1, 1.0)
    o3 = row(t.kpis, option="O3")
    assert (o3["partnerships"], o3["kpis"]) == (0, 0) and math.isnan(o3["recent_share"])
    assert list(t.kpis["option"]) == [f"O{i}" for i in range(1, 21)]


def test_kpis_suppressed_under_the_minimum(scene):
    frame = ft.export_frame(tables(min_group=5), "kpis")
    o1 = row(frame, option="O1")
    assert o1["partnerships"] == 3 and o1["suppressed"]
    assert pd_na(o1["kpis"]) and pd_na(o1["recent_share"]) and pd_na(o1["with_recent_values"])


def test_a_yearly_value_counts_for_a_year_after_its_period_ends(world):
    kpi = Kpi.objects.create(partnership=world.partnerships["Alpha"], name="Yearly", unit="n",
                             baseline=1, baseline_on=D(2024, 1, 1), target=2,
                             target_on=D(2027, 1, 1), period="yearly", option_codes=["O4"])
    KpiValue.objects.create(kpi=kpi, period_start=D(2025, 1, 1), value=1)  # ended 1 Jan 2026
    o4 = row(tables(min_group=1).kpis, option="O4")
    assert o4["with_recent_values"] == 1
    KpiValue.objects.all().delete()
    KpiValue.objects.create(kpi=kpi, period_start=D(2024, 1, 1), value=1)  # ended 1 Jan 2025
    assert row(tables(min_group=1).kpis, option="O4")["with_recent_values"] == 0


# --------------------------------------------------------------------------- filters, counts


def test_filters_select_partnerships(scene):
    assert tables(kind="co_responding").data.partnerships == 2  # Beta, Epsilon
    wales = tables(min_group=1, nation="Wales")  # Beta and Delta have agencies in Wales
    assert wales.data.partnerships == 2
    assert row(wales.acting, item="E1")["partnerships"] == 2
    assert row(wales.acting, item="E1")["share"] == 1.0
    assert row(wales.movement, item="E1")["with_partnerships"] == 1  # Beta
    ambulance = tables(min_group=1, services=("ambulance",))  # Beta, Epsilon
    assert row(ambulance.kpis, option="O1")["partnerships"] == 1  # Beta
    assert row(ambulance.timeliness, item="all")["actions"] == 4
    police_fire = tables(min_group=1, services=("police", "fire"))  # Alpha, Gamma
    assert police_fire.data.partnerships == 2


def test_share_of_a_small_selection_is_suppressed(scene):
    t = tables(nation="Wales")  # 2 partnerships, minimum 5
    e1 = row(t.acting, item="E1")
    assert e1["share_suppressed"] and e1["suppressed"]
    assert pd_na(row(ft.export_frame(t, "acting"), item="E1")["share"])
    assert {"acting", "timeliness", "movement", "kpis"} <= t.suppressed_in()


def test_counts(scene):
    counts = dict(tables().counts.itertuples(index=False, name=None))
    assert counts["Partnerships in the selection"] == 5
    assert counts["Partnerships with at least one action"] == 5
    assert counts["Partnerships acting on at least one enabler or barrier"] == 5
    assert counts["Actions"] == 9 and counts["KPIs"] == 3
    assert counts["Partnerships tracking at least one KPI"] == 3
    assert counts["Rounds with results"] == 10
    assert counts["Pairs of consecutive rounds with results"] == 5


def test_nothing_at_all(world):
    t = tables(kind="prevention")
    assert t.data.partnerships == 0 and len(t.acting) == 13 and len(t.kpis) == 20
    assert not t.suppressed_in()
