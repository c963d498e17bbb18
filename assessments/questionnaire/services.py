"""Writes on assessments: rounds, an agency's answers, submitting and reopening.

Every function here takes keyword arguments only, runs in one transaction, and
either does all it says or raises an :class:`AssessmentError` whose ``message``
is a sentence for the person who asked (views turn it into a message on the
page; nothing has been written).

Two leads of one agency may edit the same draft. ``Submission.revision`` is
raised by every saved change; a page carries the revision it was rendered
from, and :func:`submission_save` refuses a save made from an older page when
it would change anything: it raises :class:`StaleRevision` listing what the
other person changed since (read from the answers' history), and writes
nothing. The submission row is locked (``select_for_update``) for the whole
check-and-write, so on PostgreSQL concurrent saves queue behind each other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Case, Value, When
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from assessments import notifications
from assessments.models import (
    COMMENT_MAX,
    Answer,
    Round,
    Submission,
    SubmittedAnswer,
)
from assessments.questionnaire.selectors import items_by_code, previous_submission
from assessments.results.snapshots import round_snapshot_refresh
from bluelight.formatting import format_date
from survey.models import Framework, Item

# The reason is kept in the history's change reason, which holds this many characters.
REOPEN_REASON_MAX = Submission.history.model._meta.get_field("history_change_reason").max_length

# ----------------------------------------------------------------------------- errors


class AssessmentError(Exception):
    """A refused change; ``message`` says why, for the person who asked."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotEditable(AssessmentError):
    """The submission is submitted, or its round is not open for answers."""


class AlreadySubmitted(AssessmentError):
    """Submitting what is already submitted (a double click, a resend): harmless."""


class InvalidAnswers(AssessmentError):
    """Answers that cannot be stored; ``errors`` maps item codes to messages."""

    def __init__(self, errors: Mapping[str, str]):
        self.errors = dict(errors)
        super().__init__(" ".join(self.errors.values()))


class Incomplete(AssessmentError):
    """Submit refused: these items have no answer yet."""

    def __init__(self, missing: list[Item]):
        self.missing = missing
        codes = ", ".join(item.code for item in missing)
        super().__init__(_("Answer every item before submitting (“Don't know” counts as an "
                           "answer). Not answered yet: %(codes)s.") % {"codes": codes})


@dataclass(frozen=True)
class AnswerInput:
    """One answer as typed: ``value`` 1–5, or None for "Don't know"; the evidence."""

    value: int | None
    comment: str = ""


@dataclass(frozen=True)
class Change:
    """What another person changed since a page was opened: the item as it is now."""

    item: Item
    answer: AnswerInput | None  # None: the answer was removed
    by: str
    at: datetime | None


class StaleRevision(AssessmentError):
    """A save or submit from a page older than the stored answers; nothing was written.

    ``changes``: what others changed since that page, as the items are now.
    ``mine``: codes of the items the refused save would have changed (the
    person's own edits, to keep in the form). ``current``: every stored answer
    by item code. ``revision``: the stored revision, for the form to carry when
    the person saves again, deliberately.
    """

    def __init__(self, *, changes: list[Change], mine: set[str],
                 current: dict[str, AnswerInput], revision: int):
        self.changes = changes
        self.mine = mine
        self.current = current
        self.revision = revision
        names = sorted({change.by for change in changes})
        if names:
            message = _("Your changes were not saved: %(names)s changed this assessment "
                        "after you opened this page. Check their changes below, then save "
                        "again.") % {"names": ", ".join(names)}
        else:
            message = _("Your changes were not saved: this assessment was changed after "
                        "you opened this page. Check the answers below, then save again.")
        super().__init__(message)


@dataclass
class SaveResult:
    """What a save did: the codes it changed, the new revision, others' changes seen."""

    saved: list[str]
    revision: int
    others: list[Change] = field(default_factory=list)
    # codes of answers from the last round kept as they were: now confirmed
    confirmed: list[str] = field(default_factory=list)


# ----------------------------------------------------------------------------- helpers


def person(user) -> str:
    """How a person is named on pages: full name, else username."""
    if user is None:
        return _("someone")
    return user.get_full_name() or user.get_username()


