"""Reads of a partnership's KPIs, shared by its pages, the dashboard and the board paper.
(Stub signatures agreed between packages; the kpis package fills them in.)"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class KpiRow:
    """One KPI as the dashboard and the board paper show it (words already made)."""

    id: int
    name: str
    unit: str
    direction: str  # "higher" | "lower"
    baseline: Decimal
    baseline_on: date
    target: Decimal
    target_on: date
    period_label: str
    option_codes: list[str]
    reporter: str
    status: str  # "on_track" | "off_track" | "no_data"
    status_label: str
    latest: Decimal | None
    latest_period: str  # e.g. "2026 Q3", "" without values
    # (period label, period start, value) oldest first
    values: list[tuple[str, date, Decimal]] = field(default_factory=list)


def kpis_for_pack(*, partnership) -> list[KpiRow]:
    """The partnership's KPIs with their values and status (a fixed number of queries)."""
    return []
