"""Import a round's answers from the interchange CSV (answers collected on paper or elsewhere).

All or nothing: the file is read with :func:`interchange.parse_answers_csv`
(never parsed here), then checked against the round (every agency named must be
a member of the round's partnership, with its registered service, and answer
every item of the round's framework), and only when nothing at all is wrong
are the answers written, in one transaction. Every problem is reported with the
line of the file it is on.

Each agency in the file gets exactly the file's answers as its working copy
and as its submitted answers, and counts as submitted (by the importing
person, recorded in the history as "imported from CSV"). An agency that
already has answers in the round (submitted, or saved in a draft) is refused
unless ``replace_submitted`` is given; what was replaced is reported. Closed
rounds take no imports. When an import gives an open round results for the
first time, every lead is told, as after a submit
(:func:`notifications.notify_results_ready`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import notifications
from assessments.interchange.csv import parse_answers_csv
from assessments.models import Answer, Round, Submission
from assessments.questionnaire.selectors import items_by_code
from assessments.questionnaire.services import (
    NotEditable,
    freeze_answers,
    person,
    round_closed_reason,
)
from assessments.results.snapshots import round_snapshot_refresh
from bluelight.csvkit import STOP_AFTER, CsvError
from bluelight.formatting import format_date

IMPORT_REASON = "imported from CSV"


@dataclass(frozen=True)
class AgencyImport:
    """One agency's answers as imported; ``replaced`` describes what they replaced."""

    agency: str
    answers: int
    replaced: str = ""


@dataclass
class ImportResult:
    """What was imported, or the problems (``stopped_at``: the line checking stopped at,
    when the file had too many problems to check to its end)."""

    errors: list[CsvError] = field(default_factory=list)
    agencies: list[AgencyImport] = field(default_factory=list)
    stopped_at: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def answers(self) -> int:
        return sum(a.answers for a in self.agencies)


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _existing(submission: Submission | None) -> str:
    """What an import would replace in this submission, in words ("" for nothing)."""
    if submission is None:
        return ""
    if submission.submitted_at is not None:
        return _("submitted answers (submitted by %(who)s on %(date)s)") % {
            "who": person(submission.submitted_by), "date": format_date(submission.submitted_at)}
    if submission.answered:
        return _("a draft with %(n)s answers") % {"n": submission.answered}
    return ""


def round_import_answers(*, round: Round, data: bytes | str, user,
                         replace_submitted: bool = False,
                         allow_closed_round: bool = False) -> ImportResult:
    """Check the file against the round and, if all is well, import it (see the module).

    Returns the problems (nothing written) or what was imported. A closed round
    raises :class:`services.NotEditable`. ``allow_closed_round`` is for loading
    past rounds (the demo data); the upload page and the command never pass it.
    """
    with transaction.atomic():
        # Lock the round: a close made meanwhile waits, or is seen here.
        round = Round.objects.select_for_update().select_related("partnership").get(pk=round.pk)
        result = _import(round=round, data=data, user=user, replace_submitted=replace_submitted,
                         allow_closed_round=allow_closed_round)
        if result.ok:
            round_snapshot_refresh(round=round)
        if result.ok and round.status == Round.Status.OPEN:
            # As a submit does: the leads hear when the round first has results.
            notifications.notify_results_ready(round=round)
        return result


