"""Decisions a partnership records on its collaboration options (issue 15, part 2).

A decision (pursue now, pursue later, not pursuing) belongs to the **partnership**,
not to a round: it is made on the results of a round (``Decision.round``) and stays
in force until a later one on the same option replaces it, so the dashboard of the
next round shows it with when and on which round it was made ("why we did or did
not pursue it"). The record is append-only: a new decision is a new row and the
earlier ones are kept and listed. The decision **in force** is the latest by date
(``decided_on``), then by the order recorded.

Only the leads of the partnership's agencies record decisions
(:func:`may_record_decisions`); researchers and administrators read them on the
dashboard.

Reads: :func:`decisions_for` (one query). Writes: :func:`decision_record` (one
option) and :func:`decisions_record` (several, all or nothing), with
``select_for_update`` on the partnership so that two leads recording at once are
serialised and a decision recorded by someone else since the page was opened is
noticed (``seen``) rather than silently replaced.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.boardpaper.models import Decision
from assessments.frameworks import framework_spec
from assessments.models import Membership, Partnership, Round
from bluelight.roles import is_lead

REASON_MAX = 2000
CHOICES = tuple(Decision.Choice.values)


@dataclass(frozen=True)
class DecisionEntry:
    """One decision of the record."""

    id: int
    choice: str
    choice_label: str
    reason: str
    decided_on: date
    round_id: int | None
    round_title: str  # "" when recorded outside a round
    recorded_by: str  # username ("" when the account is gone)


@dataclass(frozen=True)
class DecisionRow:
    """The decision in force on one option, and the earlier ones (latest first)."""

    option_code: str
    current: DecisionEntry
    earlier: list[DecisionEntry] = field(default_factory=list)

    # The decision in force, flat, for templates and the board paper.
    @property
    def id(self) -> int:
        return self.current.id

    @property
    def choice(self) -> str:
        return self.current.choice

    @property
    def choice_label(self) -> str:
        return self.current.choice_label

    @property
    def reason(self) -> str:
        return self.current.reason

    @property
    def decided_on(self) -> date:
        return self.current.decided_on

    @property
    def round_id(self) -> int | None:
        return self.current.round_id

    @property
    def round_title(self) -> str:
        return self.current.round_title

    @property
    def recorded_by(self) -> str:
        return self.current.recorded_by

    @property
    def record(self) -> list[DecisionEntry]:
        """Every decision on the option, latest first (the one in force first)."""
        return [self.current, *self.earlier]


def _entry(d: Decision) -> DecisionEntry:
    return DecisionEntry(
        id=d.pk, choice=d.choice, choice_label=str(Decision.Choice(d.choice).label),
        reason=d.reason, decided_on=d.decided_on, round_id=d.round_id,
        round_title=d.round.title if d.round_id else "",
        recorded_by=d.recorded_by.username if d.recorded_by_id else "")


def decisions_for(*, partnership: Partnership | int) -> dict[str, DecisionRow]:
    """Option code -> the decision in force (latest by date, then latest recorded), with
    the earlier ones. One query. Choice labels are in the active language."""
    pid = partnership if isinstance(partnership, int) else partnership.pk
    rows = (Decision.objects.filter(partnership_id=pid)
            .select_related("round", "recorded_by")
            .order_by("option_code", "-decided_on", "-recorded_at", "-id"))
    found: dict[str, list[DecisionEntry]] = {}
    for d in rows:
        found.setdefault(d.option_code, []).append(_entry(d))
    return {code: DecisionRow(option_code=code, current=entries[0], earlier=entries[1:])
            for code, entries in found.items()}


def may_record_decisions(user, round: Round) -> bool:
    """Only the leads of the round's partnership record its decisions (no query when the
    round carries ``is_partner``, as the dashboard's does)."""
    if not is_lead(user):
        return False
    annotated = getattr(round, "is_partner", None)
    if annotated is not None:
        return bool(annotated)
    return Membership.objects.filter(partnership_id=round.partnership_id, leads=user).exists()


