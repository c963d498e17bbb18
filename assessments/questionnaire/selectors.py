"""Reads shared by several views: always through what the user may see."""

import pandas as pd
from django.db.models import QuerySet

from assessments.interchange.csv import COLUMNS
from assessments.models import Membership, Submission, SubmittedAnswer


def memberships_for_lead(*, user) -> QuerySet[Membership]:
    """The agency places a user leads for, with their partnership and agency."""
    return (Membership.objects.filter(leads=user)
            .select_related("partnership", "agency")
            .order_by("partnership__name", "agency__name"))


def round_submitted_answers(*, round) -> pd.DataFrame:
    """A round's submitted answers in the interchange shape, in one query.

    Columns ``agency, service, item, value, comment``; ``value`` is a float with
    NaN for "Don't know". Only submitted answers: drafts never reach results.
    Rows are ordered by agency name, then by the item's order in the framework.
    """
    rows = (SubmittedAnswer.objects.filter(submission__round=round,
                                           submission__submitted_at__isnull=False)
            .order_by("submission__agency__name", "item__order", "item_id")
            .values_list("submission__agency__name", "submission__agency__service",
                         "item__code", "value", "comment"))
    frame = pd.DataFrame.from_records(list(rows), columns=list(COLUMNS))
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype(float)
    return frame


def round_submitted_agencies(*, round) -> list[str]:
    """Names of the agencies whose submission counts in the round's results."""
    return list(Submission.objects.filter(round=round, submitted_at__isnull=False)
                .order_by("agency__name").values_list("agency__name", flat=True))


# ----------------------------------------------------------------------------
# Partnership leads: their rounds and their agency's questionnaire.
# (Imports for this section are here so the section can be read on its own.)

from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from functools import cached_property  # noqa: E402

from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.translation import gettext_lazy as _  # noqa: E402

from assessments.frameworks import framework_definitions  # noqa: E402
from assessments.models import Answer, Round  # noqa: E402
from survey.models import Item  # noqa: E402

SECTIONS = (
    # (slug in the URL, kind of item, heading)
    ("enablers", Item.Kind.ENABLER, _("Enablers")),
    ("barriers", Item.Kind.BARRIER, _("Barriers")),
    ("options", Item.Kind.OPTION, _("Collaboration options")),
)
SECTION_SLUGS = tuple(slug for slug, _kind, _title in SECTIONS)


def items_by_code(*, framework=None, framework_id: int | None = None) -> dict[str, Item]:
    """A framework's items by code, in the framework's order.

    Given the ``framework`` itself, a published version's items come from the cache
    (:func:`assessments.frameworks.framework_definitions`); given only its id, one query.
    """
    if framework is not None:
        items, _scales = framework_definitions(framework=framework)
    else:
        items = Item.objects.filter(framework_id=framework_id).order_by("order", "id")
    return {item.code: item for item in items}


@dataclass(frozen=True)
class LeadRound:
    """One round of one agency a user leads for, as the lead's home lists it."""

    membership: Membership
    round: Round
    submission: Submission | None
    answered: int
    total: int

    @property
    def state(self) -> str:
        """``not_started``, ``draft``, ``reopened``, ``submitted``, ``not_open`` or ``closed``."""
        from .services import round_closed_reason

        submitted = self.submission is not None and not self.submission.is_editable
        if submitted:
            return "submitted"
        if round_closed_reason(self.round):
            return "not_open" if self.round.opens_on > timezone.localdate() else "closed"
        if self.submission is None:
            return "not_started"
        return self.submission.status

    @property
    def editable(self) -> bool:
        return self.state in ("not_started", "draft", "reopened")

    @property
    def submitted_by(self) -> str:
        """Who submitted, as pages name people ("" when not submitted)."""
        from .services import person

        if self.submission is None or self.submission.submitted_at is None:
            return ""
        return person(self.submission.submitted_by)

    @property
    def closed(self) -> bool:
        """The round takes no more answers (closed, or past its closing date)."""
        from .services import round_closed_reason

        return bool(round_closed_reason(self.round)) and self.round.opens_on <= timezone.localdate()


def lead_rounds(*, user, memberships: list[Membership] | None = None) -> list[LeadRound]:
    """Every round of every agency the user leads for, newest first, in three queries.

    ``memberships``: the user's memberships if already read (saves a query).
    """
    if memberships is None:
        memberships = list(memberships_for_lead(user=user))
    if not memberships:
        return []
    rounds = list(Round.objects.filter(partnership_id__in={m.partnership_id for m in memberships})
                  .select_related("partnership")
                  .annotate(total=Count("framework__items"))
                  .order_by("-opens_on", "-id"))
    submissions = {
        (s.round_id, s.agency_id): s
        for s in Submission.objects.filter(round__in=[r.pk for r in rounds],
                                           agency__in=[m.agency_id for m in memberships])
        .select_related("submitted_by").annotate(answered=Count("answers"))
    }
    rows = []
    for round in rounds:
        for membership in memberships:
            if membership.partnership_id != round.partnership_id:
                continue
            submission = submissions.get((round.pk, membership.agency_id))
            rows.append(LeadRound(membership=membership, round=round, submission=submission,
                                  answered=submission.answered if submission else 0,
                                  total=round.total))
    return rows


