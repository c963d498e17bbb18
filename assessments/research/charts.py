"""Charts of the researchers' pages: plotly figures built in Python, as plain JSON.

Each is an :class:`assessments.charts.Chart` (figure, accessible name, and the
same numbers as a table) that ``static/js/charts.js`` draws from a
``<script type="application/json">`` element. Suppressed figures are left out
of a chart and named as suppressed in its table: a chart never shows what the
tables hide. Levels differ in pattern as well as colour.

The figures are written as plotly's JSON (``data``/``layout``/``config``)
directly rather than through ``plotly.graph_objects``, whose validation alone
took a fifth of the page's one-second budget; the keys are plotly's own.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from assessments.research.selectors import LEVELS, ResearchTables, suppressed_text
from bluelight.charts import Chart, Table

CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False}
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif",
        "size": 13, "color": "#212529"}
# Level 1 / 2 / 3: green, orange, red-purple of the Okabe-Ito palette, with patterns.
LEVEL_COLOURS = {1: "#009E73", 2: "#E69F00", 3: "#CC79A7"}
LEVEL_PATTERNS = {1: "", 2: "/", 3: "x"}


def chart_figure(data: list[dict], layout: dict) -> dict:
    return {"data": data, "layout": {"font": FONT,
                                     "plot_bgcolor": "#ffffff", "paper_bgcolor": "#ffffff",
                                     **layout}, "config": CONFIG}


def _pct(x: float) -> str:
    return "—" if x != x else f"{x * 100:.0f}%"


def levels_chart(tables: ResearchTables) -> Chart:
    """Stacked bars: the share of partnerships at each level, per option."""
    levels = tables.levels
    shown = levels[~levels["suppressed"].astype(bool)]
    labels = [f"{r.option} ({_('published L%(n)s') % {'n': r.published_level or '?'}})"
              for r in shown.itertuples()]
    layout = {
        "barmode": "stack", "height": max(260, 90 + 26 * len(shown)),
        "margin": {"l": 16, "r": 16, "t": 16, "b": 72},
        "legend": {"orientation": "h", "y": -0.12, "x": 0, "traceorder": "normal"},
        "xaxis": {"title": {"text": _("Share of partnerships")}, "range": [0, 1],
                  "tickformat": ".0%", "gridcolor": "#dee2e6"},
        "yaxis": {"autorange": "reversed", "type": "category", "automargin": True}}
    data = []
    for level in LEVELS:
        name = _("Level %(n)d") % {"n": level}
        data.append({
            "type": "bar", "orientation": "h", "name": name, "y": labels,
            "x": [round(float(v), 4) for v in shown[f"level_{level}"]],
            "customdata": [[int(n), int(b)] for n, b in zip(
                shown[f"level_{level}_n"], shown["partnerships_rated"], strict=True)],
            "marker": {"color": LEVEL_COLOURS[level],
                       "pattern": {"shape": LEVEL_PATTERNS[level], "fgcolor": "#ffffff",
                                   "size": 6}},
            "hovertemplate": "%{y}<br>" + name
            + ": %{x:.0%} (%{customdata[0]} / %{customdata[1]})<extra></extra>"})
    note = suppressed_text(tables.data.min_group)
    rows = []
    for r in levels.itertuples():
        cells = ([note] * 3 if r.suppressed
                 else [_pct(getattr(r, f"level_{lv}")) for lv in LEVELS])
        rows.append([f"{r.option} {r.title}", str(r.published_level or "—"), *cells,
                     str(r.partnerships_rated)])
    table = Table(caption=_("Share of partnerships at each level, by option"),
                  columns=[_("Option"), _("Published level"), _("Level 1"), _("Level 2"),
                           _("Level 3"), _("Partnerships rated")], rows=rows)
    return Chart(
        id="chart-levels", title=_("Levels reached across partnerships"),
        summary=_("Stacked bar chart: for each collaboration option, the share of partnerships "
                  "where it is at Level 1, 2 and 3; the label gives the published level. "
                  "Options with too few partnerships are left out. The table holds the same "
                  "figures."),
        figure=chart_figure(data, layout), table=table)


def readiness_chart(tables: ResearchTables) -> Chart:
    """Bars: partnerships in each band of the readiness index."""
    frame = tables.readiness
    suppressed = tables.readiness_suppressed
    counts = [0] * len(frame) if suppressed else frame["partnerships"].tolist()
    data = [{"type": "bar", "x": frame["band"].tolist(), "y": [int(c) for c in counts],
             "text": [str(c) for c in counts], "textposition": "outside",
             "marker": {"color": "#0072B2"}, "name": _("Partnerships"),
             "hovertemplate": "%{x}: %{y}<extra></extra>"}]
    layout = {"height": 320, "showlegend": False,
              "margin": {"l": 56, "r": 16, "t": 24, "b": 56},
              "xaxis": {"title": {"text": _("Readiness index (0 to 100)")}, "type": "category"},
              "yaxis": {"title": {"text": _("Partnerships")}, "rangemode": "tozero",
                        "gridcolor": "#dee2e6", "automargin": True}}
    note = suppressed_text(tables.data.min_group)
    rows = [[r.band, note if suppressed else str(r.partnerships),
             note if suppressed else _pct(r.share)] for r in frame.itertuples()]
    table = Table(caption=_("Partnerships by readiness index"),
                  columns=[_("Readiness index"), _("Partnerships"), _("Share")], rows=rows)
    return Chart(
        id="chart-readiness", title=_("Readiness index across partnerships"),
        summary=_("Bar chart of the number of partnerships in each band of 20 points of the "
                  "readiness index, from 0 to 100. The table holds the same figures."),
        figure=chart_figure(data, layout), table=table)