# --------------------------------------------------------------------------- writes


class DecisionRefused(ValidationError):
    """A decision that cannot be recorded; ``message_dict`` says why, by field
    (``"<option>-choice"``, ``"<option>-reason"``, ``"<option>-decided_on"``)."""


@dataclass(frozen=True)
class DecisionInput:
    option_code: str
    choice: str
    reason: str
    decided_on: date | None
    seen: int | None = None  # id of the decision in force when the page was opened; 0: none


def _problems(*, option_code: str, options: set[str], choice: str, reason: str,
              decided_on: date | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if option_code not in options:
        errors.setdefault(f"{option_code}-choice", []).append(
            _("%(code)s is not an option of this round's framework.") % {"code": option_code})
        return errors
    if choice not in CHOICES:
        errors.setdefault(f"{option_code}-choice", []).append(
            _("Choose pursue now, pursue later or not pursuing."))
    if not (reason or "").strip():
        errors.setdefault(f"{option_code}-reason", []).append(
            _("Give the reason for this decision."))
    elif len(reason.strip()) > REASON_MAX:
        errors.setdefault(f"{option_code}-reason", []).append(
            _("Keep the reason to %(n)d characters or fewer.") % {"n": REASON_MAX})
    if decided_on is None:
        errors.setdefault(f"{option_code}-decided_on", []).append(
            _("Give the date of the decision."))
    elif decided_on > timezone.localdate():
        errors.setdefault(f"{option_code}-decided_on", []).append(
            _("The date of a decision cannot be in the future."))
    return errors


@transaction.atomic
def decisions_record(*, partnership: Partnership, round: Round, entries: list[DecisionInput],
                     user) -> list[Decision]:
    """Record several decisions on the results of ``round``, all or none.

    Refused (:class:`DecisionRefused`, nothing written) when any entry is invalid: an
    option not in the round's framework, an unknown choice, no reason, no date or a
    date in the future; or when another decision on the option was recorded since the
    page was opened (``seen`` is not the decision in force any more).
    """
    if round.partnership_id != partnership.pk:
        raise DecisionRefused(_("This round is not one of the partnership's."))
    if not entries:
        raise DecisionRefused(_("Choose a decision for at least one option."))
    # Serialise writers of this partnership's decisions.
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    spec = framework_spec(framework=round.framework)
    options = {o.code for o in spec.options}
    errors: dict[str, list[str]] = {}
    for e in entries:
        for key, messages in _problems(option_code=e.option_code, options=options,
                                       choice=e.choice, reason=e.reason,
                                       decided_on=e.decided_on).items():
            errors.setdefault(key, []).extend(messages)
    checked = [e for e in entries if e.seen is not None]
    if checked:
        in_force = decisions_for(partnership=partnership)
        for e in checked:
            now = in_force.get(e.option_code)
            if (now.id if now else 0) != e.seen:
                errors.setdefault(f"{e.option_code}-choice", []).append(_(
                    "Someone recorded a decision on %(code)s since you opened this page "
                    "(%(choice)s, %(date)s). It is shown now: check it, then record yours "
                    "again if it still stands.") % {
                    "code": e.option_code, "choice": now.choice_label if now else _("none"),
                    "date": now.decided_on.isoformat() if now else "—"})
    if errors:
        raise DecisionRefused(errors)
    return [Decision.objects.create(
        partnership=partnership, round=round, option_code=e.option_code, choice=e.choice,
        reason=e.reason.strip(), decided_on=e.decided_on, recorded_by=user)
        for e in entries]


def decision_record(*, partnership: Partnership, round: Round, option_code: str, choice: str,
                    reason: str, decided_on: date | None, user, seen: int | None = None
                    ) -> Decision:
    """Record one decision on one option (see :func:`decisions_record`): a new row; the
    earlier decisions on the option are kept."""
    return decisions_record(
        partnership=partnership, round=round, user=user,
        entries=[DecisionInput(option_code=option_code, choice=choice, reason=reason,
                               decided_on=decided_on, seen=seen)])[0]
