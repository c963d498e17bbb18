"""Fixtures of the KPI tests: a KPI of partnership Alpha, made through the service."""

from datetime import date
from decimal import Decimal

import pytest


@pytest.fixture
def make_kpi(world):
    from assessments.kpis import services

    def _make(name="Back-office cost", *, partnership="Alpha", user="alice", **fields):
        defaults = {"name": name, "unit": "£k", "direction": "lower",
                    "baseline": Decimal("100"), "baseline_on": date(2025, 12, 31),
                    "target": Decimal("80"), "target_on": date(2027, 12, 31),
                    "period": "quarterly", "option_codes": ["O1"],
                    "reporter": world.agencies["Alpha Police"]}
        return services.kpi_create(partnership=world.partnerships[partnership],
                                   user=world.user(user), fields=defaults | fields)

    return _make


@pytest.fixture
def record(world):
    from assessments.kpis import services

    def _record(kpi, start, value, *, user="alice", note="", source=""):
        return services.value_record(kpi=kpi, user=world.user(user), period_start=start,
                                     value=Decimal(str(value)), note=note, source=source)

    return _record
