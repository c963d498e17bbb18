"""KPI values as files: import all or nothing with every problem by line, export, and
the round trip in CSV and XLSX."""

import io
from datetime import date
from decimal import Decimal

import pandas as pd
from openpyxl import Workbook, load_workbook

from assessments.kpis.models import KpiValue
from assessments.kpis.transfer import (
    values_csv,
    values_frame,
    values_import,
    values_xlsx,
)

HEADER = "kpi,period,value,note,source\n"


def _import(world, text, *, correct=False, workbook=False, user="alice"):
    data = text if isinstance(text, bytes) else text.encode()
    return values_import(partnership=world.partnerships["Alpha"], user=world.user(user),
                         data=data, workbook=workbook, correct=correct)


def _problems(result):
    return [(e.line, e.message) for e in result.errors]


def test_a_good_file_records_every_value(world, make_kpi):
    make_kpi("Cost")
    make_kpi("Jobs shared", direction="higher", period="monthly", baseline=1, target=9)
    result = _import(world, HEADER + "Cost,2026-Q1,98.5,first quarter,finance\n"
                     "cost ,2026 q2,96,,\n"  # name without regard to case or spaces
                     "Jobs shared,2026-03,4,,HR\n"
                     "Jobs Shared,April 2026,5,,\n")
    assert result.ok, result.errors
    assert (result.created, result.corrected, result.unchanged) == (4, 0, 0)
    values = {(v.kpi.name, v.period_start): v for v in KpiValue.objects.select_related("kpi")}
    assert values[("Cost", date(2026, 1, 1))].value == Decimal("98.5")
    assert values[("Cost", date(2026, 1, 1))].note == "first quarter"
    assert values[("Jobs shared", date(2026, 4, 1))].value == 5
    assert values[("Cost", date(2026, 4, 1))].recorded_by == world.user("alice")


def test_every_problem_is_listed_by_line_and_nothing_is_written(world, make_kpi, record):
    cost = make_kpi("Cost")
    record(cost, date(2025, 10, 1), 100)
    result = _import(world, HEADER
                     + "Cost,2026-Q1,98,,\n"               # 2: fine on its own
                     + "Cost,2026-Q5,97,,\n"               # 3: bad period
                     + "Budget,2026-Q1,97,,\n"             # 4: unknown KPI
                     + "Cost,2026-Q2,ninety,,\n"           # 5: not a number
                     + "Cost,2026-Q1,98,,\n"               # 6: same KPI and period twice
                     + "Cost,2026-Q3,\"1,234\",,\n"        # 7: thousands separator
                     + "Cost,2026-Q4,,,\n"                 # 8: blank value
                     + "Cost,2026-Q4,1,2,3,4\n")           # 9: too many fields
    assert not result.ok
    problems = _problems(result)
    assert [line for line, _ in problems] == [3, 4, 5, 6, 7, 8, 9]
    text = dict(problems)
    assert 'period "2026-Q5" is not a quarterly period (write it like 2026-Q1)' in text[3]
    assert 'unknown KPI "Budget"' in text[4] and "Cost" in text[4]
    assert 'value "ninety" is not a number' in text[5]
    assert 'has a value for 2026 Q1 twice (lines 2 and 6)' in text[6]
    assert 'value "1,234" is not a number' in text[7]
    assert text[8] == "the value is blank"
    assert "this row has 6 fields but the header has 5" in text[9]
    assert KpiValue.objects.count() == 1  # all or nothing


def test_wrong_columns_refuse_the_file(world, make_kpi):
    make_kpi("Cost")
    missing = _import(world, "kpi,when,value\nCost,2026-Q1,98\n")
    assert _problems(missing) == [(1, 'the header must name the columns kpi,period,value,note,'
                                      'source; missing: period'),
                                  (1, 'unknown column(s) "when"; the columns are kpi,period,'
                                      'value,note,source')]
    twice = _import(world, "kpi,period,value,value\nCost,2026-Q1,98,97\n")
    assert _problems(twice) == [(1, 'column "value" appears twice')]
    empty = _import(world, "")
    assert _problems(empty) == [(1, "the file has no values")]
    header_only = _import(world, HEADER)
    assert _problems(header_only) == [(1, "the file has no values")]
    not_utf8 = _import(world, HEADER.encode() + "Cost,2026-Q1,98,caf\u00e9,\n".encode("latin-1"))
    assert "not UTF-8" in _problems(not_utf8)[0][1]
    assert KpiValue.objects.count() == 0