def round_closed_reason(round: Round) -> str | None:
    """Why a round takes no answers today, or None when it is open."""
    today = timezone.localdate()
    if round.status == Round.Status.CLOSED:
        closed = round.closed_at or round.closes_on
        if closed is None:
            return _("This round is closed. Answers can no longer be changed.")
        return _("This round closed on %(date)s. Answers can no longer be changed.") % {
            "date": format_date(closed)}
    if round.opens_on > today:
        return _("This round opens on %(date)s.") % {"date": format_date(round.opens_on)}
    if round.closes_on is not None and today > round.closes_on:
        return _("This round closed on %(date)s. Answers can no longer be changed.") % {
            "date": format_date(round.closes_on)}
    return None


def submission_readonly_reason(submission: Submission | None, round: Round) -> str | None:
    """Why these answers cannot be changed now, or None when they can."""
    reason = round_closed_reason(round)
    if reason:
        return reason
    if submission is not None and submission.status == Submission.Status.SUBMITTED:
        return _("These answers were submitted by %(who)s on %(date)s. They can no longer be "
                 "changed unless an administrator reopens the assessment.") % {
            "who": person(submission.submitted_by), "date": format_date(submission.submitted_at)}
    return None


def _lock(submission: Submission) -> Submission:
    return (Submission.objects.select_for_update(of=("self",))
            .select_related("round__framework", "submitted_by").get(pk=submission.pk))


def _ensure_editable(submission: Submission) -> None:
    reason = submission_readonly_reason(submission, submission.round)
    if reason:
        raise NotEditable(reason)


def _as_input(answer) -> AnswerInput | None:
    return None if answer is None else AnswerInput(answer.value, answer.comment)


def _validate(answers: Mapping[str, AnswerInput | None], items: dict[str, Item]) -> None:
    errors = {}
    for code, answer in answers.items():
        if code not in items:
            errors[code] = _("%(code)s is not an item of this round's framework.") % {
                "code": code}
            continue
        if answer is None:
            continue
        if answer.value is not None and (isinstance(answer.value, bool)
                                         or not isinstance(answer.value, int)
                                         or not 1 <= answer.value <= 5):
            errors[code] = _("%(code)s: the answer must be 1 to 5 or “Don't know”.") % {
                "code": code}
        elif len(answer.comment) > COMMENT_MAX:
            errors[code] = _("%(code)s: the evidence is %(n)s characters long; the limit is "
                             "%(max)s.") % {"code": code, "n": len(answer.comment),
                                            "max": COMMENT_MAX}
    if errors:
        raise InvalidAnswers(errors)


# The history user's fields read for :func:`_history_states` (its id first).
HISTORY_USER_FIELDS = ("history_user__id", "history_user__username",
                       "history_user__first_name", "history_user__last_name")


def _history_states(submission: Submission, revision: int, items: dict[str, Item]):
    """The answers at ``revision`` and now, from the history, with who changed each last.

    Returns ``(base, latest)``: ``base`` maps codes to the answer as it stood
    when the submission reached ``revision`` (None if that revision is not
    known); ``latest`` maps codes to ``(answer or None, user, when)`` as of the
    newest change. Answers are written before the submission's revision is
    raised in the same transaction, so "as it stood" is everything recorded up
    to the newest history row of the submission at that revision.
    """
    at = (submission.history.filter(revision=revision)
          .order_by("-history_date", "-history_id")
          .values_list("history_date", flat=True).first())
    code_of = {item.pk: code for code, item in items.items()}
    # Plain rows, not history instances: a draft's history grows with every save, and
    # this runs on every stale save. Who made each change: the names persons are
    # called by (see :func:`person`), from the same query.
    rows = (Answer.history.filter(submission_id=submission.pk)
            .order_by("history_date", "history_id")
            .values_list("item_id", "history_type", "value", "comment", "history_date",
                         *HISTORY_USER_FIELDS))
    base: dict[str, AnswerInput] | None = {} if at is not None else None
    latest: dict[str, tuple] = {}
    for item_id, history_type, value, comment, when, *user in rows:
        code = code_of.get(item_id)
        if code is None:
            continue
        answer = None if history_type == "-" else AnswerInput(value, comment)
        latest[code] = (answer, user, when)
        if base is not None and when <= at:
            if answer is None:
                base.pop(code, None)
            else:
                base[code] = answer
    users: dict = {}
    for code, (answer, user, when) in latest.items():
        if user[0] is not None and user[0] not in users:
            users[user[0]] = _user_from_row(user)
        latest[code] = (answer, users.get(user[0]), when)
    return base, latest


