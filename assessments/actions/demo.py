"""Demo data of assessments.actions for `manage.py load_demo` (called by
`assessments.demo.demo_load` after the partnerships, rounds and answers exist).

Each demo partnership gets two or three actions, adopted from its first round's action
plan (written from scratch when that round has no results yet): one done, with progress
notes; one overdue; the rest planned. Their history is dated as if the leads had made
the changes over the months after the round.
"""

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from assessments.access import with_results
from assessments.actions.models import Action, ActionNote
from assessments.actions.services import action_adopt, action_create
from assessments.models import Membership, Partnership, Round
from assessments.results.selectors import action_plan, round_scored

DEMO_FILE = Path(settings.BASE_DIR) / "fixtures" / "demo.json"

# Written from scratch for a partnership whose first round has no results yet.
FROM_SCRATCH = [
    ("E1", ["O4", "O16"], "Agree in writing what the joint control room is for and how the "
                          "partners will know it works"),
    ("E6", ["O10", "O16"], "Set up a joint control room board with agreed decision rights"),
]
NOTES = {
    "done": ["First workshop held with every agency; a draft is being circulated.",
             "Signed off by every agency's chief officer."],
    "overdue": ["Started, but waiting for the finance leads to meet."],
}


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _step(action: Action, *, user, when: datetime, **fields) -> None:
    """A change made by ``user`` at ``when`` (recorded in the history at that time)."""
    for name, value in fields.items():
        setattr(action, name, value)
    action.revision += 1
    action._history_user = user
    action._history_date = when
    action.save()


def _note(action: Action, *, user, day: date, text: str) -> None:
    ActionNote.objects.create(action=action, on_day=day, text=text, author=user,
                              created_at=_at(day, 16))


def _leads(partnership) -> list[tuple]:
    """(agency, first lead) of each agency, by agency name."""
    out = []
    for membership in (Membership.objects.filter(partnership=partnership)
                       .select_related("agency").order_by("agency__name")):
        lead = (Membership.leads.through.objects.filter(membership=membership)
                .select_related("user").order_by("id").first())
        if lead is not None:
            out.append((membership.agency, lead.user))
    return out


@transaction.atomic
def seed() -> None:
    """Idempotent: running it twice changes nothing (a partnership with actions is left
    alone)."""
    names = [p["name"] for p in json.loads(DEMO_FILE.read_text(encoding="utf-8"))["partnerships"]]
    today = timezone.localdate()
    for partnership in Partnership.objects.filter(name__in=names).order_by("name"):
        if Action.objects.filter(partnership=partnership).exists():
            continue
        leads = _leads(partnership)
        first = (with_results(Round.objects.filter(partnership=partnership)
                              .select_related("framework", "partnership"))
                 .order_by("opens_on", "id").first())
        if not leads or first is None:
            continue
        _seed_partnership(partnership, first, leads, today)


def _seed_partnership(partnership, first: Round, leads: list[tuple], today: date) -> None:
    lead = leads[0][1]
    if first.has_results:
        scored = round_scored(round=first)
        points = action_plan(scored.result, scored.spec)[:3]
        actions = [action_adopt(round=first, factor_code=p.item.code, user=lead)[0]
                   for p in points]
        start = min(today - timedelta(days=60),
                    (first.closes_on if first.status == Round.Status.CLOSED
                     else first.opens_on + timedelta(days=21)) + timedelta(days=14))
    else:
        actions = [action_create(partnership=partnership, user=lead, title=title,
                                 factor_code=code, option_codes=options)
                   for code, options, title in FROM_SCRATCH]
        start = max(first.opens_on, today - timedelta(days=30))
    created = _at(start, 9)
    for action in actions:
        Action.objects.filter(pk=action.pk).update(created_at=created)
        action.history.update(history_date=created)
    for i, action in enumerate(actions):
        agency, owner_lead = leads[i % len(leads)]
        plan_day = start + timedelta(days=2)
        if i == 0:  # done, with its notes
            due = start + timedelta(days=min(90, max(14, (today - start).days - 7)))
            _step(action, user=owner_lead, when=_at(plan_day), owner=agency, due_on=due,
                  status=Action.Status.IN_PROGRESS)
            middle = start + (due - start) / 2
            _note(action, user=owner_lead, day=middle, text=NOTES["done"][0])
            done_day = min(due, today - timedelta(days=1))
            _note(action, user=owner_lead, day=done_day, text=NOTES["done"][1])
            _step(action, user=owner_lead, when=_at(done_day, 17), status=Action.Status.DONE,
                  done_on=done_day)
        elif i == 1:  # overdue
            _step(action, user=owner_lead, when=_at(plan_day), owner=agency,
                  due_on=today - timedelta(days=21), status=Action.Status.IN_PROGRESS)
            _note(action, user=owner_lead, day=min(today, plan_day + timedelta(days=20)),
                  text=NOTES["overdue"][0])
        else:  # planned
            _step(action, user=owner_lead, when=_at(plan_day), owner=agency,
                  due_on=today + timedelta(days=90))
