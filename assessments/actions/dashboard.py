"""What the results dashboard shows of assessments.actions: `dashboard_context` is called by
`assessments.results.views.round_results_page` and its keys are added to the page's
context; the template includes `assessments/actions/_dashboard.html`, and each point of
the action plan (`results/_action.html`) an "Adopt this action" button or a link to the
action already adopted."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from assessments.actions.models import Action
from assessments.actions.selectors import (
    ActionRow,
    Comparison,
    action_row,
    compare,
    partnership_actions,
)
from assessments.results.selectors import round_scored
from assessments.results.snapshots import round_snapshot_latest, snapshot_result
from bluelight.roles import is_administrator, is_lead


@dataclass(frozen=True)
class DashboardAction:
    """An action on the dashboard: its row, and "did it work?" when it can be compared."""

    action: Action
    row: ActionRow
    comparison: Comparison | None
    adopted_here: bool  # adopted from this round's results (or a later round's)


# What ``assessments/results/_action.html`` reads in each point of the action plan: the
# plan is cached under a key that includes it (``assessments.results.views``).
ACTION_PLAN_CONTEXT = ("actions_adopted", "actions_can_adopt")


def dashboard_context(*, request, round, results) -> dict:
    """The actions section and the action plan's adopt buttons.

    At most 2 queries: the partnership's actions (with their owners), and, when there is
    an earlier round with results (read from ``results.trend``, already in hand) and an
    action to compare, that round's latest results snapshot (a round without one, which
    only answers written straight into the database have, is scored instead). None
    before the round has results, nor for researchers (actions are the partnership's:
    they see aggregates on the research pages).
    """
    user = request.user
    partner = is_lead(user) and bool(getattr(round, "is_partner", False))
    if not results.ready or not (partner or is_administrator(user)):
        return {}
    actions = partnership_actions(partnership=round.partnership)
    adopted: dict[str, Action] = {}
    for action in actions:
        if action.is_open and action.factor_code:
            adopted.setdefault(action.factor_code, action)
    previous, later = None, {round.id}
    trend = results.trend
    if trend is not None:
        ids = [r.id for r in trend.rounds]
        if round.id in ids:
            at = ids.index(round.id)
            previous = trend.rounds[at - 1] if at > 0 else None
            later |= set(ids[at:])
    comparable = {a.id for a in actions if a.from_round_id not in later
                  and (a.factor_code or a.option_codes)}
    before = None
    if previous is not None and comparable:
        snapshot = round_snapshot_latest(round=previous)
        before = (snapshot_result(snapshot) if snapshot is not None
                  else round_scored(round=previous).result)
    titles = results.titles
    today = timezone.localdate()
    rows = []
    for action in actions:
        comparison = (compare(action, before, results.result, titles)
                      if before is not None and action.id in comparable else None)
        rows.append(DashboardAction(
            action=action, comparison=comparison,
            adopted_here=action.from_round_id is not None and action.from_round_id in later,
            row=action_row(action, titles=titles, today=today,
                           factor=comparison.factor if comparison else None,
                           options=comparison.options if comparison else None)))
    return {
        "actions_section": True,
        "actions_rows": rows,
        "actions_adopted": adopted,
        "actions_can_adopt": partner,
        "actions_adopt_url": reverse("actions:adopt", args=[round.pk]) if partner else "",
        "actions_previous": previous,
    }
