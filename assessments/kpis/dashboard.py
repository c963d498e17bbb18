"""What the results dashboard shows of assessments.kpis: `dashboard_context` is called by
`assessments.results.views.round_results_page` and its keys are added to the page's
context; the template includes `assessments/kpis/_dashboard.html`."""

from assessments.access import may_see_comments
from assessments.kpis.selectors import kpis_for_pack
from bluelight.roles import is_administrator, is_lead


def dashboard_context(*, request, round, results) -> dict:
    """The partnership's KPIs with status and latest value, for those who may open the KPI
    pages (its leads and administrators; researchers see none): two queries (the KPIs with
    their reporting agency, then their values), none for a researcher."""
    user = request.user
    if not (is_administrator(user) or (is_lead(user) and may_see_comments(user, round))):
        return {}
    return {"kpis_partnership": round.partnership_id,
            "kpi_rows": kpis_for_pack(partnership=round.partnership_id)}
