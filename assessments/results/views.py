"""The results dashboard, its downloads, and the list of rounds with results.

Who may see a round's results: leads of any agency in the round's
partnership, researchers and administrators. A lead of another partnership
gets 404 (the round is outside what they may see), a user with no role 403,
an anonymous visitor the login page. What each sees is the
:class:`assessments.results.Audience` chosen here.
"""

import hashlib

from django.core.paginator import Paginator
from django.db.models import Count, IntegerField, Model, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from assessments.access import may_see_comments, rounds_visible_to, with_results
from assessments.actions import dashboard as actions_dashboard
from assessments.boardpaper import dashboard as boardpaper_dashboard
from assessments.kpis import dashboard as kpis_dashboard
from assessments.lessons import dashboard as lessons_dashboard
from assessments.models import Membership, Round
from assessments.results import exports
from assessments.results.charts import (
    answers_charts,
    answers_tables,
    trend_charts,
    trend_table,
)
from assessments.results.selectors import (
    Audience,
    round_results,
    round_scored,
)
from bluelight import downloads
from bluelight.roles import can_research, is_lead, role_required

DASHBOARD_PARTS = (actions_dashboard, kpis_dashboard, lessons_dashboard, boardpaper_dashboard)
# The dashboard's sections kept as HTML (tier board, discuss these, action plan, charts,
# evidence, trend) are cached under keys that name their content, so they never go
# stale; a day bounds the space.
FRAGMENT_SECONDS = 60 * 60 * 24


def _round_for(user, round_id: int) -> tuple[Round, Audience]:
    """The round if the user may see its results, and what they may see (one query):
    the rules are in :mod:`assessments.access`."""
    found = rounds_visible_to(user).filter(pk=round_id).first()
    if found is None:  # no such round, or a lead of another partnership
        raise Http404(_("No such round."))
    return found, Audience(names=True, comments=may_see_comments(user, found))


def _canonical(value) -> str:
    """A stable text of a part's state (dictionaries in key order, records by id)."""
    if isinstance(value, dict):
        return repr(sorted((str(k), _canonical(v)) for k, v in value.items()))
    if isinstance(value, set | frozenset):
        return repr(sorted(map(str, value)))
    if isinstance(value, Model):
        return repr((value._meta.label, value.pk, str(value)))
    return repr(value)


def _section_key(results, context: dict, declared: str) -> str:
    """Names everything a section made of the results and the parts shows: the
    options' levels, reasons and action plan (``results.content_key``), the round, and
    the context entries the parts' templates read in it, which each part lists in its
    ``OPTION_CARD_CONTEXT`` (the tier board's cards) or ``ACTION_PLAN_CONTEXT`` (the
    action plan's points). The template adds the language. Empty: not cached."""
    if not results.content_key:
        return ""
    state = [declared, results.content_key, str(results.round.pk)]
    for part in DASHBOARD_PARTS:
        state += [f"{name}={_canonical(context.get(name))}"
                  for name in getattr(part, declared, ())]
    return hashlib.sha256("\x1e".join(state).encode()).hexdigest()


def _filename(scored, extension: str) -> str:
    """By the one naming rule; provisional results say so in the name too."""
    what = "results-provisional" if scored.provisional else "results"
    return downloads.filename(scored.round.partnership.name, scored.round.title, what=what,
                              extension=extension)


@role_required(is_lead, can_research)
def round_results_page(request, round_id: int):
    """The results dashboard of one round."""
    round, audience = _round_for(request.user, round_id)
    results = round_results(round=round, audience=audience)
    context = {
        "round": round,
        "results": results,
        # The parts made from this round's answers alone are cached as rendered HTML
        # under ``results.content_key`` (see the template): made only on a miss.
        "charts": SimpleLazyObject(lambda: answers_charts(results)),
        "tables": SimpleLazyObject(lambda: answers_tables(results)),
        # The trend's section, likewise, under ``results.trend_key``.
        "trend_charts": SimpleLazyObject(lambda: trend_charts(results)),
        "trend_tables": SimpleLazyObject(
            lambda: {"trend": trend_table(results.trend)} if results.trend else {}),
        # An empty key (nothing names the content) means no caching: a timeout of 0.
        "answers_seconds": FRAGMENT_SECONDS if results.content_key else 0,
        "trend_seconds": FRAGMENT_SECONDS if results.trend_key else 0,
    }
    for part in DASHBOARD_PARTS:  # actions, KPIs, lessons, board paper: each adds its own
        context |= part.dashboard_context(request=request, round=round, results=results)
    context["tiers_key"] = _section_key(results, context, "OPTION_CARD_CONTEXT")
    context["tiers_seconds"] = FRAGMENT_SECONDS if context["tiers_key"] else 0
    context["plan_key"] = _section_key(results, context, "ACTION_PLAN_CONTEXT")
    context["plan_seconds"] = FRAGMENT_SECONDS if context["plan_key"] else 0
    return render(request, "assessments/results/dashboard.html", context)


def _download(request, round_id: int, write, content_type: str, extension: str):
    round, audience = _round_for(request.user, round_id)
    scored = round_scored(round=round, audience=audience)
    if not scored.ready:
        raise Http404(_("This round has no results yet."))
    return downloads.download(write(scored=scored), content_type=content_type,
                              filename=_filename(scored, extension))


@role_required(is_lead, can_research)
def round_results_json(request, round_id: int):
    """The results JSON: for final results, the same bytes as ``manage.py score`` on the
    answers export; provisional results say so (``exports.round_results_json``)."""
    return _download(request, round_id, exports.round_results_json,
                     downloads.JSON, "json")


@role_required(is_lead, can_research)
def round_results_xlsx(request, round_id: int):
    """Answers, item results and option tiers as a workbook."""
    return _download(request, round_id, exports.round_results_xlsx, downloads.XLSX, "xlsx")


@role_required(is_lead, can_research)
def results_list(request):
    """Rounds with their submissions and a link to each dashboard (a constant 4 queries
    beyond the session's, whatever the number of rounds)."""
    members = (Membership.objects.filter(partnership=OuterRef("partnership"))
               .order_by().values("partnership").annotate(c=Count("pk")).values("c"))
    rounds = (with_results(rounds_visible_to(request.user))
              .annotate(n_expected=Coalesce(Subquery(members, output_field=IntegerField()),
                                            Value(0)))
              .order_by("partnership__name", "-opens_on", "-id"))
    page = Paginator(rounds, 50).get_page(request.GET.get("page"))
    return render(request, "assessments/results/list.html", {"page": page})
