"""Whether a KPI is on track: the rule, in one pure function (no queries).

The rule (also stated on every KPI page): the **expected** value at a date lies on the
straight line from the baseline (at its date) to the target (at its date); before the
baseline date it is the baseline, after the target date the target. The KPI is **on
track** when its latest value (the most recent period that has one), compared with
the expected value at the end of that period, is as good or better in the direction
that is better (higher or lower); **off track** when it is worse; **no data** when no
value has been recorded.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

ON_TRACK, OFF_TRACK, NO_DATA = "on_track", "off_track", "no_data"


def expected_value(*, baseline: Decimal, baseline_on: date, target: Decimal, target_on: date,
             on: date) -> Decimal:
    """The value on the straight line from baseline to target at ``on`` (held at the
    baseline before its date and at the target after its date)."""
    span = (target_on - baseline_on).days
    if span <= 0 or on >= target_on:
        return Decimal(target)
    if on <= baseline_on:
        return Decimal(baseline)
    share = Decimal((on - baseline_on).days) / Decimal(span)
    return Decimal(baseline) + (Decimal(target) - Decimal(baseline)) * share


def status(*, direction: str, baseline: Decimal, baseline_on: date, target: Decimal,
           target_on: date, latest: Decimal | None, latest_on: date | None) -> str:
    """``on_track``, ``off_track`` or ``no_data`` by the rule of the module; ``latest_on``:
    the last day of the latest value's period."""
    if latest is None or latest_on is None:
        return NO_DATA
    line = expected_value(baseline=baseline, baseline_on=baseline_on, target=target,
                    target_on=target_on, on=latest_on)
    good = latest >= line if direction == "higher" else latest <= line
    return ON_TRACK if good else OFF_TRACK
