"""Reads for the progress overview of a round (for its partnership's leads and administrators)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, QuerySet

from assessments.access import enough_submitted, rounds_visible_to
from assessments.models import Agency, Membership, Round, Submission
from bluelight.roles import is_administrator


def progress_rounds_for(user) -> QuerySet[Round]:
    """The rounds whose progress ``user`` may see: administrators every round, a lead the
    rounds of the partnerships they lead an agency in (researchers: none)."""
    rounds = rounds_visible_to(user)
    if is_administrator(user):
        return rounds
    return rounds.filter(is_partner=True)


@dataclass(frozen=True)
class AgencyProgress:
    agency: Agency
    leads: list[str]
    submission: Submission | None
    answered: int
    total: int
    last_saved: datetime | None

    @property
    def status(self) -> str:
        """``not_started``, ``draft``, ``reopened`` or ``submitted``."""
        return self.submission.status if self.submission is not None else "not_started"

    @property
    def submitted(self) -> bool:
        return self.status == Submission.Status.SUBMITTED


@dataclass(frozen=True)
class RoundProgress:
    round: Round
    rows: list[AgencyProgress]
    total: int

    @property
    def submitted(self) -> int:
        return sum(row.submitted for row in self.rows)

    @property
    def counted(self) -> int:
        """Agencies whose answers count in the results (submitted at least once)."""
        return sum(row.submission is not None and row.submission.has_results
                   for row in self.rows)

    @property
    def min_agencies(self) -> int:
        return self.round.framework.min_agencies

    @property
    def has_results(self) -> bool:
        return enough_submitted(self.counted, self.min_agencies)


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


def round_progress(*, round: Round) -> RoundProgress:
    """Every agency of the round's partnership and how far it is, in four queries
    (whatever the number of agencies and leads); ``round`` comes with its framework."""
    total = round.framework.items.count()
    memberships = (Membership.objects.filter(partnership_id=round.partnership_id)
                   .select_related("agency").prefetch_related("leads")
                   .order_by("agency__name"))
    submissions = {
        s.agency_id: s for s in
        Submission.objects.filter(round=round).select_related("submitted_by")
        .annotate(answered=Count("answers"), last_saved=Max("answers__updated_at"))}
    rows = []
    for membership in memberships:
        submission = submissions.get(membership.agency_id)
        leads = sorted((lead for lead in membership.leads.all() if lead.is_active),
                       key=lambda u: _person(u).lower())
        rows.append(AgencyProgress(
            agency=membership.agency, leads=[_person(lead) for lead in leads],
            submission=submission, answered=submission.answered if submission else 0,
            total=total, last_saved=submission.last_saved if submission else None))
    return RoundProgress(round=round, rows=rows, total=total)
