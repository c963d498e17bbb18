"""The admin home's panel of open rounds and outstanding submissions.

A template tag, so the admin site (``bluelight.admin``) needs no import of this
app: ``templates/admin/index.html`` loads it.
"""

from dataclasses import dataclass

from django import template
from django.db.models import Prefetch
from django.utils import timezone

from assessments.models import Membership, Round, Submission

register = template.Library()


@dataclass
class OpenRound:
    round: Round
    agencies: list[str]
    submitted: list[str]
    outstanding: list[str]
    overdue: bool


def open_rounds_overview() -> list[OpenRound]:
    """Rounds not yet closed, soonest closing first, with who has and has not submitted
    (a reopened submission is outstanding until it is submitted again)."""
    rounds = (Round.objects.filter(status=Round.Status.OPEN)
              .select_related("partnership", "framework")
              .prefetch_related(
                  Prefetch("partnership__memberships",
                           queryset=Membership.objects.select_related("agency")
                           .order_by("agency__name")),
                  Prefetch("submissions", queryset=Submission.objects.filter(
                      status=Submission.Status.SUBMITTED).only("round_id", "agency_id"))))
    today = timezone.localdate()
    overview = []
    for round in rounds:
        submitted_ids = {s.agency_id for s in round.submissions.all()}
        members = [m.agency for m in round.partnership.memberships.all()]
        overview.append(OpenRound(
            round=round, agencies=[a.name for a in members],
            submitted=[a.name for a in members if a.pk in submitted_ids],
            outstanding=[a.name for a in members if a.pk not in submitted_ids],
            overdue=round.closes_on is not None and round.closes_on < today))
    overview.sort(key=lambda r: (r.round.closes_on is None, r.round.closes_on or today,
                                 r.round.partnership.name, r.round.title))
    return overview


@register.inclusion_tag("admin/includes/open_rounds.html")
def open_rounds_panel():
    return {"open_rounds": open_rounds_overview()}
