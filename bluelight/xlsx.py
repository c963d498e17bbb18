"""One XLSX writer for every workbook: DataFrames in, workbook bytes out.

Each :class:`Sheet` is a table with a bold, frozen header row, or a notes
sheet (no header, the first column bold). Columns are as wide as their text
(within limits); named columns wrap. Every text cell is stored as text, and
text a spreadsheet would run as a formula is guarded as in CSV downloads
(:func:`bluelight.csvkit.guard`): nothing in a workbook is a formula.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from bluelight.csvkit import guard

MIN_WIDTH, MAX_WIDTH = 10, 80
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass(frozen=True)
class Sheet:
    name: str  # at most 31 characters are kept
    frame: pd.DataFrame
    header: bool = True  # False: a notes sheet, without a header, its first column bold
    wrap: Sequence[str] = ()  # columns whose text wraps


def notes(name: str, rows: Iterable[tuple[str, object]]) -> Sheet:
    """A notes sheet (README): one (name, value) pair a row."""
    return Sheet(name, pd.DataFrame(list(rows), columns=["", "value"]), header=False)


def cell(value):
    """A value openpyxl stores as it is: no NaN or NA (empty), no numpy scalar, no formula."""
    if isinstance(value, str):
        return guard(value)
    if value is None or (pd.api.types.is_scalar(value) and pd.isna(value)):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _width(values: Iterable) -> int:
    longest = max((len(line) for v in values if v is not None
                   for line in str(v).split("\n")), default=0)
    return min(max(MIN_WIDTH, longest + 2), MAX_WIDTH)


def workbook(sheets: Iterable[Sheet]) -> bytes:
    """The sheets, in order, as XLSX bytes."""
    book = Workbook()
    book.remove(book.active)
    for sheet in sheets:
        ws = book.create_sheet(sheet.name[:31])
        columns = [str(c) for c in sheet.frame.columns]
        if sheet.header:
            ws.append([cell(c) for c in columns])
            for header_cell in ws[1]:
                header_cell.font = BOLD
            ws.freeze_panes = "A2"
        for row in sheet.frame.itertuples(index=False, name=None):
            ws.append([cell(v) for v in row])
        if not columns:
            continue
        for k, column in enumerate(ws.iter_cols(min_col=1, max_col=len(columns))):
            ws.column_dimensions[column[0].column_letter].width = _width(c.value for c in column)
            wrap = columns[k] in sheet.wrap or (not sheet.header and k == len(columns) - 1)
            for c in column:
                if isinstance(c.value, str):
                    c.data_type = "s"
                if wrap:
                    c.alignment = WRAP
                elif not sheet.header and k == 0:
                    c.font = BOLD
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
