"""The results dashboard's charts: plotly figures built in Python, each with its table.

A :class:`Chart` holds the figure as plotly's JSON (data, layout, config) for
the page to hand to plotly.js from a ``<script type="application/json">``
element (``static/js/charts.js`` draws every ``[data-chart]``: no inline
script, ready for a strict Content-Security-Policy), an accessible name, and
the same numbers as a :class:`Table`, the chart's text alternative. Colour
never carries meaning alone: bars of different agencies also differ in
pattern, and the heatmap prints each answer in its cell.

The figures are written as plotly's plain JSON rather than through
``plotly.graph_objects``, whose validation of every property would take most
of the dashboard's time budget; :func:`validate` checks a figure against
plotly's schema with ``graph_objects`` (the tests run it on every chart).
"""

from __future__ import annotations

import pandas as pd
from django.utils.html import format_html
from django.utils.translation import gettext as _

from assessments.results.wording import level_text, scale_figure, status_text
from bluelight.charts import (
    PALETTE,
    PATTERNS,
    Chart,
    Table,
    chart_figure,
    chart_layout,
    hatch,
    wrap_label,
)
from bluelight.formatting import answer, format_date, number

# Light to dark: how much a barrier holds the collaboration back (1 to 5).
BARRIER_SCALE = [[0.0, "#fff7ec"], [0.25, "#fdd49e"], [0.5, "#fc8d59"], [0.75, "#d7301f"],
                 [1.0, "#7f0000"]]



def _scale_axis(labels: dict[int, str], title: str) -> dict:
    return {"title": {"text": title}, "range": [0, 5.4], "tickvals": [1, 2, 3, 4, 5],
            "ticktext": [f"{v} {labels.get(v, '')}".strip() for v in range(1, 6)],
            "gridcolor": "#dee2e6", "zeroline": True, "zerolinecolor": "#adb5bd",
            "automargin": True}


def _number(value: float | None) -> str:
    return number(value, 2, trim=True)


def _readiness(value: float | None) -> str:
    return number(value, 1)


def _answer(value: float, labels: dict[int, str]) -> str:
    return answer(value, labels, none=_("Don't know or no answer"))


def _rows(values: pd.DataFrame) -> list[list[float | None]]:
    """The values row by row, NaN as None (JSON null: a gap in the chart)."""
    return [[None if pd.isna(v) else float(v) for v in row] for row in values.to_numpy()]


