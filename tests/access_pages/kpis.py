"""Access-matrix rows of assessments.kpis (merged into tests/test_access_matrix.py).

Kwargs functions may create what the URL needs (idempotently, get_or_create): the
matrix calls them before it counts rows, so a refused POST still must change nothing.

Partnership Alpha's KPIs: its leads read and write, administrators read, a lead of
another partnership 404, researchers and users without a role 403. Pages that only
read answer a POST with 405 (after the role check, before the partnership is looked
up); the write pages refuse administrators (403).
"""

from datetime import date

from tests.access_kit import Page, expect

READ = expect(other="404", research="403")
READ_POST = expect(lead_a="405", lead_b="405", other="405", research="403", admin="405")
WRITE = expect(other="404", research="403", admin="403")


def _alpha(w):
    return {"partnership_id": w.partnerships["Alpha"].pk}


def _kpi(w):
    from assessments.kpis.models import Kpi

    kpi, _ = Kpi.objects.get_or_create(
        partnership=w.partnerships["Alpha"], name="Shared back-office cost",
        defaults={"unit": "£k", "baseline": 100, "baseline_on": date(2026, 1, 1),
                  "target": 80, "target_on": date(2027, 12, 31), "direction": "lower",
                  "period": "quarterly", "option_codes": ["O1"]})
    return kpi


def _detail(w):
    return _alpha(w) | {"kpi_id": _kpi(w).pk}


def _value(w):
    from assessments.kpis.models import KpiValue

    kpi = _kpi(w)
    value, _ = KpiValue.objects.get_or_create(kpi=kpi, period_start=date(2026, 1, 1),
                                              defaults={"value": 98})
    return _alpha(w) | {"kpi_id": kpi.pk, "value_id": value.pk}


PAGES: dict[str, Page] = {
    "kpis:list": Page(_alpha, READ, READ_POST),
    "kpis:detail": Page(_detail, READ, READ_POST),
    "kpis:export": Page(lambda w: _alpha(w) | {"fmt": "csv"}, READ, READ_POST),
    # writes: a permitted POST without data is the form again, with its errors
    "kpis:new": Page(_alpha, WRITE, WRITE),
    "kpis:edit": Page(_detail, WRITE, WRITE),
    "kpis:record": Page(_detail, WRITE, WRITE),
    "kpis:correct": Page(_value, WRITE, WRITE),
    "kpis:import": Page(_alpha, WRITE, WRITE),
}
