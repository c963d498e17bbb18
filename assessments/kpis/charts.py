"""A KPI's chart: its values per period against the line from baseline to target, with
the same figures as a table (the chart's text alternative)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from assessments.kpis import periods
from assessments.kpis.selectors import KpiDetail, show
from assessments.kpis.status import expected_value
from bluelight.charts import PALETTE, Chart, Table, chart_figure, chart_layout
from bluelight.formatting import format_date


def kpi_chart(detail: KpiDetail, *, chart_id: str = "chart-kpi") -> Chart:
    kpi = detail.kpi
    title = _("%(name)s against its target") % {"name": kpi.name}
    summary = _("Line chart of the value recorded for each period (solid line, round "
                "markers) and the straight line from the baseline to the target (dashed "
                "line). The same figures are in the table.")
    xs = [periods.end_of(v.value.period_start, kpi.period).isoformat() for v in detail.values]
    ys = [float(v.value.value) for v in detail.values]
    labels = [v.period for v in detail.values]
    data = [
        {"type": "scatter", "mode": "lines", "name": _("Baseline to target"),
         "x": [kpi.baseline_on.isoformat(), kpi.target_on.isoformat()],
         "y": [float(kpi.baseline), float(kpi.target)],
         "line": {"color": PALETTE[1], "width": 2, "dash": "dash"},
         "hovertemplate": "%{x}: %{y}<extra></extra>"},
        {"type": "scatter", "mode": "lines+markers", "name": _("Recorded values"),
         "x": xs, "y": ys, "text": labels,
         "marker": {"size": 9, "color": PALETTE[0], "symbol": "circle"},
         "line": {"color": PALETTE[0], "width": 3},
         "hovertemplate": "%{text}: %{y}<extra></extra>"},
    ]
    layout = chart_layout(height=340, xaxis={"type": "date", "automargin": True},
                          yaxis={"title": {"text": kpi.unit}, "gridcolor": "#dee2e6",
                                 "automargin": True})
    rows = [[_("Baseline"), format_date(kpi.baseline_on), show(kpi.baseline), ""]]
    for v in detail.values:
        on = periods.end_of(v.value.period_start, kpi.period)
        line = expected_value(baseline=kpi.baseline, baseline_on=kpi.baseline_on,
                              target=kpi.target, target_on=kpi.target_on, on=on)
        rows.append([v.period, format_date(on), v.value_text, show(round(line, 4))])
    rows.append([_("Target"), format_date(kpi.target_on), "", show(kpi.target)])
    table = Table(caption=title, columns=[_("Period"), _("End of period"), _("Value"),
                                          _("Expected on the line")], rows=rows)
    return Chart(id=chart_id, title=title, summary=summary, figure=chart_figure(data, layout),
                 table=table)
