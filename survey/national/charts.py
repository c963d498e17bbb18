"""The key findings chart: our share with its 95% interval beside the published figure.

A plain plotly figure as JSON in the shared theme (:mod:`bluelight.charts`,
drawn by ``static/js/charts.js``), with the same figures as a table; the
published figure differs from ours in marker shape as well as colour.
"""

from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext as _

from bluelight.charts import PALETTE, Chart, Table, chart_figure, chart_layout
from bluelight.formatting import DASH, percent

OURS, PUBLISHED = PALETTE[0], PALETTE[5]


def _values(series: pd.Series) -> list:
    """The values, NaN as None (JSON null: no marker)."""
    return [None if pd.isna(v) else float(v) for v in series]


def findings_chart(findings: pd.DataFrame) -> Chart:
    """Dots with error bars (ours) and diamonds (published), one row per finding."""
    shown = findings[findings["base"] > 0]
    codes = [str(c) for c in shown.index]
    layout = chart_layout(
        height=max(240, 110 + 48 * len(findings)),
        margin={"l": 16, "r": 16, "t": 16, "b": 80},
        legend={"orientation": "h", "y": -0.25, "x": 0},
        xaxis={"title": {"text": _("Share of respondents")}, "range": [0, 1.02],
               "tickformat": ".0%", "gridcolor": "#dee2e6"},
        yaxis={"autorange": "reversed", "type": "category", "automargin": True})
    data = [
        {"type": "scatter", "x": _values(shown["share"]), "y": codes, "mode": "markers",
         "name": _("Our figure, with its 95% interval"),
         "marker": {"symbol": "circle", "size": 11, "color": OURS},
         "error_x": {"type": "data", "symmetric": False,
                     "array": _values(shown["ci_high"] - shown["share"]),
                     "arrayminus": _values(shown["share"] - shown["ci_low"]),
                     "color": OURS, "thickness": 2, "width": 6},
         "hovertemplate": "%{y}: %{x:.1%}<extra></extra>"},
        {"type": "scatter", "x": _values(shown["published"]), "y": codes, "mode": "markers",
         "name": _("Published figure (2015)"),
         "marker": {"symbol": "diamond-open", "size": 13, "color": PUBLISHED,
                    "line": {"width": 2}},
         "hovertemplate": "%{y}: " + _("published") + " %{x:.0%}<extra></extra>"},
    ]
    rows = []
    for code, r in findings.iterrows():
        interval = (DASH if r["base"] == 0
                    else f"{percent(r['ci_low'], 1)} – {percent(r['ci_high'], 1)}")
        rows.append([f"{code} {r['text']}", percent(r["share"], 1), interval, str(r["base"]),
                     percent(r["published"], 1)])
    table = Table(caption=_("Key findings: our figures and the published ones"),
                  columns=[_("Finding"), _("Our figure"), _("95% interval"), _("Base"),
                           _("Published")], rows=rows)
    return Chart(
        id="chart-findings", title=_("Chart: our figures with their 95% intervals, and the "
                                       "published figures"),
        summary=_("Dot chart: for each key finding, our share of respondents as a dot with a "
                  "line for its 95% interval, and the published 2015 figure as a diamond. The "
                  "table holds the same figures."),
        figure=chart_figure(data, layout), table=table)
