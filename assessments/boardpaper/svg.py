"""Charts of the board paper, drawn as SVG on the server (no browser, no network).

Two shapes are enough for a board pack: horizontal bars (the options at each level;
the enablers' and barriers' average answers) and a line (the readiness index across
rounds). Each function takes plain figures, the same as the dashboard's tables, and
returns the SVG document as text; :func:`data_uri` makes it the ``src`` of an
``<img alt=…>``, which WeasyPrint tags as a *Figure* with that alternative text in the
PDF (an inline ``<svg>`` is not tagged). Every bar and point also prints its value, and
the paper puts the same figures in a table beside each chart, so nothing depends on
colour or on seeing the chart.

Pure: no ORM, no request, no translation; the caller passes the words.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

# Okabe-Ito, as the dashboard's charts (bluelight.charts.PALETTE).
BLUE, ORANGE, GREEN, PINK, GREY = "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#6c757d"
INK, RULE, FAINT = "#212529", "#adb5bd", "#dee2e6"
FONT = "Liberation Sans, DejaVu Sans, sans-serif"


@dataclass(frozen=True)
class Bar:
    label: str  # left of the bar
    value: float | None  # None: no bar, the text says why
    text: str  # printed at the end of the bar (the value in words)
    colour: str = BLUE


@dataclass(frozen=True)
class Point:
    label: str  # under the axis
    value: float | None  # None: a gap in the line
    text: str  # printed above the point


def _svg(width: int, height: int, body: str, title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family={quoteattr(FONT)} font-size="11" '
            f'fill="{INK}"><title>{escape(title)}</title>{body}</svg>')


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def bar_chart(bars: list[Bar], *, title: str, low: float, high: float,
              ticks: list[float] | None = None, width: int = 640, label_width: int = 230,
              bar_height: int = 18, gap: int = 8) -> str:
    """Horizontal bars from ``low`` to ``high`` (e.g. 1 to 5 for a mean answer, 0 to 20
    for a count of options), one per row, with its label on the left and its text at
    its end; light vertical rules at ``ticks``."""
    plot_left, plot_right = label_width + 8, width - 120
    span = (high - low) or 1.0

    def x(value: float) -> float:
        return plot_left + (min(max(value, low), high) - low) / span * (plot_right - plot_left)

    top = 6
    height = top + len(bars) * (bar_height + gap) + 22
    parts = []
    for tick in ticks or []:
        tx = x(tick)
        parts.append(f'<line x1="{tx:.1f}" y1="{top - 2}" x2="{tx:.1f}" '
                     f'y2="{height - 18}" stroke="{FAINT}" stroke-width="1"/>'
                     f'<text x="{tx:.1f}" y="{height - 6}" text-anchor="middle" '
                     f'font-size="10">{tick:g}</text>')
    for i, bar in enumerate(bars):
        y = top + i * (bar_height + gap)
        mid = y + bar_height / 2 + 4
        parts.append(f'<text x="{label_width}" y="{mid:.1f}" text-anchor="end">'
                     f"{escape(_clip(bar.label, int(label_width / 6.6)))}</text>")
        end = plot_left
        if bar.value is not None:
            end = x(bar.value)
            parts.append(f'<rect x="{plot_left}" y="{y}" width="{max(end - plot_left, 1):.1f}" '
                         f'height="{bar_height}" fill="{bar.colour}"/>')
        parts.append(f'<text x="{end + 5:.1f}" y="{mid:.1f}">{escape(bar.text)}</text>')
    parts.append(f'<line x1="{plot_left}" y1="{top - 2}" x2="{plot_left}" y2="{height - 18}" '
                 f'stroke="{RULE}" stroke-width="1"/>')
    return _svg(width, height, "".join(parts), title)


def line_chart(points: list[Point], *, title: str, low: float = 0, high: float = 100,
               ticks: list[float] | None = None, width: int = 640, height: int = 220) -> str:
    """A line through ``points`` (left to right, oldest first) on a vertical scale from
    ``low`` to ``high``, each point with its text above it and its label below the axis;
    a point without a value breaks the line."""
    left, right, top, bottom = 40, width - 20, 20, height - 40
    span = (high - low) or 1.0
    n = max(len(points), 1)

    def px(i: int) -> float:
        return left + (right - left) * ((i + 0.5) / n)

    def py(value: float) -> float:
        return bottom - (min(max(value, low), high) - low) / span * (bottom - top)

    parts = []
    for tick in ticks if ticks is not None else [low, (low + high) / 2, high]:
        ty = py(tick)
        parts.append(f'<line x1="{left}" y1="{ty:.1f}" x2="{right}" y2="{ty:.1f}" '
                     f'stroke="{FAINT}" stroke-width="1"/>'
                     f'<text x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end" '
                     f'font-size="10">{tick:g}</text>')
    segment: list[str] = []
    segments: list[list[str]] = [segment]
    for i, point in enumerate(points):
        if point.value is None:
            segment = []
            segments.append(segment)
            continue
        segment.append(f"{px(i):.1f},{py(point.value):.1f}")
    for seg in segments:
        if len(seg) > 1:
            parts.append(f'<polyline points="{" ".join(seg)}" fill="none" stroke="{BLUE}" '
                         f'stroke-width="2.5"/>')
    for i, point in enumerate(points):
        cx = px(i)
        if point.value is not None:
            cy = py(point.value)
            parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4.5" fill="{BLUE}"/>'
                         f'<text x="{cx:.1f}" y="{cy - 9:.1f}" text-anchor="middle" '
                         f'font-weight="bold">{escape(point.text)}</text>')
        else:
            parts.append(f'<text x="{cx:.1f}" y="{bottom - 6}" text-anchor="middle">'
                         f"{escape(point.text)}</text>")
        parts.append(f'<text x="{cx:.1f}" y="{bottom + 16}" text-anchor="middle" '
                     f'font-size="10">{escape(_clip(point.label, 30))}</text>')
    parts.append(f'<line x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}" '
                 f'stroke="{RULE}" stroke-width="1"/>')
    return _svg(width, height, "".join(parts), title)


def data_uri(svg: str) -> str:
    """The SVG as a ``data:`` URI for ``<img src>`` (base64: no quoting to get wrong)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