def agency_submission(*, round, agency) -> Submission | None:
    """The agency's submission in the round, if it has started one.

    The same query reads the agency's last submission of an earlier round
    (:func:`previous_submission`), kept on ``round`` for the page to offer.
    """
    from django.db.models import Q

    rows = list(Submission.objects.filter(agency=agency,
                                          round__partnership_id=round.partnership_id)
                .filter(Q(round=round) | (_earlier(round) & Q(submitted_at__isnull=False)))
                .select_related("submitted_by", "round")
                .order_by("-round__opens_on", "-round_id")[:2])
    current = rows[0] if rows and rows[0].round_id == round.pk else None
    if current is not None:
        current.round = round
    earlier = [row for row in rows if row.round_id != round.pk]
    round._previous_submission = {agency.pk: earlier[0] if earlier else None}
    return current


@dataclass
class QuestionnaireSection:
    slug: str
    kind: str
    title: str
    number: int
    items: list
    # The questionnaire's stored answers (item id -> Answer), read on first use.
    _answers: Callable[[], dict] = field(default=dict, repr=False, compare=False)

    @property
    def answered(self) -> int:
        answers = self._answers()
        return sum(1 for item in self.items if item.pk in answers)

    @property
    def total(self) -> int:
        return len(self.items)


@dataclass
class Questionnaire:
    """A round's items by section, their scales, and an agency's stored answers.

    ``answers`` (item id -> Answer) is read on first use: a save that succeeds
    redirects without it (the save reads the answers itself, under its lock).
    """

    sections: list[QuestionnaireSection]
    scales: dict
    _load_answers: Callable[[], dict] = field(default=dict, repr=False, compare=False)

    @cached_property
    def answers(self) -> dict:
        return self._load_answers()

    @property
    def answered(self) -> int:
        return sum(section.answered for section in self.sections)

    @property
    def total(self) -> int:
        return sum(section.total for section in self.sections)

    def section(self, slug: str) -> QuestionnaireSection:
        return next(s for s in self.sections if s.slug == slug)

    def unanswered(self) -> list:
        return [item for s in self.sections for item in s.items if item.pk not in self.answers]


def questionnaire(*, round, submission: Submission | None) -> Questionnaire:
    """Everything a questionnaire page shows, whatever the number of items: the items
    and scales (from the cache for a published version, else two queries), and the
    stored answers (one query, made only when they are read)."""
    items, scales = framework_definitions(framework=round.framework)

    def load_answers() -> dict:
        if submission is None:
            return {}
        return {a.item_id: a for a in Answer.objects.filter(submission=submission)
                .select_related("updated_by")}

    q = Questionnaire(sections=[], scales=scales, _load_answers=load_answers)
    for number, (slug, kind, title) in enumerate(SECTIONS, start=1):
        q.sections.append(QuestionnaireSection(
            slug=slug, kind=kind, title=title, number=number,
            items=[item for item in items if item.kind == kind],
            _answers=lambda: q.answers))
    return q


def submission_reopen_note(*, submission: Submission | None):
    """The history record of the reopening, while a submission is reopened (else None).

    ``history_user`` is who reopened it, ``history_date`` when, and
    ``history_change_reason`` the reason they gave.
    """
    if submission is None or submission.status != Submission.Status.REOPENED:
        return None
    # The lead's draft saves after the reopening are REOPENED records too, with no
    # reason: the note is the first REOPENED record since the last other state.
    history = submission.history.order_by("-history_date", "-history_id")
    before = history.exclude(status=Submission.Status.REOPENED).first()
    reopened = history.filter(status=Submission.Status.REOPENED)
    if before is not None:
        reopened = reopened.filter(history_date__gte=before.history_date)
    return reopened.select_related("history_user").order_by("history_date", "history_id").first()


def _earlier(round):
    """Submissions of rounds before ``round`` (by opening date, then id)."""
    from django.db.models import Q

    return (Q(round__opens_on__lt=round.opens_on)
            | Q(round__opens_on=round.opens_on, round_id__lt=round.pk))


def previous_submission(*, round, agency) -> Submission | None:
    """The agency's submission in its last earlier round of the same partnership that
    it submitted (its submitted answers are there to start from), or None.

    No query when :func:`agency_submission` has read it already for this round.
    """
    known = getattr(round, "_previous_submission", {})
    if agency.pk in known:
        return known[agency.pk]
    return (Submission.objects.filter(_earlier(round), agency=agency,
                                      round__partnership_id=round.partnership_id,
                                      submitted_at__isnull=False)
            .select_related("round").order_by("-round__opens_on", "-round_id").first())