def _user_from_row(values) -> object:
    """A user from the :data:`HISTORY_USER_FIELDS` of a row (its other fields deferred)."""
    model = get_user_model()
    given = dict(zip((f.split("__", 1)[1] for f in HISTORY_USER_FIELDS), values, strict=True))
    names = [f.attname for f in model._meta.concrete_fields if f.attname in given]
    return model.from_db(Answer.history.db, names, [given[name] for name in names])


def _changes_since(submission: Submission, revision: int, items: dict[str, Item],
                   current: dict[str, AnswerInput]):
    base, latest = _history_states(submission, revision, items)
    changes = []
    for code, item in items.items():
        before = None if base is None else base.get(code)
        now = current.get(code)
        if before != now:
            _answer, user, when = latest.get(code, (None, None, None))
            changes.append(Change(item=item, answer=now, by=person(user), at=when))
    return base, changes


def _current(submission: Submission, items: dict[str, Item]) -> dict[str, Answer]:
    code_of = {item.pk: code for code, item in items.items()}
    return {code_of[a.item_id]: a for a in submission.answers.all() if a.item_id in code_of}


# ----------------------------------------------------------------------------- answers


@transaction.atomic
def submission_for(*, round: Round, agency) -> Submission:
    """The agency's submission in the round, created as a draft the first time."""
    if not round.partnership.memberships.filter(agency=agency).exists():
        raise AssessmentError(_("%(agency)s is not a member of %(partnership)s.") % {
            "agency": agency, "partnership": round.partnership})
    submission, _created = Submission.objects.get_or_create(round=round, agency=agency)
    return submission


@transaction.atomic
def submission_save(*, submission: Submission, user,
                    answers: Mapping[str, AnswerInput | None], revision: int) -> SaveResult:
    """Save some of an agency's answers (a draft), keyed by item code.

    ``answers[code]`` is the answer, or None for "not answered" (removes a
    stored answer). Codes left out are not touched. Refused, with nothing
    written: a submitted assessment or a round not open (:class:`NotEditable`),
    bad values (:class:`InvalidAnswers`), and a save from a page older than
    the stored answers that would change something someone else changed or
    that is not stored yet (:class:`StaleRevision`). Saving what is already
    stored (a double click) writes nothing and raises nothing.
    """
    locked = _lock(submission)
    _ensure_editable(locked)
    items = items_by_code(framework=locked.round.framework)
    _validate(answers, items)
    stored = _current(locked, items)
    current = {code: _as_input(a) for code, a in stored.items()}
    edits = {code: a for code, a in answers.items() if current.get(code) != a}

    if revision != locked.revision:
        base, changes = _changes_since(locked, revision, items, current)
        mine = {code for code, a in answers.items() if base is None or base.get(code) != a}
        if mine & edits.keys():
            raise StaleRevision(changes=changes, mine=mine, current=current,
                                revision=locked.revision)
        # Nothing of theirs to save (they changed nothing, or the same as stored).
        return SaveResult(saved=[], revision=locked.revision, others=changes,
                          confirmed=_confirm(stored, answers, edits, items))
    confirmed = _confirm(stored, answers, edits, items)
    if not edits:
        return SaveResult(saved=[], revision=locked.revision, confirmed=confirmed)

    _write_answers(locked, user, edits, stored, items)
    locked.revision += 1
    locked._history_user = user
    locked.save(update_fields=["revision", "updated_at"])
    return SaveResult(saved=sorted(edits, key=lambda c: items[c].order), revision=locked.revision,
                      confirmed=confirmed)


def _write_answers(locked: Submission, user, edits: Mapping[str, AnswerInput | None],
                   stored: dict[str, Answer], items: dict[str, Item]) -> None:
    """Write the changed answers and their history, in four queries however many changed.

    Stored answers that changed are updated in one query, new ones inserted in one,
    each with one insert of their history records, as a save records them (``~``
    or ``+``, by ``user``, now). A removed answer (None, rare) is deleted on its own.
    The history is written before the submission's revision is raised, as
    :func:`_history_states` expects.
    """
    now = timezone.now()
    changed, created = [], []
    for code, answer in edits.items():
        existing = stored.get(code)
        if answer is None:
            existing._history_user = user
            existing.delete()
            continue
        row = existing or Answer(submission=locked, item=items[code])
        row.value, row.comment, row.updated_by = answer.value, answer.comment, user
        row.prefilled = False
        row.updated_at = now  # auto_now, which an update does not set
        (changed if existing else created).append(row)
    if changed:
        # Not bulk_update(): its CASE of one WHEN per row and field costs more Python
        # than the saves it replaces. The fields every row gets alike are set plainly,
        # and each of the two others is a CASE with one WHEN per distinct value.
        Answer.objects.filter(pk__in=[row.pk for row in changed]).update(
            value=_case_by_value(changed, "value"), comment=_case_by_value(changed, "comment"),
            updated_by=user, prefilled=False, updated_at=now)
        Answer.history.bulk_history_create(changed, update=True, default_user=user,
                                           default_change_reason=None, default_date=now)
    if created:
        bulk_create_with_history(created, Answer, default_user=user, default_date=now)


