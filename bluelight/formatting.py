"""How numbers, dates and answers are written for people: one way each.

``percent(0.412)`` -> "41%", ``number(2.5)`` -> "2.50", ``answer(4, labels)``
-> "4 Support", ``format_date(d)`` -> "5 March 2025" (month names in the
user's language). A missing value (None or NaN) is a dash.
"""

from __future__ import annotations

import math
from datetime import date, datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _

DASH = "—"


def missing(value) -> bool:
    """True for None, NaN, pandas' NA and anything that is not a number."""
    if value is None:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return True


def percent(share, digits: int = 0, *, trim: bool = False, dash: str = DASH) -> str:
    """A share (0 to 1) as a percentage: ``percent(0.412)`` -> "41%"; ``trim``: without
    trailing zeros (``percent(0.5, 1, trim=True)`` -> "50%")."""
    if missing(share):
        return dash
    return number(float(share) * 100, digits, trim=trim) + "%"


def number(value, digits: int = 2, *, trim: bool = False) -> str:
    """A number with ``digits`` decimals ("2.50"); ``trim``: without trailing zeros ("2.5")."""
    if missing(value):
        return DASH
    text = f"{float(value):.{int(digits)}f}"
    return text.rstrip("0").rstrip(".") if trim and "." in text else text


def answer(value, labels: dict[int, str], *, none: str | None = None) -> str:
    """An answer on a 1-5 scale with its label: "4 Support" ("4" without a label; a
    mean such as 3.5 as it is). ``none``: the words for no value (default "Don't know")."""
    if missing(value):
        return _("Don't know") if none is None else none
    number_ = float(value)
    if number_.is_integer():
        return f"{int(number_)} {labels.get(int(number_), '')}".strip()
    return f"{number_:g}"


def format_date(value: date | datetime | None, fmt: str = "j F Y") -> str:
    """A date (a date-time in local time) in the user's language: "5 March 2025"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value)
    return formats.date_format(value, fmt)


def timestamp() -> str:
    """Now, as files note when they were made: "2025-03-05 14:07 GMT"."""
    return timezone.localtime().strftime("%Y-%m-%d %H:%M %Z")
