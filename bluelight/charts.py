"""Charts and tables for pages: one plotly theme, one accessible table.

A :class:`Chart` holds the figure as plotly's JSON (data, layout, config) for
the page to hand to plotly.js from a ``<script type="application/json">``
element (``static/js/charts.js`` draws every ``[data-chart]``: no inline
script), an accessible name, and the same numbers as a :class:`Table`, the
chart's text alternative.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

import plotly.graph_objects as go
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

# No mode bar: its buttons would sit, unreachable, inside the role="img" plot.
CONFIG = {"displaylogo": False, "responsive": True, "displayModeBar": False}
# Okabe-Ito: told apart with the commonest colour-vision deficiencies.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000"]
PATTERNS = ["", "/", "\\", "x", ".", "-", "|", "+"]
FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif",
        "size": 13, "color": "#212529"}
@dataclass(frozen=True)
class Table:
    """A table for the page: a chart's data, or one of the dashboard's tables.

    The first cell of each row is its row header. It renders itself as accessible
    HTML (``{{ table }}`` in a template: a caption, ``scope`` on every header), every
    cell escaped unless marked safe: a dashboard has over a thousand cells, and
    writing them here is several times faster than a template loop.
    """

    caption: str
    columns: list[str]
    rows: list[list]

    def __html__(self) -> str:
        esc = conditional_escape
        head = "".join(f'<th scope="col">{esc(c)}</th>' for c in self.columns)
        body = "".join(
            f'<tr><th scope="row">{esc(row[0])}</th>'
            + "".join(f"<td>{esc(cell)}</td>" for cell in row[1:]) + "</tr>"
            for row in self.rows)
        caption = esc(self.caption)
        # The wrapper scrolls sideways on a phone: keyboard users can focus and scroll it.
        return mark_safe(  # noqa: S308 - every cell went through conditional_escape
            f'<div class="table-responsive" tabindex="0" role="region" aria-label="{caption}">'
            '<table class="table table-sm align-middle bl-data-table">'
            f"<caption>{caption}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table></div>")

    __str__ = __html__  # templates print str(value): safe HTML, as Django's forms do


@dataclass(frozen=True)
class Chart:
    id: str  # unique on the page
    title: str
    summary: str  # accessible name of the plot
    figure: dict  # {"data": [...], "layout": {...}, "config": {...}}
    table: Table

    @property
    def data_id(self) -> str:
        return f"{self.id}-data"


def chart_layout(**extra) -> dict:
    layout = {
        "font": FONT,
        "height": 380,
        "margin": {"l": 56, "r": 16, "t": 16, "b": 56},
        "legend": {"orientation": "h", "y": -0.2, "x": 0},
        "plot_bgcolor": "#ffffff",
        "paper_bgcolor": "#ffffff",
        "hoverlabel": {"namelength": -1},
    }
    layout.update(extra)
    return layout


def hatch(k: int) -> dict:
    """White hatching over the bar's colour, so bars differ by more than colour."""
    return {"shape": PATTERNS[k], "fillmode": "overlay", "fgcolor": "#ffffff",
            "fgopacity": 0.8, "size": 7, "solidity": 0.25}


def wrap_label(text: str, width: int) -> str:
    """Break a long axis label into lines (plotly reads <br>)."""
    return "<br>".join(textwrap.wrap(text, width)) or text


def chart_figure(data: list[dict], layout: dict) -> dict:
    return {"data": data, "layout": layout, "config": CONFIG}


def validate(figure: dict) -> go.Figure:
    """The figure as a ``plotly.graph_objects.Figure``; raises ValueError if plotly's
    schema refuses any property."""
    return go.Figure(data=figure["data"], layout=figure["layout"])
