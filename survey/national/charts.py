"""The key findings chart: our share with its 95% interval beside the published figure.

A plain plotly figure as JSON (drawn by ``static/js/charts.js``), with the
same figures as a table; the published figure differs from ours in marker
shape as well as colour.
"""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
from django.utils.translation import gettext as _

from bluelight.charts import Chart, Table

CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False}
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif",
        "size": 13, "color": "#212529"}


def _pct(x: float) -> str:
    return "—" if x != x else f"{x * 100:.1f}%"


def findings_chart(findings: pd.DataFrame) -> Chart:
    """Dots with error bars (ours) and diamonds (published), one row per finding."""
    shown = findings[findings["base"] > 0]
    codes = [str(c) for c in shown.index]
    share = shown["share"].tolist()
    fig = go.Figure(layout={
        "template": "none", "font": FONT, "height": max(240, 110 + 48 * len(findings)),
        "margin": {"l": 16, "r": 16, "t": 16, "b": 80},
        "legend": {"orientation": "h", "y": -0.25, "x": 0},
        "xaxis": {"title": {"text": _("Share of respondents")}, "range": [0, 1.02],
                  "tickformat": ".0%", "gridcolor": "#dee2e6"},
        "yaxis": {"autorange": "reversed", "type": "category", "automargin": True},
        "plot_bgcolor": "#ffffff", "paper_bgcolor": "#ffffff"})
    fig.add_trace(go.Scatter(
        x=share, y=codes, mode="markers", name=_("Our figure, with its 95% interval"),
        marker={"symbol": "circle", "size": 11, "color": "#0072B2"},
        error_x={"type": "data", "symmetric": False,
                 "array": (shown["ci_high"] - shown["share"]).tolist(),
                 "arrayminus": (shown["share"] - shown["ci_low"]).tolist(),
                 "color": "#0072B2", "thickness": 2, "width": 6},
        hovertemplate="%{y}: %{x:.1%}<extra></extra>"))
    published = shown["published"]
    fig.add_trace(go.Scatter(
        x=published.where(published.notna(), None).tolist(), y=codes, mode="markers",
        name=_("Published figure (2015)"),
        marker={"symbol": "diamond-open", "size": 13, "color": "#D55E00",
                "line": {"width": 2}},
        hovertemplate="%{y}: " + _("published") + " %{x:.0%}<extra></extra>"))
    rows = []
    for code, r in findings.iterrows():
        interval = ("—" if r["base"] == 0 else f"{_pct(r['ci_low'])} – {_pct(r['ci_high'])}")
        rows.append([f"{code} {r['text']}", _pct(r["share"]), interval, str(r["base"]),
                     _pct(r["published"])])
    table = Table(caption=_("Key findings: our figures and the published ones"),
                  columns=[_("Finding"), _("Our figure"), _("95% interval"), _("Base"),
                           _("Published")], rows=rows)
    return Chart(
        id="chart-findings", title=_("Chart: our figures with their 95% intervals, and the "
                                       "published figures"),
        summary=_("Dot chart: for each key finding, our share of respondents as a dot with a "
                  "line for its 95% interval, and the published 2015 figure as a diamond. The "
                  "table holds the same figures."),
        figure=json.loads(fig.to_json()) | {"config": CONFIG}, table=table)
