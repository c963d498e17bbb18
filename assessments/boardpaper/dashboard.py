"""What the results dashboard shows of assessments.boardpaper: `dashboard_context` is called by
`assessments.results.views.round_results_page` and its keys are added to the page's
context; the template includes `assessments/boardpaper/_dashboard.html` (partnerships like
yours), `_contents.html` and, in each option card, `_option.html` (the decision in force).

Queries: at most 2 for this part with a warm cache (the partnership's decisions; the
comparison's cache token), none before the round has results. The "partnerships like
yours" section is cached as HTML under a key naming what it shows; the comparison is made
only when that is missing, and a cold cache adds its computation (see
:mod:`assessments.boardpaper.comparison`).
"""

import hashlib
import json

from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from assessments.boardpaper.comparison import (
    basis_labels,
    basis_or_default,
    cache_token,
    comparison_for,
)
from assessments.boardpaper.decisions import decisions_for, may_record_decisions
from assessments.research.selectors import min_group_size

# What ``_option.html`` reads in each option card: the tier board is cached under a key
# that includes it (``assessments.results.views``).
OPTION_CARD_CONTEXT = ("boardpaper_decisions", "boardpaper_decided", "boardpaper_may_decide",
                       "boardpaper_decisions_url")


def dashboard_context(*, request, round, results) -> dict:
    if not results.ready:
        return {}
    basis = basis_or_default(request.GET.get("like"))
    token = cache_token()
    decisions = decisions_for(partnership=round.partnership_id)
    # The page's other query parameters, kept by the "partnerships like yours" form.
    keep = [(name, value) for name, values in request.GET.lists() if name != "like"
            for value in values]
    return {
        "boardpaper_decisions": decisions,
        "boardpaper_decided": set(decisions),
        "boardpaper_may_decide": may_record_decisions(request.user, round),
        "boardpaper_decisions_url": reverse("boardpaper:decisions", args=[round.pk]),
        # Made only when its section is not in the cache under ``boardpaper_like_key``.
        "boardpaper_like": SimpleLazyObject(lambda: comparison_for(
            round=round, basis=basis, result=results.result, token=token)),
        "boardpaper_like_basis": basis,
        "boardpaper_like_key": _section_key(round, results, basis, keep, token),
        "boardpaper_like_bases": basis_labels(),
        "boardpaper_like_keep": keep,
    }


def _section_key(round, results, basis: str, keep: list, token: str) -> str:
    """Names everything the "partnerships like yours" section shows: the population's
    state (``token``: snapshots, partnerships, agencies, memberships), the comparison
    asked for, this round's own result (its answers' hash), the minimum group size and
    the page's other query parameters (kept in the form). The template adds the
    language."""
    payload = json.dumps([token, basis, round.partnership_id, round.pk, results.scored.digest,
                          min_group_size(), keep])
    return hashlib.sha256(payload.encode()).hexdigest()
