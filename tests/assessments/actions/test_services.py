"""Adopting, writing, changing and noting actions; overdue; the change log; "did it work?"."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments.actions.models import Action, ActionNote
from assessments.actions.selectors import action_log, actions_for_pack, partnership_actions
from assessments.actions.services import (
    ActionError,
    StaleAction,
    action_adopt,
    action_create,
    action_note_add,
    action_update,
)
from assessments.results.selectors import action_plan, round_scored
from assessments.results.snapshots import round_snapshot_refresh


def _plan_point(round_, code):
    scored = round_scored(round=round_)
    return next(p for p in action_plan(scored.result, scored.spec) if p.item.code == code)


def test_adopt_takes_the_factor_its_held_back_options_and_the_plans_words(world,
                                                                          alpha_results):
    alice = world.user("alice")
    point = _plan_point(alpha_results, "E3")
    assert point.holds_back  # E3 holds options back in these results
    action, created = action_adopt(round=alpha_results, factor_code="E3", user=alice)
    assert created
    assert action.partnership == world.partnerships["Alpha"]
    assert action.factor_code == "E3"
    assert action.option_codes == [o.code for o in point.holds_back]
    assert action.from_round == alpha_results
    assert action.title == "Deal with E3 Clear, shared resource plan (enabler that needs work)"
    assert "From the action plan of Alpha round 1" in action.details
    assert "Holds back:" in action.details
    assert action.status == Action.Status.PLANNED and action.owner is None
    record = action.history.get()
    assert record.history_user == alice and record.history_type == "+"
    # adopting it again (a second click, another lead) gives the open action, not a copy
    again, created = action_adopt(round=alpha_results, factor_code="E3",
                                  user=world.user("bob"))
    assert (again, created) == (action, False)
    assert Action.objects.count() == 1


def test_a_factor_not_in_the_plan_or_a_round_without_results_is_refused(world,
                                                                       alpha_results):
    with pytest.raises(ActionError, match="E1 is not in this round's action plan"):
        action_adopt(round=alpha_results, factor_code="E1", user=world.user("alice"))
    with pytest.raises(ActionError, match="no results yet"):
        action_adopt(round=world.rounds["Beta"], factor_code="E3", user=world.user("carol"))
    assert not Action.objects.exists()


def test_create_checks_owner_factor_and_options(world):
    alpha, alice = world.partnerships["Alpha"], world.user("alice")
    for fields, field, message in [
        ({"owner": world.agencies["Beta Fire"]}, "owner", "one of the partnership's agencies"),
        ({"factor_code": "X9"}, "factor_code", "X9 is not an enabler or barrier"),
        ({"factor_code": "O3"}, "factor_code", "O3 is not an enabler or barrier"),
        ({"option_codes": ["O3", "E2"]}, "option_codes", "Not options of the partnership's "
                                                         "framework: E2"),
        ({"title": "   "}, "title", "Say what will be done"),
    ]:
        with pytest.raises(ActionError, match=message) as refused:
            action_create(partnership=alpha, user=alice, **({"title": "Do it"} | fields))
        assert refused.value.field == field
    assert not Action.objects.exists()
    action = action_create(partnership=alpha, user=alice, title="  Share  a plan ",
                           factor_code="e3", option_codes=["O7", "O1", "O7"],
                           owner=world.agencies["Alpha Fire"])
    assert (action.title, action.factor_code, action.option_codes, action.owner.name) == (
        "Share a plan", "E3", ["O1", "O7"], "Alpha Fire")


def test_done_on_follows_the_status_and_every_change_is_recorded(world):
    alice, bob = world.user("alice"), world.user("bob")
    action = action_create(partnership=world.partnerships["Alpha"], user=alice, title="Plan")
    action, changed = action_update(action=action, user=bob, revision=0,
                                    status=Action.Status.DONE,
                                    due_on=timezone.localdate() + timedelta(days=3))
    assert changed == ["due_on", "status"]
    assert action.done_on == timezone.localdate() and action.revision == 1
    action, changed = action_update(action=action, user=alice, revision=1, title="Plan, done")
    assert action.done_on == timezone.localdate()  # kept while it stays done
    action, changed = action_update(action=action, user=alice, revision=2,
                                    status=Action.Status.IN_PROGRESS)
    assert action.done_on is None and action.revision == 3
    # nothing changed: nothing saved, no history
    same, changed = action_update(action=action, user=alice, revision=3, title="Plan, done")
    assert changed == [] and same.revision == 3
    users = list(action.history.order_by("history_id").values_list("history_user__username",
                                                                    "status"))
    assert users == [("alice", "planned"), ("bob", "done"), ("alice", "done"),
                     ("alice", "in_progress")]
    log = action_log(action=action)
    assert [e.kind for e in log] == ["changed", "changed", "changed", "created"]
    assert log[-1].what == ["Created the action: “Plan”."]
    assert "Status: Planned → Done." in log[-2].what and log[-2].who == "bob"
    assert "Status: Done → In progress." in log[0].what
    assert any(line.startswith("Done on: ") and line.endswith("→ none.") for line in log[0].what)


def test_a_stale_edit_is_refused_and_overwrites_nothing(world):
    alice, bob = world.user("alice"), world.user("bob")
    action = action_create(partnership=world.partnerships["Alpha"], user=alice, title="Plan")
    action_update(action=action, user=bob, revision=0, title="Bob's plan",
                  owner=world.agencies["Alpha Fire"])
    with pytest.raises(StaleAction) as stale:
        action_update(action=action, user=alice, revision=0, title="Alice's plan")
    assert stale.value.revision == 1
    assert "What will be done: now Bob's plan (was Plan)" in stale.value.changes
    assert "Owner agency: now Alpha Fire (was none)" in stale.value.changes
    assert stale.value.changes[-1] == "Last changed by bob."
    action.refresh_from_db()
    assert (action.title, action.revision, action.history.count()) == ("Bob's plan", 1, 2)


def test_progress_notes_are_dated_and_checked(world):
    alice = world.user("alice")
    action = action_create(partnership=world.partnerships["Alpha"], user=alice, title="Plan")
    yesterday = timezone.localdate() - timedelta(days=1)
    note = action_note_add(action=action, user=alice, text=" Met the finance leads. ",
                           on_day=yesterday)
    assert (note.text, note.on_day, note.author) == ("Met the finance leads.", yesterday, alice)
    with pytest.raises(ActionError, match="cannot be dated in the future"):
        action_note_add(action=action, user=alice, text="Soon",
                        on_day=timezone.localdate() + timedelta(days=1))
    with pytest.raises(ActionError, match="Write what progress"):
        action_note_add(action=action, user=alice, text="  ")
    assert ActionNote.objects.count() == 1
    log = action_log(action=action)
    assert log[0].kind == "note" and "Met the finance leads." in log[0].what[0]


def test_overdue_actions_come_first(world):
    alpha, alice = world.partnerships["Alpha"], world.user("alice")
    today = timezone.localdate()
    action_create(partnership=alpha, user=alice, title="Later",
                          due_on=today + timedelta(days=30))
    late = action_create(partnership=alpha, user=alice, title="Late",
                         due_on=today - timedelta(days=1))
    done_late = action_create(partnership=alpha, user=alice, title="Done late",
                              due_on=today - timedelta(days=9), status=Action.Status.DONE)
    action_create(partnership=alpha, user=alice, title="Undated")
    due_today = action_create(partnership=alpha, user=alice, title="Today", due_on=today)
    assert late.is_overdue() and not done_late.is_overdue() and not due_today.is_overdue()
    rows = actions_for_pack(partnership=alpha)
    assert [r.title for r in rows] == ["Late", "Today", "Later", "Undated", "Done late"]
    assert [r.overdue for r in rows] == [True, False, False, False, False]
    assert rows[0].status_label == "Planned" and rows[-1].status_label == "Done"
    assert [a.title for a in partnership_actions(partnership=alpha, status="open")] == [
        "Late", "Today", "Later", "Undated"]
    assert [a.title for a in partnership_actions(partnership=alpha, status="done")] == [
        "Done late"]


@pytest.mark.parametrize("snapshots", [True, False])
def test_did_it_work_compares_the_factor_and_options_across_two_rounds(world, alpha_results,
                                                                      second_round,
                                                                      snapshots):
    alice = world.user("alice")
    e3, _ = action_adopt(round=alpha_results, factor_code="E3", user=alice)
    b2, _ = action_adopt(round=alpha_results, factor_code="B2", user=alice)
    held = list(e3.option_codes)
    round2 = second_round(B2=5)  # E3 back to 4 (in good shape); B2 now critical
    if snapshots:
        round_snapshot_refresh(round=alpha_results)
        round_snapshot_refresh(round=round2)
    rows = {r.factor_code: r for r in actions_for_pack(partnership=world.partnerships["Alpha"],
                                                       round=round2)}
    assert rows["E3"].factor_moved == (
        "E3 Clear, shared resource plan: average 2, enabler that needs work → average 4, "
        "enabler in good shape (moved: its status improved).")
    assert rows["B2"].factor_moved.startswith("B2 Funding streams and cycles: average 4, "
                                              "major hold-back → average 5, critical barrier")
    assert rows["B2"].factor_moved.endswith("(moved back: its status is worse).")
    before = round_scored(round=alpha_results).result
    after = round_scored(round=round2).result
    assert len(rows["E3"].options_moved) == len(held)
    for code, text in zip(held, rows["E3"].options_moved, strict=True):
        assert text.startswith(f"{code} ")
        assert f"Level {before.options[code].level} → Level {after.options[code].level}" in text
    # without a round to compare with (the first round), nothing is said
    first = actions_for_pack(partnership=world.partnerships["Alpha"], round=alpha_results)
    assert all(r.factor_moved == "" and r.options_moved == [] for r in first)
    assert b2.pk in {r.id for r in first}
