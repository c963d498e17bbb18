"""A partnership's KPI values as a file: export (CSV, XLSX) and import (all or nothing).

The file has a header row and one row per KPI and period::

    kpi,period,value,note,source

* ``kpi``: the KPI's name as the partnership defined it (matched without regard to
  case or repeated spaces); ``period``: as :func:`assessments.kpis.periods.code`
  writes it ("2026-03", "2026-Q1", "2026"; the period's first day and its English
  label are read too); ``value``: a number (a point for decimals, at most 4
  decimals, no thousands separators); ``note`` and ``source`` optional.
* Header names are matched without regard to case, in any order; ``kpi``,
  ``period`` and ``value`` are required; a column the format does not know, or one
  named twice, refuses the file.
* Reading is all or nothing: every problem is listed with its line (the header is
  line 1; in a workbook, the row number of its first sheet), and nothing is written
  unless there is none. The same KPI and period twice in one file is a problem.
* A period that already has a value: the same value (and note and source) is left
  as it is; a different one is refused unless the person asks to correct such values,
  and then each is a correction recorded in its history ("imported from a file").
* Writing guards text a spreadsheet would run as a formula (:mod:`bluelight.csvkit`);
  reading undoes exactly that guard, so an export imports back unchanged.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import pandas as pd
from django.db import transaction
from django.utils.translation import gettext as _

from assessments.kpis import periods
from assessments.kpis.models import Kpi, KpiValue
from assessments.kpis.selectors import show
from bluelight import xlsx
from bluelight.csvkit import CsvError, Problems, clean, header_names, pad, read, write_rows

COLUMNS = ("kpi", "period", "value", "note", "source")
REQUIRED = ("kpi", "period", "value")
IMPORT_REASON = "imported from a file"
NOTE_MAX = KpiValue._meta.get_field("note").max_length
SOURCE_MAX = KpiValue._meta.get_field("source").max_length
DECIMALS = KpiValue._meta.get_field("value").decimal_places
WHOLE_DIGITS = KpiValue._meta.get_field("value").max_digits - DECIMALS

_NUMBER = re.compile(r"[+-]?(\d+)(?:\.(\d*))?|[+-]?\.(\d+)")


def _key(name: str) -> str:
    return " ".join(str(name).split()).casefold()


# --------------------------------------------------------------------------- export


def values_frame(*, partnership) -> pd.DataFrame:
    """Every value of the partnership's KPIs, by KPI name then period (one query)."""
    rows = (KpiValue.objects.filter(kpi__partnership=partnership)
            .order_by("kpi__name", "kpi_id", "period_start")
            .values_list("kpi__name", "kpi__period", "period_start", "value", "note", "source"))
    return pd.DataFrame(
        [(name, periods.code(start, period), Decimal(show(value)), note, source)
         for name, period, start, value, note, source in rows],
        columns=list(COLUMNS))


def values_csv(frame: pd.DataFrame) -> str:
    return write_rows(COLUMNS, frame.itertuples(index=False, name=None))


def values_xlsx(frame: pd.DataFrame, *, partnership_name: str) -> bytes:
    data = frame.assign(value=frame["value"].map(float))
    return xlsx.workbook([
        xlsx.Sheet("values", data, wrap=("note",)),
        xlsx.notes("README", [
            (_("Partnership"), partnership_name),
            (_("Columns"), ", ".join(COLUMNS)),
            (_("Periods"), _("Monthly KPIs: 2026-03; quarterly: 2026-Q1; yearly: 2026.")),
            (_("Import"), _("Upload this workbook (its first sheet) or a CSV file with the "
                            "same columns on the partnership's import page.")),
        ]),
    ])


# --------------------------------------------------------------------------- reading


def _xlsx_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        rounded = round(value, DECIMALS)
        return str(int(rounded)) if rounded.is_integer() else format(rounded, "f").rstrip("0")
    return str(value)


