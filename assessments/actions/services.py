"""Writes on a partnership's actions: adopt one from a round's action plan, write one
from scratch, change it, add a dated progress note.

Every function takes keyword arguments only, runs in one transaction, and either does
all it says or raises an :class:`ActionError` whose ``message`` is a sentence for the
person who asked (nothing has been written). Every change to an action is a history
record (``Action.history``: who, when, what). ``Action.revision`` is raised by every
saved change; :func:`action_update` refuses a change made from an older page
(:class:`StaleAction`, listing what changed since), so nothing is overwritten unseen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.actions.models import TEXT_MAX, Action, ActionNote
from assessments.actions.selectors import (
    OPEN,
    field_label,
    field_value,
    partnership_spec,
)
from assessments.models import Agency, Membership, Round
from assessments.results.selectors import action_plan, round_scored
from assessments.results.wording import factor_figures
from assessments.scoring import FrameworkSpec
from survey.models import Scale

TITLE_MAX = Action._meta.get_field("title").max_length
EDITABLE = ("title", "details", "factor_code", "option_codes", "owner", "due_on", "status")


class ActionError(Exception):
    """A refused change; ``message`` says why, for the person who asked."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class StaleAction(ActionError):
    """The action changed since the page was opened; ``changes`` says what changed."""

    def __init__(self, message: str, *, changes: list[str], revision: int):
        super().__init__(message)
        self.changes = changes
        self.revision = revision


@dataclass(frozen=True)
class Choices:
    """What an action of a partnership may name: its agencies, the factors and options of
    its current framework (code -> title)."""

    agencies: dict[int, str]
    factors: dict[str, str]
    options: dict[str, str]


def action_choices(*, partnership, spec: FrameworkSpec | None = None) -> Choices:
    """The partnership's agencies and its current framework's factors and options."""
    spec = partnership_spec(partnership=partnership) if spec is None else spec
    agencies = dict(Membership.objects.filter(partnership=partnership)
                    .order_by("agency__name").values_list("agency_id", "agency__name"))
    if spec is None:
        return Choices(agencies=agencies, factors={}, options={})
    return Choices(agencies=agencies, factors={f.code: f.title for f in spec.factors},
                   options={o.code: o.title for o in spec.options})


def _check(*, choices: Choices, fields: dict, keep: Action | None = None) -> dict:
    """Validated, normalised fields (an unknown code, agency or status is refused). An
    action being changed may keep a factor or options of an older framework."""
    out = dict(fields)
    title = " ".join(str(out.get("title", "")).split())
    if not title:
        raise ActionError(_("Say what will be done."), field="title")
    if len(title) > TITLE_MAX:
        raise ActionError(_("Keep what will be done to %(max)s characters.") % {
            "max": TITLE_MAX}, field="title")
    out["title"] = title
    details = str(out.get("details") or "").strip()
    if len(details) > TEXT_MAX:
        raise ActionError(_("Keep the details to %(max)s characters.") % {"max": TEXT_MAX},
                          field="details")
    out["details"] = details
    factor = str(out.get("factor_code") or "").strip().upper()
    if factor and factor not in choices.factors and not (keep and factor == keep.factor_code):
        raise ActionError(_("%(code)s is not an enabler or barrier of the partnership's "
                            "framework.") % {"code": factor}, field="factor_code")
    out["factor_code"] = factor
    kept = set(keep.option_codes or []) if keep else set()
    codes = [str(c).strip().upper() for c in out.get("option_codes") or []]
    unknown = [c for c in codes if c not in choices.options and c not in kept]
    if unknown:
        raise ActionError(_("Not options of the partnership's framework: %(codes)s.") % {
            "codes": ", ".join(unknown)}, field="option_codes")
    order = {code: i for i, code in enumerate(choices.options)}
    out["option_codes"] = sorted(dict.fromkeys(codes), key=lambda c: (order.get(c, 999), c))
    owner = out.get("owner")
    if owner is not None:
        owner_id = owner.pk if isinstance(owner, Agency) else int(owner)
        if owner_id not in choices.agencies and not (keep and owner_id == keep.owner_id):
            raise ActionError(_("The owner must be one of the partnership's agencies."),
                              field="owner")
        out["owner"] = owner if isinstance(owner, Agency) else Agency.objects.get(pk=owner_id)
    status = out.get("status") or Action.Status.PLANNED
    if status not in Action.Status.values:
        raise ActionError(_("Choose a status from the list."), field="status")
    out["status"] = status
    return out


def _done_on(old_status: str | None, new_status: str, done_on: date | None) -> date | None:
    """Set when the status becomes done, kept while it stays done, cleared otherwise."""
    if new_status != Action.Status.DONE:
        return None
    if old_status != Action.Status.DONE or done_on is None:
        return timezone.localdate()
    return done_on


@transaction.atomic
def action_create(*, partnership, user, title: str, details: str = "", factor_code: str = "",
                  option_codes: Iterable[str] = (), owner: Agency | int | None = None,
                  due_on: date | None = None, status: str = Action.Status.PLANNED,
                  from_round: Round | None = None, choices: Choices | None = None) -> Action:
    """A new action of ``partnership`` (written from scratch, or adopted)."""
    choices = action_choices(partnership=partnership) if choices is None else choices
    fields = _check(choices=choices, fields={
        "title": title, "details": details, "factor_code": factor_code,
        "option_codes": list(option_codes), "owner": owner, "due_on": due_on,
        "status": status})
    action = Action(partnership=partnership, from_round=from_round, created_by=user,
                    done_on=_done_on(None, fields["status"], None), **fields)
    action._history_user = user
    action.save()
    return action


