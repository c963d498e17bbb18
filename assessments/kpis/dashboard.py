"""What the results dashboard shows of assessments.kpis: `dashboard_context` is called by
`assessments.results.views.round_results_page` and its keys are added to the page's
context; the template includes `assessments/kpis/_dashboard.html`."""


def dashboard_context(*, request, round, results) -> dict:
    return {}