def read_xlsx(data: bytes, problems: Problems) -> list[tuple[int, list[str]]]:
    """The non-blank rows of a workbook's first sheet, with their row numbers."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        problems.add(1, _("the file cannot be read as an Excel workbook (.xlsx); save it as "
                          "an .xlsx workbook or as CSV UTF-8 and upload it again"))
        return []
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            return []
        out = []
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = [_xlsx_text(v) for v in row]
            while cells and not cells[-1].strip():
                cells.pop()
            if any(c.strip() for c in cells):
                out.append((number, cells))
            if len(out) > 100_000:
                problems.add(number, _("the workbook has too many rows"))
                return []
        return out
    finally:
        book.close()


def _value(raw: str) -> tuple[Decimal | None, str]:
    """The number, or None with the reason."""
    match = _NUMBER.fullmatch(raw)
    if not raw:
        return None, _("the value is blank")
    if match is None:
        return None, _('value "%(value)s" is not a number (write it with a point for '
                       'decimals and no thousands separators, e.g. 1234.5)') % {"value": raw}
    whole = match[1] or ""
    decimals = match[2] or match[3] or ""
    if len(whole.lstrip("0")) > WHOLE_DIGITS:
        return None, _('value "%(value)s" is too large') % {"value": raw}
    if len(decimals.rstrip("0")) > DECIMALS:
        return None, _('value "%(value)s" has more than %(n)s decimals') % {
            "value": raw, "n": DECIMALS}
    try:
        return Decimal(raw), ""
    except InvalidOperation:  # pragma: no cover - the pattern only lets numbers through
        return None, _('value "%(value)s" is not a number') % {"value": raw}


@dataclass(frozen=True)
class Row:
    line: int
    kpi: Kpi
    period_start: date
    value: Decimal
    note: str
    source: str


@dataclass
class ValuesImport:
    """What an import did, or its problems (then nothing was written)."""

    errors: list[CsvError] = field(default_factory=list)
    stopped_at: int | None = None
    created: int = 0
    corrected: int = 0
    unchanged: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(raw: str) -> str:
    text = clean(raw)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_values(records: list[tuple[int, list[str]]], *, kpis: dict[str, Kpi],
                 problems: Problems) -> list[Row]:
    """Check every row of a file against the partnership's KPIs (``kpis``: by
    :func:`_key` of their names); problems go to ``problems``."""
    if not records:
        if not problems:
            problems.add(1, _("the file has no values"))
        return []
    header_line, header = records[0]
    names = header_names(header)
    positions: dict[str, int] = {}
    for i, name in enumerate(names):
        if name in positions:
            problems.add(header_line, _('column "%(name)s" appears twice') % {"name": name})
        positions.setdefault(name, i)
    missing = [c for c in REQUIRED if c not in positions]
    unknown = [n for n in positions if n not in COLUMNS]
    if missing:
        problems.add(header_line, _("the header must name the columns %(columns)s; missing: "
                                    "%(missing)s") % {"columns": ",".join(COLUMNS),
                                                      "missing": ", ".join(missing)})
    if unknown:
        problems.add(header_line, _("unknown column(s) %(names)s; the columns are "
                                    "%(columns)s") % {
            "names": ", ".join(f'"{n}"' for n in unknown), "columns": ",".join(COLUMNS)})
    if missing or unknown:
        return []
    known = ", ".join(sorted((k.name for k in kpis.values()), key=str.casefold)) or _("none")
    width = len(header)
    seen: dict[tuple[int, date], int] = {}
    out = []
    for line, row in records[1:]:
        if len(row) > width:
            problems.add(line, _("this row has %(n)d fields but the header has %(width)d; put "
                                 "a note containing commas in double quotes")
                         % {"n": len(row), "width": width})
            continue
        row = pad(row, width)
        before = len(problems.errors)
        name = clean(row[positions["kpi"]])
        kpi = kpis.get(_key(name))
        if not name:
            problems.add(line, _("the KPI is blank"))
        elif kpi is None:
            problems.add(line, _('unknown KPI "%(name)s" (the partnership\'s KPIs are '
                                 '%(known)s)') % {"name": name, "known": known})
        raw_period = clean(row[positions["period"]])
        start = None
        if not raw_period:
            problems.add(line, _("the period is blank"))
        elif kpi is not None:
            start = periods.parse(raw_period, kpi.period)
            if start is None:
                problems.add(line, _('period "%(period)s" is not a %(kind)s period (write it '
                                     'like %(example)s)') % {
                    "period": raw_period, "kind": kpi.get_period_display().lower(),
                    "example": periods.example(kpi.period)})
        value, why = _value(clean(row[positions["value"]]))
        if value is None:
            problems.add(line, why)
        note = _text(row[positions["note"]]) if "note" in positions else ""
        source = _text(row[positions["source"]]) if "source" in positions else ""
        if len(note) > NOTE_MAX:
            problems.add(line, _("the note is %(n)d characters long; the limit is %(limit)d")
                         % {"n": len(note), "limit": NOTE_MAX})
        if len(source) > SOURCE_MAX:
            problems.add(line, _("the source is %(n)d characters long; the limit is "
                                 "%(limit)d") % {"n": len(source), "limit": SOURCE_MAX})
        if kpi is not None and start is not None:
            first = seen.setdefault((kpi.pk, start), line)
            if first != line:
                problems.add(line, _('KPI "%(name)s" has a value for %(period)s twice (lines '
                                     '%(a)d and %(b)d)') % {
                    "name": kpi.name, "period": periods.label(start, kpi.period), "a": first,
                    "b": line})
        if len(problems.errors) == before and not problems:
            out.append(Row(line, kpi, start, value, note, source))
        if problems.full:
            problems.stop(line)
            break
    if len(records) == 1 and not problems:
        problems.add(header_line, _("the file has no values"))
    return out


@transaction.atomic
def values_import(*, partnership, user, data: bytes, workbook: bool,
                  correct: bool = False) -> ValuesImport:
    """Check a file of values against the partnership's KPIs and, if nothing is wrong,
    record them (see the module). ``correct``: replace values that differ."""
    problems = Problems()
    records = read_xlsx(data, problems) if workbook else read(data, problems)
    kpis = {_key(k.name): k for k in
            Kpi.objects.select_for_update().filter(partnership=partnership).order_by("pk")}
    rows = parse_values(records, kpis=kpis, problems=problems) if not problems else []
    if problems:
        return ValuesImport(errors=problems.sorted(), stopped_at=problems.stopped_at)
    stored = {(v.kpi_id, v.period_start): v for v in
              KpiValue.objects.select_for_update().filter(kpi__partnership=partnership)}
    result = ValuesImport()
    changes = []
    for row in rows:
        existing = stored.get((row.kpi.pk, row.period_start))
        if existing is None:
            changes.append((row, None))
        elif (existing.value, existing.note, existing.source) == (row.value, row.note,
                                                                  row.source):
            result.unchanged += 1
        elif not correct:
            problems.add(row.line, _(
                'KPI "%(name)s" already has a value for %(period)s (%(value)s); tick '
                '“Correct values that differ” to replace it (the earlier value is kept in '
                'its history)') % {"name": row.kpi.name,
                                   "period": periods.label(row.period_start, row.kpi.period),
                                   "value": show(existing.value)})
        else:
            changes.append((row, existing))
    if problems:
        return ValuesImport(errors=problems.sorted())
    for row, existing in changes:
        entry = existing or KpiValue(kpi=row.kpi, period_start=row.period_start,
                                     recorded_by=user)
        entry.value, entry.note, entry.source = row.value, row.note, row.source
        if existing is not None:
            entry.revision += 1
            entry._change_reason = IMPORT_REASON
            result.corrected += 1
        else:
            result.created += 1
        entry._history_user = user
        entry.save()
    return result
