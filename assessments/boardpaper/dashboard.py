"""What the results dashboard shows of assessments.boardpaper: `dashboard_context` is called by
`assessments.results.views.round_results_page` and its keys are added to the page's
context; the template includes `assessments/boardpaper/_dashboard.html` (partnerships like
yours), `_contents.html` and, in each option card, `_option.html` (the decision in force).

Queries: at most 2 for this part with a warm cache (the partnership's decisions; the
comparison's cache token), none before the round has results. A cold cache adds the
comparison's computation (see :mod:`assessments.boardpaper.comparison`).
"""

from django.urls import reverse

from assessments.boardpaper.comparison import basis_labels, basis_or_default, comparison_for
from assessments.boardpaper.decisions import decisions_for, may_record_decisions


def dashboard_context(*, request, round, results) -> dict:
    if not results.ready:
        return {}
    basis = basis_or_default(request.GET.get("like"))
    decisions = decisions_for(partnership=round.partnership_id)
    # The page's other query parameters, kept by the "partnerships like yours" form.
    keep = [(name, value) for name, values in request.GET.lists() if name != "like"
            for value in values]
    return {
        "boardpaper_decisions": decisions,
        "boardpaper_decided": set(decisions),
        "boardpaper_may_decide": may_record_decisions(request.user, round),
        "boardpaper_decisions_url": reverse("boardpaper:decisions", args=[round.pk]),
        "boardpaper_like": comparison_for(round=round, basis=basis, result=results.result),
        "boardpaper_like_bases": basis_labels(),
        "boardpaper_like_keep": keep,
    }
