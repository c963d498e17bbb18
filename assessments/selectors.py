"""Reads shared by several views: always through what the user may see."""

import pandas as pd
from django.db.models import QuerySet

from .models import Membership, Submission, SubmittedAnswer


def memberships_for_lead(*, user) -> QuerySet[Membership]:
    """The agency places a user leads for, with their partnership and agency."""
    return (Membership.objects.filter(leads=user)
            .select_related("partnership", "agency")
            .order_by("partnership__name", "agency__name"))


ANSWER_COLUMNS = ["agency", "service", "item", "value", "comment"]


def round_submitted_answers(*, round) -> pd.DataFrame:
    """A round's submitted answers in the interchange shape, in one query.

    Columns ``agency, service, item, value, comment``; ``value`` is a float with
    NaN for "Don't know". Only submitted answers: drafts never reach results.
    Rows are ordered by agency name, then by the item's order in the framework.
    """
    rows = (SubmittedAnswer.objects.filter(submission__round=round)
            .order_by("submission__agency__name", "item__order", "item_id")
            .values_list("submission__agency__name", "submission__agency__service",
                         "item__code", "value", "comment"))
    frame = pd.DataFrame.from_records(list(rows), columns=ANSWER_COLUMNS)
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype(float)
    return frame


def round_submitted_agencies(*, round) -> list[str]:
    """Names of the agencies whose submission counts in the round's results."""
    return list(Submission.objects.filter(round=round, submitted_at__isnull=False)
                .order_by("agency__name").values_list("agency__name", flat=True))
