"""Who may see which round, which assessment and which answers: the one place that says so.

Views ask here and never decide for themselves:

* :func:`rounds_visible_to`: the rounds whose results and answer download a
  user may open. Researchers and administrators: every round. A partnership
  lead: the rounds of the partnerships they lead an agency in (any other round
  is a 404, as if it did not exist). Anyone else: none.
* :func:`assessment_for`: the one agency assessment a lead may answer (the
  questionnaire): only the leads of that agency, in a round of its partnership.
* A round **has results** once at least its framework's ``min_agencies``
  agencies have submitted (:func:`enough_submitted`, the rule;
  :func:`with_results` for a queryset, :func:`round_has_results` for one
  round). The dashboard, its downloads, the results list, the trend and the
  research pages all use this rule.
* :func:`may_see_comments`: the agencies' comments (their candid evidence) are
  for the leads of the round's partnership and for administrators (who also
  see and reopen submissions in the admin). Researchers never read them: not
  on the dashboard, nor in the JSON, the workbook or the answers CSV.
* :func:`answers_visible_to`: whose submitted answers a user may read. Before
  a round has results, a lead reads only their own agency's answers, in every
  page and file; once it has results, every submitted answer of the round.

The model permissions of each role are kept in step here too
(:func:`sync_role_permissions`). The groups themselves are created by migration
``0002_roles``. Leads reach answers through their memberships (object-level,
here), not through model permissions, so they hold none.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group, Permission
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from bluelight.roles import (
    ADMINISTRATOR,
    LEAD,
    RESEARCHER,
    can_research,
    is_administrator,
    is_lead,
)

from .models import Agency, Membership, Round, Submission

# --------------------------------------------------------------------------- results


def enough_submitted(n_submitted: int, min_agencies: int) -> bool:
    """The rule: a round has results once ``min_agencies`` agencies have submitted."""
    return n_submitted >= min_agencies


def with_results(rounds: QuerySet[Round]) -> QuerySet[Round]:
    """``rounds`` annotated with ``n_submitted`` (agencies whose submission counts) and
    ``has_results`` (:func:`enough_submitted`, in the database), in the same query."""
    submitted = (Submission.objects.filter(round=OuterRef("pk"), submitted_at__isnull=False)
                 .order_by().values("round").annotate(c=Count("pk")).values("c"))
    return (rounds
            .annotate(n_submitted=Coalesce(Subquery(submitted, output_field=IntegerField()),
                                           Value(0)))
            .annotate(has_results=ExpressionWrapper(
                Q(n_submitted__gte=F("framework__min_agencies")),
                output_field=BooleanField())))


def round_has_results(round: Round) -> bool:
    """Whether enough of the round's agencies have submitted (read from a
    :func:`with_results` annotation when there is one, else one query)."""
    annotated = getattr(round, "has_results", None)
    if annotated is not None:
        return bool(annotated)
    n = Submission.objects.filter(round=round, submitted_at__isnull=False).count()
    return enough_submitted(n, round.framework.min_agencies)


# --------------------------------------------------------------------------- rounds


def rounds_visible_to(user) -> QuerySet[Round]:
    """The rounds whose results and answers ``user`` may open (see the module).

    Each round comes with its partnership and framework, and ``is_partner``:
    whether the user leads an agency of the round's partnership.
    """
    rounds = Round.objects.select_related("partnership", "framework")
    if not user.is_authenticated:
        return rounds.none()
    rounds = rounds.annotate(is_partner=Exists(Membership.objects.filter(
        partnership=OuterRef("partnership"), leads=user)))
    if can_research(user):
        return rounds
    if is_lead(user):
        return rounds.filter(is_partner=True)
    return rounds.none()


def _is_partner(user, round: Round) -> bool:
    """The user is a lead of one of the agencies of the round's partnership."""
    if not is_lead(user):
        return False
    annotated = getattr(round, "is_partner", None)
    if annotated is not None:
        return bool(annotated)
    return Membership.objects.filter(partnership_id=round.partnership_id, leads=user).exists()