def _case_by_value(rows: list[Answer], name: str):
    """The rows' values of field ``name`` for an update of exactly these rows: the value
    when they all share it, else a CASE choosing each row's."""
    by_value: dict = {}
    for row in rows:
        by_value.setdefault(getattr(row, name), []).append(row.pk)
    if len(by_value) == 1:
        return next(iter(by_value))
    field = Answer._meta.get_field(name)
    case = Case(*[When(pk__in=pks, then=Value(value, output_field=field))
                  for value, pks in by_value.items()], output_field=field)
    if connection.features.requires_casted_case_in_updates:  # as bulk_update() does
        case = Cast(case, output_field=field)
    return case


def _confirm(stored: dict[str, Answer], answers: Mapping[str, AnswerInput | None],
             edits: Mapping, items: dict[str, Item]) -> list[str]:
    """Answers copied from the last round that the lead saved as they were: no longer
    marked. (A changed one is unmarked as it is saved.) Returns their codes."""
    codes = [code for code in answers if code not in edits and code in stored
             and stored[code].prefilled]
    if codes:
        Answer.objects.filter(pk__in=[stored[code].pk for code in codes]).update(
            prefilled=False)
    return sorted(codes, key=lambda c: items[c].order)


@transaction.atomic
def submission_submit(*, submission: Submission, user, revision: int) -> Submission:
    """Submit the agency's answers: freeze a copy for the results.

    Needs every item of the framework answered ("Don't know" counts) and the
    page to show the stored answers (``revision``). Submitting again what is
    already submitted raises :class:`AlreadySubmitted` and changes nothing.
    """
    locked = _lock(submission)
    if locked.status == Submission.Status.SUBMITTED:
        raise AlreadySubmitted(_("These answers were already submitted by %(who)s on "
                                 "%(date)s.") % {"who": person(locked.submitted_by),
                                                 "date": format_date(locked.submitted_at)})
    _ensure_editable(locked)
    items = items_by_code(framework=locked.round.framework)
    stored = _current(locked, items)
    if revision != locked.revision:
        current = {code: _as_input(a) for code, a in stored.items()}
        _base, changes = _changes_since(locked, revision, items, current)
        raise StaleRevision(changes=changes, mine=set(), current=current,
                            revision=locked.revision)
    missing = [item for code, item in items.items() if code not in stored]
    if missing:
        raise Incomplete(missing)
    freeze_answers(locked, stored.values())
    # Submitting confirms them all ("I confirm these are my agency's answers").
    Answer.objects.filter(submission=locked, prefilled=True).update(prefilled=False)
    locked.status = Submission.Status.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.submitted_by = user
    locked.revision += 1
    locked._history_user = user
    locked._change_reason = "submitted"
    locked.save()
    round_snapshot_refresh(round=locked.round)
    notifications.notify_results_ready(round=locked.round)
    return locked


@transaction.atomic
def submission_prefill(*, round: Round, agency, user) -> tuple[Submission, list[str]]:
    """Start from the agency's answers submitted in its last earlier round of the partnership.

    Copies each submitted answer (value and evidence) whose item code is in this
    round's framework and is not answered yet, marked ``prefilled`` until a
    lead saves its section or submits. Never overwrites an answer. Returns the
    submission and the codes copied (none: nothing left to copy). Refused when
    the answers cannot be changed or there is no earlier submission.
    """
    previous = previous_submission(round=round, agency=agency)
    if previous is None:
        raise AssessmentError(_("%(agency)s has no submitted answers in an earlier round of "
                                "%(partnership)s to start from.") % {
            "agency": agency, "partnership": round.partnership})
    locked = _lock(submission_for(round=round, agency=agency))
    _ensure_editable(locked)
    items = items_by_code(framework=locked.round.framework)
    stored = _current(locked, items)
    earlier = {a.item.code: a for a in previous.submitted_answers.select_related("item")}
    copied = [code for code in items if code in earlier and code not in stored]
    for code in copied:
        row = Answer(submission=locked, item=items[code], value=earlier[code].value,
                     comment=earlier[code].comment, updated_by=user, prefilled=True)
        row._history_user = user
        row.save()
    if copied:
        locked.revision += 1
        locked._history_user = user
        locked.save(update_fields=["revision", "updated_at"])
    return locked, copied


