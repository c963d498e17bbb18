"""Reads of a partnership's actions, shared by its pages, the dashboard and the board
paper: the rows (overdue first), "did it work?" between two rounds, and the change log."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.access import with_results
from assessments.actions.models import Action, ActionNote
from assessments.actions.moves import FactorMove, OptionMove, factor_move, option_moves
from assessments.frameworks import framework_spec
from assessments.models import Agency, Round
from assessments.results.selectors import round_scored
from assessments.results.snapshots import round_snapshot_latest, snapshot_result
from assessments.scoring import FrameworkSpec, RoundResult
from bluelight.formatting import format_date
from survey.models import Framework

OPEN = (Action.Status.PLANNED, Action.Status.IN_PROGRESS)
# the list's status filter: "" (every action), "open", or one status
STATUS_FILTERS = ("open", *Action.Status.values)


@dataclass(frozen=True)
class ActionRow:
    """One action as the dashboard and the board paper show it (words already made)."""

    id: int
    title: str
    factor_code: str
    factor_title: str
    option_codes: list[str]
    owner: str  # the owner agency's name, "" if none
    due_on: date | None
    status: str  # Action.Status value
    status_label: str
    overdue: bool
    # "did it work?": the factor's mean and status before and after, in words ("" when
    # there is no earlier round with results to compare with)
    factor_moved: str = ""
    options_moved: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- frameworks


def partnership_framework(*, partnership) -> Framework | None:
    """The partnership's current framework: its latest round's (one query), or the
    framework new rounds open on when it has no round yet (one more)."""
    latest = (Round.objects.filter(partnership=partnership).select_related("framework")
              .order_by("-opens_on", "-id").first())
    return latest.framework if latest is not None else Framework.objects.current()


def spec_titles(spec: FrameworkSpec | None) -> dict[str, str]:
    """Item code -> title (factors and options), in the active language."""
    if spec is None:
        return {}
    return {f.code: f.title for f in spec.factors} | {o.code: o.title for o in spec.options}


def partnership_spec(*, partnership) -> FrameworkSpec | None:
    framework = partnership_framework(partnership=partnership)
    return None if framework is None else framework_spec(framework=framework)


# --------------------------------------------------------------------------- rows


def sort_key(action: Action, today: date):
    """Overdue first, then the other open actions, then done, then dropped; each by due
    date (none last), then oldest first."""
    if action.is_overdue(today):
        group = 0
    elif action.is_open:
        group = 1
    else:
        group = 2 if action.status == Action.Status.DONE else 3
    return (group, action.due_on is None, action.due_on or date.max, action.id)


def action_row(action: Action, *, titles: dict[str, str], today: date,
               factor: FactorMove | None = None,
               options: list[OptionMove] | None = None) -> ActionRow:
    return ActionRow(
        id=action.id, title=action.title, factor_code=action.factor_code,
        factor_title=titles.get(action.factor_code, ""),
        option_codes=list(action.option_codes or []),
        owner=action.owner.name if action.owner_id else "",
        due_on=action.due_on, status=action.status,
        status_label=str(Action.Status(action.status).label),
        overdue=action.is_overdue(today),
        factor_moved=factor.text if factor is not None else "",
        options_moved=[m.text for m in options or []])


def partnership_actions(*, partnership, status: str = "") -> list[Action]:
    """The partnership's actions with their owner, overdue first (one query); ``status``
    is "" (all), "open" or one :class:`Action.Status` value."""
    actions = Action.objects.filter(partnership=partnership).select_related("owner")
    if status == "open":
        actions = actions.filter(status__in=OPEN)
    elif status:
        actions = actions.filter(status=status)
    today = timezone.localdate()
    return sorted(actions, key=lambda a: sort_key(a, today))


# --------------------------------------------------------------------------- did it work?


def previous_round_with_results(*, round: Round) -> Round | None:
    """The partnership's last round with results before ``round`` (one query)."""
    earlier = Q(opens_on__lt=round.opens_on) | Q(opens_on=round.opens_on, id__lt=round.id)
    return (with_results(Round.objects.filter(partnership_id=round.partnership_id)
                         .select_related("framework", "partnership"))
            .filter(earlier, n_submitted__gte=F("framework__min_agencies"))
            .order_by("-opens_on", "-id").first())


def round_result(*, round: Round) -> RoundResult:
    """A round's results: its latest snapshot (one query), or scored from its submitted
    answers when it has none (a few more)."""
    snapshot = round_snapshot_latest(round=round)
    if snapshot is not None:
        return snapshot_result(snapshot)
    return round_scored(round=round).result


@dataclass(frozen=True)
class Comparison:
    """"Did it work?" for one action: its factor and options, earlier round to later."""

    factor: FactorMove | None
    options: list[OptionMove]

    @property
    def moved_up(self) -> list[OptionMove]:
        return [m for m in self.options if m.direction == "up"]