def answers_by_agency(values: pd.DataFrame, titles: dict[str, str], labels: dict[int, str], *,
                      chart_id: str, title: str, summary: str, axis: str) -> Chart:
    """Grouped bars: one group per item, one bar per agency (answers 1-5).

    ``values``: index item codes, columns agencies, NaN where an agency gave no value.
    """
    items = [str(code) for code in values.index]
    agencies = [str(a) for a in values.columns]
    rows = _rows(values)
    hover = [f"{code} {titles.get(code, '')}" for code in items]
    data = [{
        "type": "bar", "x": items, "y": [row[k] for row in rows], "name": agency,
        "customdata": hover,
        "marker": {"color": PALETTE[k % len(PALETTE)],
                   "pattern": hatch((k // len(PALETTE) + k) % len(PATTERNS))},
        "hovertemplate": "%{customdata}<br>" + agency + ": %{y}<extra></extra>",
    } for k, agency in enumerate(agencies)]
    layout = chart_layout(barmode="group", bargap=0.25,
                     xaxis={"type": "category", "automargin": True},
                     yaxis=_scale_axis(labels, axis))
    table = Table(caption=title, columns=[_("Item"), *agencies],
                  rows=[[label, *[_answer(v, labels) for v in row]]
                        for label, row in zip(hover, rows, strict=True)])
    return Chart(id=chart_id, title=title, summary=summary, figure=chart_figure(data, layout),
                 table=table)


def barriers_heatmap(values: pd.DataFrame, titles: dict[str, str], labels: dict[int, str], *,
                     chart_id: str = "chart-barriers") -> Chart:
    """Heatmap: barriers down, agencies across, each cell the answer (1-5) printed in it."""
    title = _("Barriers by agency")
    summary = _("Heatmap of how much each barrier holds the collaboration back, by agency, "
                "from 1 (not at all) to 5 (blocking). Each cell shows the answer (? for "
                "\"Don't know\" or no answer); the same data is in the table that follows.")
    items = [str(code) for code in values.index]
    agencies = [str(a) for a in values.columns]
    z = _rows(values)
    names = [f"{code} {titles.get(code, '')}" for code in items]
    data = [{
        "type": "heatmap", "z": z, "x": [wrap_label(a, 14) for a in agencies],
        "y": [wrap_label(r, 22) for r in names],
        "text": [["?" if v is None else f"{v:g}" for v in row] for row in z],
        "texttemplate": "%{text}", "textfont": {"size": 15}, "zmin": 1, "zmax": 5,
        "colorscale": BARRIER_SCALE, "xgap": 2, "ygap": 2, "hoverongaps": False,
        # No colour bar: every cell prints its answer and the caption gives the scale,
        # so the colours only reinforce the numbers.
        "showscale": False,
        "hovertemplate": "%{y}<br>%{x}: %{z}<extra></extra>",
    }]
    layout = chart_layout(height=max(320, 130 + 52 * len(items)),
                     margin={"l": 16, "r": 16, "t": 16, "b": 16},
                     xaxis={"side": "bottom", "automargin": True, "type": "category"},
                     yaxis={"autorange": "reversed", "automargin": True, "type": "category"})
    table = Table(caption=title, columns=[_("Barrier"), *agencies],
                  rows=[[name, *[_answer(v, labels) for v in row]]
                        for name, row in zip(names, z, strict=True)])
    return Chart(id=chart_id, title=title, summary=summary, figure=chart_figure(data, layout),
                 table=table)


def themes_chart(themes: pd.DataFrame, *, chart_id: str = "chart-themes",
                 scales: dict[str, dict[int, str]] | None = None) -> Chart:
    """Bars per theme (the three Cs): mean enabler score and mean barrier score (1-5).

    ``themes``: index theme titles; columns ``enablers``, ``barriers`` (the codes, text),
    ``enabler_mean``, ``barrier_mean`` (NaN or None when nothing answered). ``scales``
    (kind -> value -> word): the table gives each mean with its scale's word.
    """
    scales = scales or {}
    title = _("The three Cs")
    summary = _("Bar chart of the mean enabler score (higher is better) and the mean barrier "
                "score (higher holds the collaboration back more) for each of the three Cs: "
                "clear vision, consistency and culture. The same data is in the table that "
                "follows.")
    names = [str(t) for t in themes.index]
    data = []
    for k, (column, label) in enumerate([
            ("enabler_mean", _("Enablers (higher is better)")),
            ("barrier_mean", _("Barriers (higher is worse)"))]):
        ys = [None if pd.isna(v) else round(float(v), 2) for v in themes[column].tolist()]
        data.append({
            "type": "bar", "x": names, "y": ys, "name": label,
            "text": [_number(y) for y in ys], "textposition": "outside",
            "marker": {"color": PALETTE[k * 5], "pattern": hatch(k * 3)},
            "hovertemplate": "%{x}<br>" + label + ": %{y}<extra></extra>"})
    layout = chart_layout(barmode="group", xaxis={"type": "category"},
                     yaxis={"title": {"text": _("Mean answer (1 to 5)")}, "range": [0, 5.4],
                            "tickvals": [1, 2, 3, 4, 5], "gridcolor": "#dee2e6",
                            "automargin": True})
    table = Table(
        caption=title,
        columns=[_("Theme"), _("Enablers"), _("Mean enabler score"), _("Barriers"),
                 _("Mean barrier score")],
        rows=[[name, enablers, scale_figure(e, scales.get("enabler", {})), barriers,
               scale_figure(b, scales.get("barrier", {}))]
              for name, enablers, e, barriers, b in zip(
                  names, themes["enablers"], themes["enabler_mean"], themes["barriers"],
                  themes["barrier_mean"], strict=True)])
    return Chart(id=chart_id, title=title, summary=summary, figure=chart_figure(data, layout),
                 table=table)


def readiness_trend(trend: pd.DataFrame, *, chart_id: str = "chart-trend") -> Chart:
    """Line of the readiness index (0-100) across rounds.

    ``trend``: one row per round in order; columns ``title``, ``opens_on``, ``agencies``,
    ``readiness`` (None when undefined).
    """
    title = _("Readiness across rounds")
    summary = _("Line chart of the readiness index, from 0 to 100, in each round of the "
                "partnership. The same data is in the table that follows.")
    rounds = list(trend.itertuples())
    labels = [f"{r.title} ({format_date(r.opens_on, 'M Y')})" for r in rounds]
    ys = [None if pd.isna(r.readiness) else float(r.readiness) for r in rounds]
    data = [{
        "type": "scatter", "x": labels, "y": ys, "mode": "lines+markers+text",
        "text": [_readiness(y) for y in ys], "textposition": "top center",
        "marker": {"size": 10, "color": PALETTE[0]},
        "line": {"color": PALETTE[0], "width": 3}, "name": _("Readiness"),
        "hovertemplate": "%{x}<br>" + _("Readiness") + ": %{y}<extra></extra>",
    }]
    layout = chart_layout(height=320, showlegend=False,
                     xaxis={"type": "category", "automargin": True},
                     yaxis={"title": {"text": _("Readiness (0 to 100)")}, "range": [0, 105],
                            "gridcolor": "#dee2e6", "automargin": True})
    table = Table(caption=title, columns=[_("Round"), _("Opened"), _("Agencies submitted"),
                                          _("Readiness (0 to 100)")],
                  rows=[[r.title, format_date(r.opens_on, "d M Y"), str(r.agencies),
                         _readiness(y)]
                        for r, y in zip(rounds, ys, strict=True)])
    return Chart(id=chart_id, title=title, summary=summary, figure=chart_figure(data, layout),
                 table=table)


def round_charts(results) -> dict[str, Chart]:
    """The dashboard's charts for a :class:`assessments.results.RoundResults` with results:
    the trend's (:func:`trend_charts`) and the answers' (:func:`answers_charts`)."""
    return trend_charts(results) | answers_charts(results)


def trend_charts(results) -> dict[str, Chart]:
    """The readiness index across the partnership's rounds ("trend"), when it has one."""
    if results.trend is None:
        return {}
    return {"trend": readiness_trend(results.trend.readiness)}


def answers_charts(results) -> dict[str, Chart]:
    """The charts made from this round's answers alone (enablers, barriers, themes): a
    function of ``results.content_key``."""
    charts: dict[str, Chart] = {}
    if not results.ready:
        return charts
    titles, scales = results.titles, results.scales
    charts["enablers"] = answers_by_agency(
        results.values("enabler"), titles, scales.get("enabler", {}),
        chart_id="chart-enablers", title=_("Enablers by agency"),
        summary=_("Bar chart of how far each enabler is in place, by agency, from 1 (not in "
                  "place) to 5 (fully in place). The same data is in the table that follows."),
        axis=_("How far in place"))
    charts["barriers"] = barriers_heatmap(results.values("barrier"), titles,
                                          scales.get("barrier", {}))
    themes = pd.DataFrame(
        {"enablers": [" ".join(t.enablers) for t in results.themes],
         "barriers": [" ".join(t.barriers) for t in results.themes],
         "enabler_mean": [t.enabler_mean for t in results.themes],
         "barrier_mean": [t.barrier_mean for t in results.themes]},
        index=[t.title for t in results.themes], dtype=object)
    charts["themes"] = themes_chart(themes, scales=scales)
    return charts


# --------------------------------------------------------------------------- tables


def _heading(code: str, title: str, note: str = "") -> str:
    if not note:
        return f"{code} {title}"
    return format_html('{} {}<span class="d-block small fw-normal text-body-secondary">{}'
                       "</span>", code, title, note[:1].upper() + note[1:])


def _answer_with_comment(answer_: str, comment: str) -> str:
    """An agency's answer, and below it the evidence it wrote beside it (if any)."""
    if not comment:
        return answer_
    return format_html('{}<span class="d-block small bl-comment">“{}”</span>', answer_,
                       comment)


def divergence_table(results) -> Table:
    """Divergent items with each agency's answer side by side, and beside each answer the
    agency's comment for an audience that may read comments."""
    comments = results.audience.comments
    caption = (_("Divergent items, with each agency's answer and its evidence") if comments
               else _("Divergent items, with each agency's answer"))
    return Table(
        caption=caption,
        columns=[_("Item"), _("Difference"), *results.result.agencies],
        rows=[[_heading(d.row.code, d.row.title, status_text(d.row)),
               _("%(spread)s points") % {"spread": _number(d.row.spread)},
               *[_answer_with_comment(a, c if comments else "")
                 for a, c in zip(d.answers, d.comments or [""] * len(d.answers),
                                 strict=True)]]
              for d in results.divergent])


def factors_table(results) -> Table:
    """Every enabler and barrier: its status and the spread of answers."""
    rows = []
    for item, status in results.factors:
        note = status[:1].upper() + status[1:]
        if item.divergent:
            note += " · " + _("divergent")
        labels = results.scales.get(item.kind, {})
        rows.append([f"{item.code} {item.title}", note, scale_figure(item.mean, labels),
                     scale_figure(item.min, labels), scale_figure(item.max, labels),
                     str(item.n)])
    return Table(caption=_("Enablers and barriers across your agencies"),
                 columns=[_("Item"), _("Status"), _("Average"), _("Lowest"), _("Highest"),
                          _("Answers")],
                 rows=rows)


def trend_table(trend) -> Table:
    """Each option's level in each of the partnership's rounds with results."""
    columns = [_("Option")]
    for r in trend.rounds:
        columns.append(r.title + (f" ({_('this round')})" if r.id == trend.current else ""))
    return Table(caption=_("Each option's level in each round"), columns=columns,
                 rows=[[f"{code} {title}", *[level_text(level) for level in levels]]
                       for code, title, levels in trend.level_rows()])


def round_tables(results) -> dict[str, Table]:
    """The dashboard's tables that are not a chart's alternative."""
    tables: dict[str, Table] = {}
    if results.trend is not None:
        tables["trend"] = trend_table(results.trend)
    return tables | answers_tables(results)


def answers_tables(results) -> dict[str, Table]:
    """The tables made from this round's answers alone (divergent items, factors)."""
    if not results.ready:
        return {}
    return {"divergent": divergence_table(results), "factors": factors_table(results)}
