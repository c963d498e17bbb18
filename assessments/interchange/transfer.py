"""A whole round as one JSON document: export it, import it elsewhere, nothing lost.

``round_export(round=)`` builds the document; ``round_import(document=)`` creates the
round from it (``manage.py export_round ID`` / ``import_round FILE``). The document::

    {"format": "bluelight-round", "format_version": 1,
     "partnership": {"name", "kind", "description"},
     "agencies": [{"name", "service", "nation", "area"}, ...],   # the members
     "round": {"title", "opens_on", "closes_on", "status", "closed_at"},
     "framework": {"code", "version"},
     "submissions": [{"agency", "status", "revision", "submitted_at", "submitted_by",
                      "answers": [{"item", "value", "comment"}],            # working copy
                      "submitted_answers": [{"item", "value", "comment"}]}]}  # frozen copy

Importing is all or nothing. It creates the partnership and its agencies when missing
(existing ones are matched by name and kept as they are), and refuses a document whose
framework version is not in this database or whose round title already exists in the
partnership. People are not transferred: ``submitted_by`` is kept as a username and
linked only when a user of that name exists here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.models import (
    COMMENT_MAX,
    Agency,
    Answer,
    Membership,
    Partnership,
    Round,
    Submission,
    SubmittedAnswer,
)
from survey.models import Framework, Item

FORMAT = "bluelight-round"
FORMAT_VERSION = 1


class TransferError(Exception):
    """The document was refused; nothing was written."""


@dataclass(frozen=True)
class ImportedRound:
    round: Round
    partnership_created: bool
    agencies_created: list[str]
    submissions: int
    answers: int


def _answers(rows) -> list[dict]:
    return [{"item": code, "value": value, "comment": comment}
            for code, value, comment in rows]


def round_export(*, round: Round) -> dict:
    """The round, its partnership, members, framework version and every answer."""
    partnership = round.partnership
    members = (Agency.objects.filter(memberships__partnership=partnership)
               .order_by("name").values("name", "service", "nation", "area"))
    submissions = []
    for submission in (round.submissions.select_related("agency", "submitted_by")
                       .order_by("agency__name")):
        submissions.append({
            "agency": submission.agency.name,
            "status": submission.status,
            "revision": submission.revision,
            "submitted_at": (submission.submitted_at.isoformat()
                             if submission.submitted_at else None),
            "submitted_by": (submission.submitted_by.get_username()
                             if submission.submitted_by else None),
            "answers": _answers(submission.answers.order_by("item__order", "item__code")
                                .values_list("item__code", "value", "comment")),
            "submitted_answers": _answers(
                submission.submitted_answers.order_by("item__order", "item__code")
                .values_list("item__code", "value", "comment")),
        })
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "partnership": {"name": partnership.name, "kind": partnership.kind,
                        "description": partnership.description},
        "agencies": list(members),
        "round": {"title": round.title, "opens_on": round.opens_on.isoformat(),
                  "closes_on": round.closes_on.isoformat() if round.closes_on else None,
                  "status": round.status,
                  "closed_at": round.closed_at.isoformat() if round.closed_at else None},
        "framework": {"code": round.framework.code, "version": round.framework.version},
        "submissions": submissions,
    }


def _get(mapping, key: str, where: str):
    if not isinstance(mapping, dict) or key not in mapping:
        raise TransferError(_("The document has no %(key)s in %(where)s.") % {
            "key": key, "where": where})
    return mapping[key]


def _date(value, what: str, *, kind=dt.date):
    if value is None:
        return None
    try:
        return kind.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise TransferError(_("%(what)s is not a date: %(value)r.") % {
            "what": what, "value": value}) from exc


def _answer_rows(model, submission, rows, items, where: str) -> list:
    if not isinstance(rows, list):
        raise TransferError(_("%(where)s: answers must be a list.") % {"where": where})
    seen, made = set(), []
    for row in rows:
        code = _get(row, "item", where)
        value, comment = row.get("value"), row.get("comment") or ""
        if code not in items:
            raise TransferError(_("%(where)s: %(code)r is not an item of the framework.")
                                % {"where": where, "code": code})
        if code in seen:
            raise TransferError(_("%(where)s: item %(code)s is answered twice.")
                                % {"where": where, "code": code})
        seen.add(code)
        if value is not None and (isinstance(value, bool) or value not in (1, 2, 3, 4, 5)):
            raise TransferError(_("%(where)s, %(code)s: %(value)r is not an answer from 1 "
                                  "to 5 (or null for Don't know).") % {
                "where": where, "code": code, "value": value})
        if not isinstance(comment, str) or len(comment) > COMMENT_MAX:
            raise TransferError(_("%(where)s, %(code)s: the comment is not text of at most "
                                  "%(max)s characters.") % {
                "where": where, "code": code, "max": COMMENT_MAX})
        made.append(model(submission=submission, item=items[code],
                          value=None if value is None else int(value), comment=comment))
    return made


@transaction.atomic
def round_import(*, document: dict) -> ImportedRound:
    """Create a round (and, when missing, its partnership and agencies) from a document."""
    try:
        return _round_import(document)
    except ValidationError as exc:
        raise TransferError(_("The document was refused, nothing was imported: %(why)s")
                            % {"why": "; ".join(exc.messages)}) from exc


def _round_import(document) -> ImportedRound:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise TransferError(_("This is not a bluelight round document."))
    if document.get("format_version") != FORMAT_VERSION:
        raise TransferError(_("Unsupported document version %(v)r (expected %(e)s).") % {
            "v": document.get("format_version"), "e": FORMAT_VERSION})
    fw = _get(document, "framework", "the document")
    framework = Framework.objects.filter(code=_get(fw, "code", "framework"),
                                         version=_get(fw, "version", "framework")).first()
    if framework is None:
        raise TransferError(_("Framework %(code)s version %(version)s is not in this "
                              "database: load it first; nothing was imported.") % {
            "code": fw["code"], "version": fw["version"]})
    p = _get(document, "partnership", "the document")
    partnership, partnership_created = Partnership.objects.get_or_create(
        name=_get(p, "name", "partnership"),
        defaults={"kind": p.get("kind", ""), "description": p.get("description", "")})
    if partnership_created:
        partnership.full_clean()
    r = _get(document, "round", "the document")
    title = _get(r, "title", "round")
    if Round.objects.filter(partnership=partnership, title=title).exists():
        raise TransferError(_("Partnership %(p)s already has a round titled %(t)s: nothing "
                              "was imported.") % {"p": partnership.name, "t": title})
    created_agencies, agencies = [], {}
    for a in _get(document, "agencies", "the document"):
        name = _get(a, "name", "agencies")
        agency, created = Agency.objects.get_or_create(name=name, defaults={
            "service": _get(a, "service", name), "nation": a.get("nation", ""),
            "area": a.get("area", "")})
        if created:
            agency.full_clean()
            created_agencies.append(name)
        Membership.objects.get_or_create(partnership=partnership, agency=agency)
        agencies[name] = agency
    status = r.get("status", Round.Status.OPEN)
    if status not in Round.Status.values:
        raise TransferError(_("Unknown round status %(s)r.") % {"s": status})
    round = Round(partnership=partnership, framework=framework, title=title,
                  opens_on=_date(_get(r, "opens_on", "round"), "opens_on"),
                  closes_on=_date(r.get("closes_on"), "closes_on"), status=status,
                  closed_at=_date(r.get("closed_at"), "closed_at", kind=dt.datetime))
    round.full_clean()
    round.save()

    items = {item.code: item for item in Item.objects.filter(framework=framework)}
    users = get_user_model().objects
    answers, submitted = [], []
    submissions = _get(document, "submissions", "the document")
    for s in submissions:
        name = _get(s, "agency", "submissions")
        if name not in agencies:
            raise TransferError(_("Submission of %(a)s, which is not among the document's "
                                  "agencies.") % {"a": name})
        if s.get("status") not in Submission.Status.values:
            raise TransferError(_("%(a)s: unknown submission status %(s)r.") % {
                "a": name, "s": s.get("status")})
        by = s.get("submitted_by")
        submission = Submission.objects.create(
            round=round, agency=agencies[name], status=s["status"],
            revision=int(s.get("revision") or 0),
            submitted_at=_date(s.get("submitted_at"), "submitted_at", kind=dt.datetime),
            submitted_by=users.filter(username=by).first() if by else None)
        answers += _answer_rows(Answer, submission, s.get("answers", []), items, name)
        submitted += _answer_rows(SubmittedAnswer, submission,
                                  s.get("submitted_answers", []), items, name)
    Answer.objects.bulk_create(answers)
    SubmittedAnswer.objects.bulk_create(submitted)
    return ImportedRound(round=round, partnership_created=partnership_created,
                         agencies_created=created_agencies, submissions=len(submissions),
                         answers=len(answers) + len(submitted))
