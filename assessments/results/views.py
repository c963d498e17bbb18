"""The results dashboard, its downloads, and the list of rounds with results.

Who may see a round's results: leads of any agency in the round's
partnership, researchers and administrators. A lead of another partnership
gets 404 (the round is outside what they may see), a user with no role 403,
an anonymous visitor the login page. What each sees is the
:class:`assessments.results.Audience` chosen here.
"""

from django.core.paginator import Paginator
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from assessments.models import Membership, Round, Submission
from assessments.results import exports
from assessments.results.charts import round_charts, round_tables
from assessments.results.selectors import (
    PARTNER,
    RESEARCH,
    Audience,
    round_results,
    round_scored,
)
from bluelight.roles import can_research, is_administrator, is_lead, role_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _round_for(user, round_id: int) -> tuple[Round, Audience]:
    """The round if the user may see its results, and what they may see (one query)."""
    partner = Membership.objects.filter(partnership=OuterRef("partnership"), leads=user)
    found = (Round.objects.select_related("partnership", "framework")
             .annotate(is_partner=Exists(partner)).filter(pk=round_id).first())
    if found is None:
        raise Http404(_("No such round."))
    if is_administrator(user) or (found.is_partner and is_lead(user)):
        return found, PARTNER
    if can_research(user):
        return found, RESEARCH
    raise Http404(_("No such round."))  # a lead of another partnership


def _filename(round: Round, extension: str) -> str:
    name = slugify(f"{round.partnership.name} {round.title}") or f"round-{round.pk}"
    return f"results-{name}.{extension}"


@role_required(is_lead, can_research)
def round_results_page(request, round_id: int):
    """The results dashboard of one round."""
    round, audience = _round_for(request.user, round_id)
    results = round_results(round=round, audience=audience)
    return render(request, "assessments/results/dashboard.html", {
        "round": round,
        "results": results,
        "charts": round_charts(results),
        "tables": round_tables(results),
    })


def _download(request, round_id: int, write, content_type: str, extension: str):
    round, audience = _round_for(request.user, round_id)
    scored = round_scored(round=round, audience=audience)
    if not scored.ready:
        raise Http404(_("This round has no results yet."))
    response = HttpResponse(write(scored=scored), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{_filename(round, extension)}"'
    return response


@role_required(is_lead, can_research)
def round_results_json(request, round_id: int):
    """The results JSON: the same bytes as ``manage.py score`` on the answers export."""
    return _download(request, round_id, exports.round_results_json,
                     "application/json; charset=utf-8", "json")


@role_required(is_lead, can_research)
def round_results_xlsx(request, round_id: int):
    """Answers, item results and option tiers as a workbook."""
    return _download(request, round_id, exports.round_results_xlsx, XLSX, "xlsx")


@role_required(is_lead, can_research)
def results_list(request):
    """Rounds with their submissions and a link to each dashboard (a constant 4 queries
    beyond the session's, whatever the number of rounds)."""
    submitted = (Submission.objects.filter(round=OuterRef("pk"), submitted_at__isnull=False)
                 .order_by().values("round").annotate(c=Count("pk")).values("c"))
    members = (Membership.objects.filter(partnership=OuterRef("partnership"))
               .order_by().values("partnership").annotate(c=Count("pk")).values("c"))
    rounds = (Round.objects.select_related("partnership", "framework")
              .annotate(n_submitted=Coalesce(Subquery(submitted, output_field=IntegerField()),
                                             Value(0)),
                        n_expected=Coalesce(Subquery(members, output_field=IntegerField()),
                                            Value(0)))
              .annotate(has_results=ExpressionWrapper(
                  Q(n_submitted__gte=F("framework__min_agencies")),
                  output_field=BooleanField()))
              .order_by("partnership__name", "-opens_on", "-id"))
    if not can_research(request.user):
        rounds = rounds.filter(partnership__in=Membership.objects.filter(
            leads=request.user).values("partnership"))
    page = Paginator(rounds, 50).get_page(request.GET.get("page"))
    return render(request, "assessments/results/list.html", {"page": page})
