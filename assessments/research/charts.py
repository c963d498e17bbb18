"""Charts of the researchers' pages: plotly figures built in Python, as plain JSON.

Each is a :class:`bluelight.charts.Chart` (figure, accessible name, and the
same numbers as a table) that ``static/js/charts.js`` draws from a
``<script type="application/json">`` element. Suppressed figures are left out
of a chart and shown as a dash in its table (read out as "suppressed"; the
caption says the rule once): a chart never shows what the tables hide. Levels
differ in pattern as well as colour: white hatching over the level's colour
(:func:`bluelight.charts.hatch`), in the bars and the legend keys alike.

The figures are written as plotly's JSON (``data``/``layout``/``config``)
directly rather than through ``plotly.graph_objects``, whose validation alone
took a fifth of the page's one-second budget; the keys are plotly's own.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from assessments.research.selectors import LEVELS, ResearchTables, suppression_note
from bluelight.charts import PALETTE, PATTERNS, Chart, Table, chart_figure, chart_layout, hatch
from bluelight.formatting import percent
from survey.templatetags.research_format import suppressed_mark

# Level 1 / 2 / 3: green, orange, red-purple of the Okabe-Ito palette; Level 1 plain,
# Level 2 hatched "/", Level 3 cross-hatched (indexes into PATTERNS).
LEVEL_COLOURS = {1: PALETTE[2], 2: PALETTE[1], 3: PALETTE[3]}
LEVEL_PATTERNS = {1: PATTERNS.index(""), 2: PATTERNS.index("/"), 3: PATTERNS.index("x")}


def levels_chart(tables: ResearchTables) -> Chart:
    """Stacked bars: the share of partnerships at each level, per option."""
    levels = tables.levels
    shown = levels[~levels["suppressed"].astype(bool)]
    labels = [f"{r.option} ({_('published L%(n)s') % {'n': r.published_level or '?'}})"
              for r in shown.itertuples()]
    layout = chart_layout(
        barmode="stack", height=max(260, 90 + 26 * len(shown)),
        margin={"l": 16, "r": 16, "t": 16, "b": 72},
        legend={"orientation": "h", "y": -0.12, "x": 0, "traceorder": "normal"},
        xaxis={"title": {"text": _("Share of partnerships")}, "range": [0, 1],
               "tickformat": ".0%", "gridcolor": "#dee2e6"},
        yaxis={"autorange": "reversed", "type": "category", "automargin": True})
    data = []
    for level in LEVELS:
        name = _("Level %(n)d") % {"n": level}
        data.append({
            "type": "bar", "orientation": "h", "name": name, "y": labels,
            "x": [round(float(v), 4) for v in shown[f"level_{level}"]],
            "customdata": [[int(n), int(b)] for n, b in zip(
                shown[f"level_{level}_n"], shown["partnerships_rated"], strict=True)],
            "marker": {"color": LEVEL_COLOURS[level],
                       "pattern": hatch(LEVEL_PATTERNS[level])},
            "hovertemplate": "%{y}<br>" + name
            + ": %{x:.0%} (%{customdata[0]} / %{customdata[1]})<extra></extra>"})
    rows = []
    for r in levels.itertuples():
        cells = ([suppressed_mark()] * 3 if r.suppressed
                 else [percent(getattr(r, f"level_{lv}")) for lv in LEVELS])
        rows.append([f"{r.option} {r.title}", str(r.published_level or "—"), *cells,
                     str(r.partnerships_rated)])
    caption = _("Share of partnerships at each level, by option")
    if levels["suppressed"].any():
        caption = f"{caption}. {suppression_note(tables.data.min_group)}"
    table = Table(caption=caption,
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
             "marker": {"color": PALETTE[0]}, "name": _("Partnerships"),
             "hovertemplate": "%{x}: %{y}<extra></extra>"}]
    layout = chart_layout(
        height=320, showlegend=False, margin={"l": 56, "r": 16, "t": 24, "b": 56},
        xaxis={"title": {"text": _("Readiness index (0 to 100)")}, "type": "category"},
        yaxis={"title": {"text": _("Partnerships")}, "rangemode": "tozero",
               "gridcolor": "#dee2e6", "automargin": True})
    rows = [[r.band, suppressed_mark() if suppressed else str(r.partnerships),
             suppressed_mark() if suppressed else percent(r.share)] for r in frame.itertuples()]
    caption = _("Partnerships by readiness index")
    if suppressed:
        caption = f"{caption}. {suppression_note(tables.data.min_group)}"
    table = Table(caption=caption,
                  columns=[_("Readiness index"), _("Partnerships"), _("Share")], rows=rows)
    return Chart(
        id="chart-readiness", title=_("Readiness index across partnerships"),
        summary=_("Bar chart of the number of partnerships in each band of 20 points of the "
                  "readiness index, from 0 to 100. The table holds the same figures."),
        figure=chart_figure(data, layout), table=table)