def test_a_different_value_for_a_recorded_period_needs_correct(world, make_kpi, record):
    cost = make_kpi("Cost")
    record(cost, date(2026, 1, 1), 98, note="n")
    refused = _import(world, HEADER + "Cost,2026-Q1,97,n,\nCost,2026-Q2,95,,\n")
    assert _problems(refused) == [(2, 'KPI "Cost" already has a value for 2026 Q1 (98); tick '
                                      '“Correct values that differ” to replace it (the earlier '
                                      'value is kept in its history)')]
    assert KpiValue.objects.count() == 1
    same = _import(world, HEADER + "Cost,2026-Q1,98.000,n,\n")
    assert (same.ok, same.created, same.unchanged) == (True, 0, 1)
    corrected = _import(world, HEADER + "Cost,2026-Q1,97,n,\nCost,2026-Q2,95,,\n",
                        correct=True, user="bob")
    assert (corrected.created, corrected.corrected) == (1, 1)
    entry = KpiValue.objects.get(kpi=cost, period_start=date(2026, 1, 1))
    assert entry.value == 97 and entry.revision == 1
    last = entry.history.first()
    assert (last.history_user, last.history_change_reason) == (world.user("bob"),
                                                               "imported from a file")
    assert entry.history.last().value == 98


def test_another_partnerships_kpi_is_unknown(world, make_kpi):
    make_kpi("Beta only", partnership="Beta", user="carol")
    result = _import(world, HEADER + "Beta only,2026-Q1,1,,\n")
    assert 'unknown KPI "Beta only"' in _problems(result)[0][1]


def test_export_then_import_is_a_round_trip_in_csv(world, make_kpi, record):
    cost = make_kpi("Cost")
    jobs = make_kpi("=Jobs", direction="higher", period="monthly", baseline=1, target=9)
    record(cost, date(2026, 1, 1), "98.25", note="-2 after audit, see \"report\"",
           source="@finance")
    record(cost, date(2026, 4, 1), 96, note="line one\nline two")
    record(jobs, date(2026, 3, 1), -4)
    frame = values_frame(partnership=world.partnerships["Alpha"])
    text = values_csv(frame)
    lines = text.splitlines()
    assert lines[0] == "kpi,period,value,note,source"
    assert lines[1].startswith("'=Jobs,2026-03,-4,,")  # formula guard on text, not numbers
    assert "'-2 after audit" in text and "'@finance" in text
    assert "Cost,2026-Q2,96," in text
    result = _import(world, text)
    assert (result.ok, result.created, result.corrected, result.unchanged) == (True, 0, 0, 3)
    # into an empty partnership with KPIs of the same names: the same values
    KpiValue.objects.all().delete()
    assert _import(world, text).created == 3
    again = values_frame(partnership=world.partnerships["Alpha"])
    pd.testing.assert_frame_equal(frame, again)


def test_export_then_import_is_a_round_trip_in_xlsx(world, make_kpi, record):
    cost = make_kpi("Cost")
    record(cost, date(2026, 1, 1), "98.25", note="=1+1")
    record(cost, date(2026, 4, 1), 96)
    frame = values_frame(partnership=world.partnerships["Alpha"])
    book = values_xlsx(frame, partnership_name="Alpha")
    sheet = load_workbook(io.BytesIO(book))["values"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("kpi", "period", "value", "note", "source")
    assert rows[1][:4] == ("Cost", "2026-Q1", 98.25, "'=1+1")  # never a formula
    result = _import(world, book, workbook=True)
    assert (result.ok, result.unchanged) == (True, 2), result.errors
    KpiValue.objects.all().delete()
    assert _import(world, book, workbook=True).created == 2
    assert KpiValue.objects.get(period_start=date(2026, 1, 1)).note == "=1+1"


def test_a_workbook_is_checked_like_a_csv(world, make_kpi):
    make_kpi("Cost")
    book = Workbook()
    sheet = book.active
    sheet.append(["KPI", "Period", "Value"])
    sheet.append(["Cost", "2026-Q1", 98])
    sheet.append([])
    sheet.append(["Cost", date(2026, 4, 1), "n/a"])  # a date cell is read as its day
    buffer = io.BytesIO()
    book.save(buffer)
    result = _import(world, buffer.getvalue(), workbook=True)
    assert _problems(result) == [(4, 'value "n/a" is not a number (write it with a point for '
                                     'decimals and no thousands separators, e.g. 1234.5)')]
    broken = _import(world, b"PK\x03\x04 not really a workbook", workbook=True)
    assert "cannot be read as an Excel workbook" in _problems(broken)[0][1]
    assert KpiValue.objects.count() == 0