def may_see_comments(user, round: Round) -> bool:
    """The agencies' comments: administrators and the leads of the round's partnership,
    never researchers (unless they also lead in that partnership)."""
    return is_administrator(user) or _is_partner(user, round)


@dataclass(frozen=True)
class VisibleAnswers:
    """Whose submitted answers of one round a user may read, and whether with comments."""

    agencies: frozenset[int] | None  # agency ids; None: every agency that submitted
    comments: bool

    @property
    def own_only(self) -> bool:
        """Only the user's own agencies (a lead, before the round has results)."""
        return self.agencies is not None


def answers_visible_to(user, round: Round) -> VisibleAnswers | None:
    """Whose answers of ``round`` the user may read (None: none at all).

    Administrators: everyone's, with comments. Leads of the partnership: once
    the round has results, everyone's with comments; before, only their own
    agencies' (with their own comments). Researchers: everyone's, never the
    comments.
    """
    if is_administrator(user):
        return VisibleAnswers(agencies=None, comments=True)
    partner = _is_partner(user, round)
    if partner and round_has_results(round):
        return VisibleAnswers(agencies=None, comments=True)
    if can_research(user):
        return VisibleAnswers(agencies=None, comments=False)
    if partner:
        own = Membership.objects.filter(partnership_id=round.partnership_id, leads=user)
        return VisibleAnswers(agencies=frozenset(own.values_list("agency_id", flat=True)),
                              comments=True)
    return None


# --------------------------------------------------------------------------- assessments


def assessment_for(*, user, round_id: int, agency_id: int) -> tuple[Membership, Round] | None:
    """The user's place as a lead of the agency in the round's partnership, and the round.

    None when the user is not a lead, or does not lead for that agency in that
    round's partnership (another agency, another partnership, no such round):
    the questionnaire of an agency is for its own leads only.

    One query: the round (with its partnership and framework) joined to the
    user's membership for the agency in that partnership, and the agency.
    """
    if not is_lead(user):
        return None
    agency_fields = [f.attname for f in Agency._meta.concrete_fields]
    rows = list(Round.objects.select_related("framework", "partnership")
                .filter(pk=round_id, partnership__memberships__agency_id=agency_id,
                        partnership__memberships__leads=user)
                .annotate(membership_pk=F("partnership__memberships__id"),
                          **{f"member_agency_{name}": F(f"partnership__memberships__agency__{name}")
                             for name in agency_fields})
                .order_by()[:1])
    if not rows:
        return None
    round = rows[0]
    db = round._state.db
    membership_pk = round.__dict__.pop("membership_pk")
    agency = Agency.from_db(db, agency_fields,
                            [round.__dict__.pop(f"member_agency_{name}") for name in agency_fields])
    membership = Membership.from_db(db, ["id", "partnership_id", "agency_id"],
                                    [membership_pk, round.partnership_id, agency.pk])
    membership.partnership = round.partnership
    membership.agency = agency
    return membership, round


# --------------------------------------------------------------------------- model permissions

ADMIN_APPS = ("survey", "assessments")
ADMIN_EXTRA = (("auth", "user"),)


def sync_role_permissions(**kwargs):
    groups = {g.name: g for g in Group.objects.filter(name__in=(LEAD, RESEARCHER, ADMINISTRATOR))}
    if len(groups) < 3:
        return
    admin_perms = Permission.objects.filter(content_type__app_label__in=ADMIN_APPS)
    for app, model in ADMIN_EXTRA:
        admin_perms = admin_perms | Permission.objects.filter(
            content_type__app_label=app, content_type__model=model)
    groups[ADMINISTRATOR].permissions.set(admin_perms)
    groups[RESEARCHER].permissions.set(
        Permission.objects.filter(content_type__app_label__in=ADMIN_APPS,
                                  codename__startswith="view_"))
    groups[LEAD].permissions.clear()