def freeze_answers(submission: Submission, answers: Iterable[Answer]) -> None:
    submission.submitted_answers.all().delete()
    SubmittedAnswer.objects.bulk_create(
        SubmittedAnswer(submission=submission, item_id=a.item_id, value=a.value,
                        comment=a.comment) for a in answers)


@transaction.atomic
def submission_reopen(*, submission: Submission, user, reason: str) -> Submission:
    """Let the agency change a submitted assessment again; the reason is recorded.

    The submitted answers stay in the results until the agency submits again.
    """
    reason = (reason or "").strip()
    if not reason:
        raise AssessmentError(_("Give the reason for reopening: the agency's leads will "
                                "see it."))
    if len(reason) > REOPEN_REASON_MAX:
        raise AssessmentError(_("The reason is %(n)s characters long; keep it to %(max)s.")
                              % {"n": len(reason), "max": REOPEN_REASON_MAX})
    locked = _lock(submission)
    if locked.status != Submission.Status.SUBMITTED:
        raise AssessmentError(_("%(submission)s is not submitted (it is %(status)s), so it "
                                "cannot be reopened.") % {
            "submission": locked, "status": locked.get_status_display().lower()})
    closed = round_closed_reason(locked.round)
    if closed:
        raise AssessmentError(_("%(submission)s cannot be reopened: %(reason)s Open the round "
                                "again first.") % {"submission": locked, "reason": closed})
    locked.status = Submission.Status.REOPENED
    locked.revision += 1
    locked._history_user = user
    locked._change_reason = reason
    locked.save()
    round_snapshot_refresh(round=locked.round)
    notifications.notify_reopened(submission=locked, user=user, reason=reason)
    return locked


# ----------------------------------------------------------------------------- rounds


@transaction.atomic
def round_open(*, partnership, title: str, opens_on: date | None = None,
               closes_on: date | None = None, framework: Framework | None = None,
               user=None) -> Round:
    """Open a round for a partnership on a published framework (default: the current one)."""
    framework = framework or Framework.objects.current()
    if framework is None:
        raise AssessmentError(_("No framework is published yet: publish one before opening "
                                "a round."))
    if framework.status != Framework.Status.PUBLISHED:
        raise AssessmentError(_("A round can only be opened on a published framework; "
                                "%(framework)s is not.") % {"framework": framework})
    opens_on = opens_on or timezone.localdate()
    if closes_on is not None and closes_on < opens_on:
        raise AssessmentError(_("The closing date cannot be before the opening date."))
    new = Round(partnership=partnership, framework=framework, title=title, opens_on=opens_on,
                closes_on=closes_on, status=Round.Status.OPEN)
    new._history_user = user
    new.save()
    notifications.notify_round_opened(round=new, user=user)
    return new


def _set_round_status(round: Round, status: str, *, user, reason: str) -> tuple[Round, bool]:
    """Lock the round and give it ``status``; False when it had that status already."""
    locked = Round.objects.select_for_update().get(pk=round.pk)
    if locked.status == status:
        return locked, False
    locked.status = status
    locked.closed_at = timezone.now() if status == Round.Status.CLOSED else None
    locked._history_user = user
    locked._change_reason = reason
    locked.save()
    return locked, True


@transaction.atomic
def round_close(*, round: Round, user=None) -> Round:
    """Close a round: no more answers, saves or submits (imports are refused too)."""
    locked, changed = _set_round_status(round, Round.Status.CLOSED, user=user, reason="closed")
    if changed:
        round_snapshot_refresh(round=locked)
        notifications.notify_round_closed(round=locked, user=user)
    return locked


@transaction.atomic
def round_reopen(*, round: Round, user=None) -> Round:
    """Open a closed round again (a round closed by mistake)."""
    locked, _changed = _set_round_status(round, Round.Status.OPEN, user=user,
                                         reason="opened again")
    return locked
