"""Reporting periods of a KPI: stored as their first day, shown and written in words.

Pure (no queries). A monthly period is stored as the first of its month, a quarter as
the first of January, April, July or October, a year as 1 January:

* :func:`label`: for people, in the active language: "March 2026", "2026 Q1", "2026";
* :func:`code`: in files (export and import): "2026-03", "2026-Q1", "2026";
* :func:`parse`: reads a file's period: its code, the period's first day
  ("2026-01-01"), or its label in English ("March 2026", "2026 Q1", "Q1 2026").
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.utils import formats
from django.utils.translation import gettext as _

MONTHLY, QUARTERLY, YEARLY = "monthly", "quarterly", "yearly"
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")


def start_of(day: date, period: str) -> date:
    """The first day of the period ``day`` falls in."""
    if period == MONTHLY:
        return day.replace(day=1)
    if period == QUARTERLY:
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, 1, 1)


def next_start(start: date, period: str) -> date:
    """The first day of the period after the one starting on ``start``."""
    months = {MONTHLY: 1, QUARTERLY: 3}.get(period, 12)
    month = start.month - 1 + months
    return date(start.year + month // 12, month % 12 + 1, 1)


def end_of(start: date, period: str) -> date:
    """The last day of the period starting on ``start``."""
    return next_start(start, period) - timedelta(days=1)


def is_start(day: date, period: str) -> bool:
    return start_of(day, period) == day


def between(first: date, last: date, period: str) -> list[date]:
    """The starts of every period from the one holding ``first`` to the one holding
    ``last``, oldest first."""
    out, current, end = [], start_of(first, period), start_of(last, period)
    while current <= end:
        out.append(current)
        current = next_start(current, period)
    return out


def label(start: date, period: str) -> str:
    """The period in words, in the active language: "March 2026", "2026 Q1", "2026"."""
    if period == MONTHLY:
        return formats.date_format(start, "F Y")
    if period == QUARTERLY:
        return _("%(year)s Q%(quarter)s") % {"year": start.year,
                                              "quarter": (start.month - 1) // 3 + 1}
    return str(start.year)


def code(start: date, period: str) -> str:
    """The period as files write it: "2026-03", "2026-Q1", "2026"."""
    if period == MONTHLY:
        return f"{start.year:04d}-{start.month:02d}"
    if period == QUARTERLY:
        return f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"
    return f"{start.year:04d}"


_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_QUARTER = re.compile(r"(?:(\d{4})\s*-?\s*q([1-4])|q([1-4])\s*-?\s*(\d{4}))")
_YEAR = re.compile(r"(\d{4})")
_MONTH_NAME = re.compile(r"([a-z]+)\s+(\d{4})")


def parse(text: str, period: str) -> date | None:
    """The start of the period ``text`` names, or None if it names no period of this
    kind (see the module for what is read)."""
    raw = " ".join(str(text).strip().lower().split())
    if not raw:
        return None
    if match := _ISO.fullmatch(raw):
        try:
            day = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            return None
        return day if is_start(day, period) else None
    if period == MONTHLY:
        if match := _MONTH.fullmatch(raw):
            month = int(match[2])
            return date(int(match[1]), month, 1) if 1 <= month <= 12 else None
        if (match := _MONTH_NAME.fullmatch(raw)) and match[1] in MONTHS:
            return date(int(match[2]), MONTHS.index(match[1]) + 1, 1)
        return None
    if period == QUARTERLY:
        if match := _QUARTER.fullmatch(raw):
            year, quarter = (match[1], match[2]) if match[1] else (match[4], match[3])
            return date(int(year), 3 * (int(quarter) - 1) + 1, 1)
        return None
    if match := _YEAR.fullmatch(raw):
        return date(int(match[1]), 1, 1)
    return None


def example(period: str) -> str:
    """How a period of this kind is written in a file, for messages."""
    return {MONTHLY: "2026-03", QUARTERLY: "2026-Q1"}.get(period, "2026")
