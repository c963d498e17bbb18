"""Thin writers for the researchers' downloads: a DataFrame in, CSV or XLSX bytes out.

The tables are built in :mod:`assessments.research`; these functions only
format them. CSV is UTF-8 with a byte-order mark (so spreadsheet programs read
accents right) and keeps every text as it is; in XLSX, text a spreadsheet
would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return) gets a leading apostrophe and is stored as text.
"""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    """A value openpyxl can store safely: no NaN/NA, no formula from text."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, str):
        return "'" + value if value.startswith(_FORMULA_START) else value
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def frame_to_csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


def frame_to_xlsx(frame: pd.DataFrame, *, sheet: str, notes: list[tuple[str, str]]) -> bytes:
    """One sheet with the table (bold header, frozen), and a README sheet of ``notes``."""
    book = Workbook()
    ws = book.active
    ws.title = sheet[:31]
    ws.append([_cell(str(c)) for c in frame.columns])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in frame.itertuples(index=False, name=None):
        ws.append([_cell(v) for v in row])
    for column in ws.columns:
        cells = [c for c in column if c.value is not None]
        longest = max((len(str(c.value)) for c in cells), default=8)
        ws.column_dimensions[column[0].column_letter].width = min(max(10, longest + 2), 60)
        for c in column:
            if isinstance(c.value, str):
                c.data_type = "s"
    ws.freeze_panes = "A2"
    readme = book.create_sheet("README")
    for key, value in notes:
        readme.append([_cell(key), _cell(value)])
        readme.cell(row=readme.max_row, column=1).font = Font(bold=True)
    readme.column_dimensions["A"].width = 28
    readme.column_dimensions["B"].width = 100
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
