"""The status rule and the periods: pure functions, no database."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from assessments.kpis import periods
from assessments.kpis.status import NO_DATA, OFF_TRACK, ON_TRACK, expected_value, status

LINE = {"baseline": Decimal("100"), "baseline_on": date(2026, 1, 1),
        "target": Decimal("200"), "target_on": date(2027, 1, 1)}


def test_expected_value_is_the_straight_line_held_at_both_ends():
    assert expected_value(**LINE, on=date(2025, 6, 1)) == 100
    assert expected_value(**LINE, on=date(2026, 1, 1)) == 100
    halfway = expected_value(**LINE, on=date(2026, 7, 2))  # 182 of 365 days
    assert Decimal("149.8") < halfway < Decimal("150.0")
    assert expected_value(**LINE, on=date(2027, 1, 1)) == 200
    assert expected_value(**LINE, on=date(2030, 1, 1)) == 200


@pytest.mark.parametrize(("direction", "value", "expected"), [
    ("higher", "151", ON_TRACK),   # above the line, higher is better
    ("higher", "149", OFF_TRACK),
    ("lower", "149", ON_TRACK),    # below the line, lower is better
    ("lower", "151", OFF_TRACK),
])
def test_status_in_both_directions(direction, value, expected):
    assert status(direction=direction, **LINE, latest=Decimal(value),
                  latest_on=date(2026, 7, 2)) == expected


def test_on_the_line_counts_as_on_track_in_both_directions():
    on = date(2027, 1, 1)
    for direction in ("higher", "lower"):
        assert status(direction=direction, **LINE, latest=Decimal("200"), latest_on=on) \
            == ON_TRACK


def test_a_falling_target_where_lower_is_better():
    line = {"baseline": Decimal("14"), "baseline_on": date(2026, 1, 1),
            "target": Decimal("9"), "target_on": date(2026, 12, 31)}
    assert status(direction="lower", **line, latest=Decimal("10"),
                  latest_on=date(2026, 12, 31)) == OFF_TRACK
    assert status(direction="lower", **line, latest=Decimal("12.5"),  # line: about 12.8
                  latest_on=date(2026, 3, 31)) == ON_TRACK


def test_no_values_is_no_data():
    assert status(direction="higher", **LINE, latest=None, latest_on=None) == NO_DATA


def test_period_starts_labels_and_codes():
    day = date(2026, 5, 17)
    assert periods.start_of(day, "monthly") == date(2026, 5, 1)
    assert periods.start_of(day, "quarterly") == date(2026, 4, 1)
    assert periods.start_of(day, "yearly") == date(2026, 1, 1)
    assert periods.end_of(date(2026, 10, 1), "quarterly") == date(2026, 12, 31)
    assert periods.end_of(date(2026, 2, 1), "monthly") == date(2026, 2, 28)
    assert periods.label(date(2026, 3, 1), "monthly") == "March 2026"
    assert periods.label(date(2026, 1, 1), "quarterly") == "2026 Q1"
    assert periods.label(date(2026, 1, 1), "yearly") == "2026"
    assert periods.code(date(2026, 3, 1), "monthly") == "2026-03"
    assert periods.code(date(2026, 7, 1), "quarterly") == "2026-Q3"
    assert periods.between(date(2025, 12, 31), date(2026, 5, 1), "quarterly") == [
        date(2025, 10, 1), date(2026, 1, 1), date(2026, 4, 1)]


def test_month_names_in_welsh():
    with translation.override("cy"):
        assert periods.label(date(2026, 3, 1), "monthly") == "Mawrth 2026"


@pytest.mark.parametrize(("text", "period", "start"), [
    ("2026-03", "monthly", date(2026, 3, 1)),
    ("March 2026", "monthly", date(2026, 3, 1)),
    ("2026-03-01", "monthly", date(2026, 3, 1)),
    ("2026-Q1", "quarterly", date(2026, 1, 1)),
    ("2026 q3", "quarterly", date(2026, 7, 1)),
    ("Q4 2026", "quarterly", date(2026, 10, 1)),
    ("2026-04-01", "quarterly", date(2026, 4, 1)),
    ("2026", "yearly", date(2026, 1, 1)),
    # not periods of that kind
    ("2026-13", "monthly", None),
    ("2026-03-15", "monthly", None),
    ("Smarch 2026", "monthly", None),
    ("2026-Q5", "quarterly", None),
    ("2026-02-01", "quarterly", None),
    ("2026-03", "quarterly", None),
    ("2026-Q1", "yearly", None),
    ("", "yearly", None),
])
def test_parse_reads_codes_first_days_and_labels(text, period, start):
    assert periods.parse(text, period) == start