def compare(action: Action, before: RoundResult, after: RoundResult,
            titles: dict[str, str]) -> Comparison:
    factor = (factor_move(action.factor_code, before, after, titles.get(action.factor_code, ""))
              if action.factor_code else None)
    return Comparison(factor=factor,
                      options=option_moves(list(action.option_codes or []), before, after,
                                           titles))


def actions_for_pack(*, partnership, round=None) -> list[ActionRow]:
    """The partnership's actions, overdue first then by due date; with ``round``, each
    says whether its factor and options moved between the previous round with results
    and ``round``."""
    actions = partnership_actions(partnership=partnership)
    today = timezone.localdate()
    if round is None:
        titles = spec_titles(partnership_spec(partnership=partnership))
        return [action_row(a, titles=titles, today=today) for a in actions]
    round = Round.objects.select_related("framework").get(pk=round.pk)
    titles = spec_titles(framework_spec(framework=round.framework))
    previous = previous_round_with_results(round=round)
    if previous is None or not actions:
        return [action_row(a, titles=titles, today=today) for a in actions]
    before, after = round_result(round=previous), round_result(round=round)
    rows = []
    for action in actions:
        if action.from_round_id == round.id:  # adopted from these results: nothing to compare
            rows.append(action_row(action, titles=titles, today=today))
            continue
        moved = compare(action, before, after, titles)
        rows.append(action_row(action, titles=titles, today=today, factor=moved.factor,
                               options=moved.options))
    return rows


# --------------------------------------------------------------------------- change log


@dataclass(frozen=True)
class LogEntry:
    """One change to an action: who, when, what (sentences in the reader's language)."""

    when: datetime
    who: str
    kind: str  # created | changed | note
    what: list[str]


# the fields a person changes, in the order the log lists them
LOGGED = ("title", "details", "factor_code", "option_codes", "owner", "due_on", "status",
          "done_on")


def _person(user) -> str:
    if user is None:
        return _("someone no longer registered")
    return user.get_full_name() or user.get_username()


def field_value(name: str, value, *, agencies: dict[int, str], titles: dict[str, str]) -> str:
    if value in (None, "", []):
        return _("none")
    if name == "status":
        try:
            return str(Action.Status(value).label)
        except ValueError:  # pragma: no cover - a status no longer offered
            return str(value)
    if name == "owner":
        return agencies.get(value, _("an agency no longer registered"))
    if name in ("due_on", "done_on"):
        return format_date(value)
    if name == "factor_code":
        return f"{value} {titles.get(value, '')}".strip()
    if name == "option_codes":
        return ", ".join(value)
    return str(value)


def field_label(name: str) -> str:
    return str(Action._meta.get_field(name).verbose_name).capitalize()


def action_log(*, action: Action, titles: dict[str, str] | None = None,
               notes: list[ActionNote] | None = None) -> list[LogEntry]:
    """Every change to ``action`` and every progress note, newest first (at most three
    queries: the history with its people, the notes with their authors unless given, the
    agencies named)."""
    titles = titles or {}
    records = list(action.history.select_related("history_user")
                   .order_by("history_date", "history_id"))
    if notes is None:
        notes = list(ActionNote.objects.filter(action=action).select_related("author"))
    owners = {r.owner_id for r in records if r.owner_id}
    agencies = dict(Agency.objects.filter(pk__in=owners).values_list("pk", "name")) if owners \
        else {}
    entries = []
    previous = None
    for record in records:
        who = _person(record.history_user)
        if previous is None or record.history_type == "+":
            what = [_("Created the action: “%(title)s”.") % {"title": record.title}]
            if record.from_round_id:
                what.append(_("Adopted from the action plan of a round's results."))
            entries.append(LogEntry(when=record.history_date, who=who, kind="created",
                                    what=what))
        else:
            what = []
            for name in LOGGED:
                attname = "owner_id" if name == "owner" else name
                old, new = getattr(previous, attname), getattr(record, attname)
                if old == new:
                    continue
                if name == "details":
                    what.append(_("Details changed to: “%(text)s”.") % {"text": new}
                                if new else _("Details removed."))
                    continue
                what.append(_("%(field)s: %(old)s → %(new)s.") % {
                    "field": field_label(name),
                    "old": field_value(name, old, agencies=agencies, titles=titles),
                    "new": field_value(name, new, agencies=agencies, titles=titles)})
            if what:
                entries.append(LogEntry(when=record.history_date, who=who, kind="changed",
                                        what=what))
        previous = record
    for note in notes:
        entries.append(LogEntry(
            when=note.created_at, who=_person(note.author), kind="note",
            what=[_("Added a progress note dated %(date)s: “%(text)s”.") % {
                "date": format_date(note.on_day), "text": note.text}]))
    return sorted(entries, key=lambda e: e.when, reverse=True)