def _import(*, round: Round, data: bytes | str, user, replace_submitted: bool,
            allow_closed_round: bool) -> ImportResult:
    if not allow_closed_round:
        reason = round_closed_reason(round)
        if reason:
            raise NotEditable(_("Nothing was imported: %(reason)s") % {"reason": reason})
    items = items_by_code(framework_id=round.framework_id)
    parsed = parse_answers_csv(data, item_codes=list(items))
    if not parsed.ok:
        return ImportResult(errors=parsed.errors, stopped_at=parsed.stopped_at)
    rows = parsed.rows.assign(line=parsed.lines, key=parsed.rows["agency"].map(_key))

    members = {_key(m.agency.name): m.agency for m in
               round.partnership.memberships.select_related("agency").order_by("agency__name")}
    # Lock the round's submissions so no lead's save slips in between this check and
    # the write (their saves lock the same rows).
    list(Submission.objects.select_for_update().filter(round=round).values_list("pk"))
    submissions = {s.agency_id: s for s in Submission.objects.filter(round=round)
                   .select_related("submitted_by").annotate(answered=Count("answers"))}
    errors: list[CsvError] = []
    agencies = []
    stopped_at = None
    for _name_key, group in rows.groupby("key", sort=False):
        name = group["agency"].iloc[0]
        first = int(group["line"].iloc[0])
        if len(errors) >= STOP_AFTER:  # a hopeless file: say so rather than check it all
            stopped_at = first
            break
        agency = members.get(_key(name))
        if agency is None:
            names = ", ".join(a.name for a in members.values())
            more = len(group) - 1
            errors.append(CsvError(first, _(
                "agency “%(name)s” is not a member of %(partnership)s (its members are "
                "%(members)s)%(more)s; add it to the partnership first, or correct the name")
                % {"name": name, "partnership": round.partnership, "members": names,
                   "more": _(" (and %(n)s more rows)") % {"n": more} if more else ""}))
            continue
        wrong = group[(group["service"] != "") & (group["service"] != agency.service)]
        if len(wrong):
            errors.append(CsvError(int(wrong["line"].iloc[0]), _(
                "agency “%(name)s” is registered as %(service)s, not “%(given)s”") % {
                "name": agency.name, "service": agency.service,
                "given": wrong["service"].iloc[0]}))
        twice = group[group["item"].duplicated()]
        for row in twice.itertuples(index=False):
            earlier = int(group[group["item"] == row.item]["line"].iloc[0])
            errors.append(CsvError(int(row.line), _(
                "agency “%(name)s” answers item “%(item)s” twice (lines %(a)s and %(b)s)") % {
                "name": agency.name, "item": row.item, "a": earlier, "b": int(row.line)}))
        missing = [code for code in items if code not in set(group["item"])]
        if missing:
            errors.append(CsvError(first, _(
                "agency “%(name)s” answers %(n)s of the %(total)s items; missing: %(codes)s "
                "(add a row for each; leave the value blank for “Don't know”)") % {
                "name": agency.name, "n": len(items) - len(missing), "total": len(items),
                "codes": ", ".join(missing)}))
        existing = _existing(submissions.get(agency.pk))
        if existing and not replace_submitted:
            errors.append(CsvError(first, _(
                "agency “%(name)s” already has %(existing)s in this round; tick “Replace "
                "answers these agencies have already given” (or pass --replace-submitted) to "
                "replace them") % {"name": agency.name, "existing": existing}))
        agencies.append((agency, group, existing))
    if errors:
        return ImportResult(errors=sorted(errors, key=lambda e: e.line), stopped_at=stopped_at)

    done = [_import_agency(round=round, agency=agency, rows=group, items=items, user=user)
            for agency, group, _existing_text in agencies]
    return ImportResult(agencies=[
        AgencyImport(agency=agency.name, answers=count, replaced=existing)
        for (agency, _group, existing), count in zip(agencies, done, strict=True)])


def _import_agency(*, round: Round, agency, rows: pd.DataFrame, items: dict, user) -> int:
    submission, _created = Submission.objects.get_or_create(round=round, agency=agency)
    submission = Submission.objects.select_for_update(of=("self",)).get(pk=submission.pk)
    stored = {a.item_id: a for a in submission.answers.all()}
    keep = set()
    for row in rows.itertuples(index=False):
        item = items[row.item]
        keep.add(item.pk)
        value = None if pd.isna(row.value) else int(row.value)
        answer = stored.get(item.pk) or Answer(submission=submission, item=item)
        if answer.pk and (answer.value, answer.comment) == (value, row.comment):
            continue
        answer.value, answer.comment, answer.updated_by = value, row.comment, user
        answer._history_user = user
        answer._change_reason = IMPORT_REASON
        answer.save()
    for item_id, answer in stored.items():
        if item_id not in keep:
            answer._history_user = user
            answer._change_reason = IMPORT_REASON
            answer.delete()
    freeze_answers(submission, submission.answers.all())
    submission.status = Submission.Status.SUBMITTED
    submission.submitted_at = timezone.now()
    submission.submitted_by = user
    submission.revision += 1
    submission._history_user = user
    submission._change_reason = IMPORT_REASON
    submission.save()
    return len(rows)
