"""Deleting a partnership's data, on an administrator's typed confirmation, recorded.

``partnership_deletion_counts(partnership=)`` says what would go (shown before asking);
``partnership_delete(partnership=, confirm_name=, user=)`` deletes it, all or nothing:
its rounds, submissions, working and submitted answers, memberships (and their leads'
links) and invitations, the partnership, and every agency that belongs to no other
partnership. The change history kept of those rows goes too (otherwise the data would
live on in it). What remains is a :class:`DeletionRecord`: who, when, which
partnership, and how many rows of each kind. People's accounts are kept.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from assessments.models import (
    Agency,
    Answer,
    DeletionRecord,
    Invitation,
    Membership,
    Partnership,
    Round,
    Submission,
    SubmittedAnswer,
)


class DeletionRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _querysets(partnership: Partnership) -> dict:
    others = Membership.objects.exclude(partnership=partnership)
    return {
        "rounds": Round.objects.filter(partnership=partnership),
        "submissions": Submission.objects.filter(round__partnership=partnership),
        "answers": Answer.objects.filter(submission__round__partnership=partnership),
        "submitted_answers": SubmittedAnswer.objects.filter(
            submission__round__partnership=partnership),
        "memberships": Membership.objects.filter(partnership=partnership),
        "invitations": Invitation.objects.filter(membership__partnership=partnership),
        # agencies of this partnership only (no other membership, no other round's answers)
        "agencies": Agency.objects.filter(memberships__partnership=partnership)
        .exclude(Q(pk__in=others.values("agency"))
                 | Q(pk__in=Submission.objects.exclude(round__partnership=partnership)
                     .values("agency"))).distinct(),
    }


def partnership_deletion_counts(*, partnership: Partnership) -> dict[str, int]:
    """How many rows of each kind deleting the partnership would remove."""
    return {"partnerships": 1} | {name: qs.count()
                                   for name, qs in _querysets(partnership).items()}


@transaction.atomic
def partnership_delete(*, partnership: Partnership, confirm_name: str,
                       user) -> DeletionRecord:
    """Delete the partnership's data if ``confirm_name`` is its name, exactly; record it."""
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if (confirm_name or "").strip() != partnership.name:
        raise DeletionRefused(_("Nothing was deleted: type the partnership's name, %(name)s, "
                                "exactly as shown to confirm.") % {"name": partnership.name})
    querysets = _querysets(partnership)
    counts = {"partnerships": 1} | {name: qs.count() for name, qs in querysets.items()}
    ids = {name: list(qs.values_list("pk", flat=True)) for name, qs in querysets.items()}
    partnership_id = partnership.pk

    SubmittedAnswer.objects.filter(pk__in=ids["submitted_answers"]).delete()
    Answer.objects.filter(pk__in=ids["answers"]).delete()
    Submission.objects.filter(pk__in=ids["submissions"]).delete()
    Round.objects.filter(pk__in=ids["rounds"]).delete()
    Invitation.objects.filter(pk__in=ids["invitations"]).delete()
    Membership.objects.filter(pk__in=ids["memberships"]).delete()
    partnership.delete()
    Agency.objects.filter(pk__in=ids["agencies"]).delete()

    history = 0
    for model, pks in [(Answer, ids["answers"]), (Submission, ids["submissions"]),
                       (Round, ids["rounds"]), (Membership, ids["memberships"]),
                       (Agency, ids["agencies"]), (Partnership, [partnership_id])]:
        history += model.history.filter(id__in=pks).delete()[0]
    counts["history"] = history
    return DeletionRecord.objects.create(
        partnership_name=partnership.name, deleted_by=user,
        deleted_by_username=user.get_username() if user else "", counts=counts)
