"""Number formats of the research pages: ``{{ share|pct }}`` -> "41%", ``|pct:1`` -> "72.0%"."""

import math

from django import template

register = template.Library()

DASH = "—"


def _missing(value) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return True


@register.filter
def pct(value, digits=0):
    """A share (0-1) as a percentage; a dash when there is none."""
    if _missing(value):
        return DASH
    return f"{float(value) * 100:.{int(digits)}f}%"


@register.filter
def num(value, digits=2):
    """A number with fixed decimals; a dash when there is none."""
    if _missing(value):
        return DASH
    return f"{float(value):.{int(digits)}f}"