def open_action_on(*, partnership, factor_code: str) -> Action | None:
    """The partnership's open (planned or in progress) action on a factor, if any."""
    return (Action.objects.filter(partnership=partnership, factor_code=factor_code,
                                  status__in=OPEN).order_by("id").first())


@transaction.atomic
def action_adopt(*, round: Round, factor_code: str, user) -> tuple[Action, bool]:
    """Adopt the point of ``round``'s action plan on ``factor_code``: an action with the
    factor, the options it holds back and the plan's words, ``from_round`` set. When the
    partnership already has an open action on that factor, that one (and False)."""
    round = Round.objects.select_related("framework", "partnership").get(pk=round.pk)
    partnership = round.partnership
    existing = open_action_on(partnership=partnership, factor_code=factor_code)
    if existing is not None:
        return existing, False
    scored = round_scored(round=round)
    if not scored.ready:
        raise ActionError(_("This round has no results yet, so it has no action plan."))
    point = next((p for p in action_plan(scored.result, scored.spec)
                  if p.item.code == factor_code), None)
    if point is None:
        raise ActionError(_("%(code)s is not in this round's action plan: nothing in the "
                            "results needs it dealt with.") % {"code": factor_code or "—"})
    scales = {s.kind: dict(s.labels) for s in Scale.objects.filter(framework=round.framework)}
    item = point.item
    title = _("Deal with %(code)s %(title)s (%(severity)s)") % {
        "code": item.code, "title": item.title, "severity": point.severity_text}
    details = [_("From the action plan of %(round)s: %(severity)s, %(figures)s") % {
        "round": round.title, "severity": point.severity_text,
        "figures": factor_figures(item, scales.get(item.kind, {}))}]
    if point.holds_back:
        details.append(_("Holds back: %(options)s.") % {"options": point.holds_back_text})
    if point.unlock_texts:
        details.append(_("On its own, resolving it would move up: %(options)s.") % {
            "options": "; ".join(point.unlock_texts)})
    spec = partnership_spec(partnership=partnership)
    choices = action_choices(partnership=partnership, spec=spec)
    # the round's own codes are valid even when the partnership has moved to a newer framework
    round_codes = Choices(
        agencies=choices.agencies,
        factors=choices.factors | {f.code: f.title for f in scored.spec.factors},
        options=choices.options | {o.code: o.title for o in scored.spec.options})
    action = action_create(
        partnership=partnership, user=user, title=title[:TITLE_MAX],
        details="\n".join(details)[:TEXT_MAX], factor_code=item.code,
        option_codes=[o.code for o in point.holds_back], from_round=round, choices=round_codes)
    return action, True


def _changes_since(action: Action, revision: int) -> list[str]:
    """What changed since ``revision``, field by field, with who changed it last."""
    base = (action.history.filter(revision=revision).order_by("-history_date", "-history_id")
            .first())
    latest = action.history.select_related("history_user").order_by(
        "-history_date", "-history_id").first()
    if base is None or latest is None:
        return []
    owners = {i for i in (base.owner_id, latest.owner_id) if i}
    agencies = dict(Agency.objects.filter(pk__in=owners).values_list("pk", "name"))
    who = latest.history_user
    name = (who.get_full_name() or who.get_username()) if who else _("someone")
    changes = []
    for field in (*EDITABLE, "done_on"):
        attname = "owner_id" if field == "owner" else field
        old, new = getattr(base, attname), getattr(latest, attname)
        if old != new:
            changes.append(_("%(field)s: now %(new)s (was %(old)s)") % {
                "field": field_label(field),
                "new": field_value(field, new, agencies=agencies, titles={}),
                "old": field_value(field, old, agencies=agencies, titles={})})
    if changes:
        changes.append(_("Last changed by %(name)s.") % {"name": name})
    return changes


@transaction.atomic
def action_update(*, action: Action, user, revision: int, **fields) -> tuple[Action, list[str]]:
    """Change an action; returns it and the names of the fields that changed (none: nothing
    was saved). Refused (:class:`StaleAction`) when it changed since ``revision``."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:  # pragma: no cover - a programming error
        raise TypeError(f"not editable: {sorted(unknown)}")
    locked = Action.objects.select_for_update().select_related("partnership").get(pk=action.pk)
    if revision != locked.revision:
        raise StaleAction(
            _("Someone changed this action after you opened it, so your changes were not "
              "saved. Check what they changed, then save again if you still want yours."),
            changes=_changes_since(locked, revision), revision=locked.revision)
    current = {name: getattr(locked, name) for name in EDITABLE}
    checked = _check(choices=action_choices(partnership=locked.partnership),
                     fields=current | fields, keep=locked)
    changed = [name for name in EDITABLE if checked[name] != current[name]]
    if not changed:
        return locked, []
    old_status = locked.status
    for name in changed:
        setattr(locked, name, checked[name])
    locked.done_on = _done_on(old_status, locked.status, locked.done_on)
    locked.revision += 1
    locked._history_user = user
    locked.save()
    return locked, changed


@transaction.atomic
def action_note_add(*, action: Action, user, text: str, on_day: date | None = None) -> ActionNote:
    """A dated progress note on ``action`` (notes are kept, never edited)."""
    text = (text or "").strip()
    if not text:
        raise ActionError(_("Write what progress there has been."), field="text")
    if len(text) > TEXT_MAX:
        raise ActionError(_("Keep the note to %(max)s characters.") % {"max": TEXT_MAX},
                          field="text")
    today = timezone.localdate()
    on_day = on_day or today
    if on_day > today:
        raise ActionError(_("A progress note cannot be dated in the future."), field="on_day")
    locked = Action.objects.select_for_update().get(pk=action.pk)
    return ActionNote.objects.create(action=locked, on_day=on_day, text=text, author=user)
