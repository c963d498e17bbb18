"""Answers as CSV: the interchange shape of ``spec/scoring.md``, read and written.

Pure (no ORM): the import service, the ``score`` command and the exports call
these with bytes or text and plain data.

The file is UTF-8 (a byte-order mark is accepted), with a header row and one row
per agency and item::

    agency,service,item,value,comment

Reading is all or nothing: :func:`parse_answers_csv` lists every problem with
its line number, and when there is any, ``rows`` is empty and ``ok`` False, so
a caller cannot half-import a file. Decisions the spec leaves open:

* Header names are matched without regard to case or surrounding spaces, in
  any order. ``agency``, ``item`` and ``value`` are required, and ``service``
  too when ``require_service``; ``service`` and ``comment`` may otherwise be
  left out. A column the format does not know is refused (so a misspelt
  ``coment`` cannot silently drop evidence), as is a column named twice.
* Lines are physical lines of the file (the header is line 1); a record whose
  quoted comment spans lines is reported at the line where it starts.
* Blank lines, and rows whose every field is blank, are skipped. A row may
  leave out trailing blank fields; a row with more fields than the header is
  refused (usually a comment with a comma, not in quotes).
* Every field is stripped of surrounding whitespace; line breaks inside a
  comment become ``\\n``.
* ``value``: blank is "Don't know"; otherwise a whole number from 1 to 5,
  written ``4`` or ``4.0`` (not ``4.5``, ``four`` or ``0``).
* ``item`` codes and ``service`` names are matched without regard to case
  (``e1`` is ``E1``; ``Local authority`` is ``local_authority``) and stored
  in their canonical spelling.
* One agency naming two different services is refused; the same agency
  answering the same item twice is refused, naming both lines.
* Writing keeps every text exactly as it is, including comments that begin
  with ``=``, ``+``, ``-`` or ``@``, which spreadsheets may read as formulas:
  this file is for moving data between systems, and a round trip must give
  back the same answers. Anything that shows comments in a spreadsheet for
  people (the XLSX export) must neutralise them there.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

import pandas as pd

from bluelight.csvkit import BOM, CsvError

COLUMNS = ("agency", "service", "item", "value", "comment")
REQUIRED = ("agency", "item", "value")
SERVICES = ("police", "fire", "ambulance", "local_authority", "other")
COMMENT_MAX = 2000
AGENCY_MAX = 200

_WHOLE_NUMBER = re.compile(r"[0-9]+(?:\.0*)?")
_DONT_KNOW_HINT = '(leave blank for "Don\'t know")'


@dataclass(frozen=True)
class ParsedAnswers:
    """The answers read from a file, or the reasons it was refused.

    ``rows`` (columns agency, service, item, value, comment; value a float, NaN
    for "Don't know"; service and comment "" when blank) is empty whenever
    ``errors`` is not: use it only when ``ok``.
    """

    rows: pd.DataFrame
    errors: list[CsvError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _frame(columns: dict[str, list]) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(values, dtype="float64" if name == "value" else str)
                         for name, values in columns.items()})


def _refuse(errors: list[CsvError]) -> ParsedAnswers:
    return ParsedAnswers(rows=_frame({c: [] for c in COLUMNS}),
                         errors=sorted(errors, key=lambda e: e.line))


def _decode(data: bytes | str) -> tuple[str | None, CsvError | None]:
    if isinstance(data, str):
        return data.removeprefix(BOM), None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        return None, CsvError(line, "the file is not UTF-8 text; save it as \"CSV UTF-8\" and "
                                    "upload it again")
    return text.removeprefix(BOM), None


def _service(raw: str) -> str | None:
    """The canonical service name, "" for blank, None if not a service."""
    name = re.sub(r"[\s-]+", "_", raw.strip().lower())
    if not name:
        return ""
    return name if name in SERVICES else None


def _value(raw: str) -> float | None:
    """NaN for blank ("Don't know"), the whole number 1-5, or None if invalid."""
    if not raw:
        return math.nan
    if not _WHOLE_NUMBER.fullmatch(raw):
        return None
    number = int(raw.split(".")[0])
    return float(number) if 1 <= number <= 5 else None


def _header(row: list[str], require_service: bool) -> tuple[dict[str, int], list[str]]:
    """Column positions by name, and the problems with the header."""
    names = [name.strip().lower() for name in row]
    problems = []
    positions: dict[str, int] = {}
    for i, name in enumerate(names):
        if name in positions:
            problems.append(f'column "{name}" appears twice')
        positions.setdefault(name, i)
    required = REQUIRED + (("service",) if require_service else ())
    missing = [c for c in required if c not in positions]
    unknown = [n for n in positions if n not in COLUMNS]
    if missing:
        hint = ""
        if len(row) == 1 and ";" in row[0]:
            hint = " (the file seems to use semicolons: save it with commas between fields)"
        problems.append(f"the header must name the columns {','.join(COLUMNS)}; missing: "
                        f"{', '.join(missing)}{hint}")
    if unknown:
        shown = ", ".join(f'"{n}"' for n in unknown)
        problems.append(f"unknown column(s) {shown}; the columns are {','.join(COLUMNS)}")
    return positions, problems


def parse_answers_csv(data: bytes | str, *, item_codes: Collection[str],
                      require_service: bool = False) -> ParsedAnswers:
    """Read answers from the interchange CSV, checking every row against the framework.

    ``item_codes``: the codes of the framework's items. ``require_service``: a
    blank service is an error (when the import creates agencies). Never raises
    for bad content: every problem becomes a :class:`CsvError`.
    """
    text, error = _decode(data)
    if error is not None or text is None:
        return _refuse([error or CsvError(1, "the file cannot be read")])
    fold = len({code.upper() for code in item_codes}) == len(set(item_codes))
    canonical = {(code.upper() if fold else code): code for code in item_codes}

    errors: list[CsvError] = []
    records: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    end = 0  # the line the previous record ended on
    while True:
        start = end + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(CsvError(start, f"this line is not valid CSV ({exc}); check the "
                                          "quotes around the comment"))
            end = reader.line_num
            continue
        end = reader.line_num
        if any(cell.strip() for cell in row):
            records.append((start, row))

    if not records:  # (a broken record is reported instead of an empty file)
        return _refuse(errors or [CsvError(1, "the file has no answers")])
    header_line, header_row = records[0]
    positions, problems = _header(header_row, require_service)
    errors += [CsvError(header_line, p) for p in problems]
    if any(c not in positions for c in REQUIRED):
        return _refuse(errors)  # without its columns, the rows cannot be read
    if len(records) == 1 and not errors:
        errors.append(CsvError(header_line, "the file has no answers"))

    out: dict[str, list] = {c: [] for c in COLUMNS}
    first_line: dict[tuple[str, str], int] = {}
    service_of: dict[str, tuple[str, int]] = {}
    width = len(header_row)
    for line, row in records[1:]:
        if len(row) > width:
            errors.append(CsvError(line, f"this row has {len(row)} fields but the header has "
                                         f"{width}; put a comment containing commas in "
                                         "double quotes"))
            continue
        row = row + [""] * (width - len(row))  # trailing blank fields left out
        if any("\x00" in field for field in row):
            # A NUL character is never text: no database can store it.
            errors.append(CsvError(line, "this row contains a NUL character; the file may be "
                                         "damaged or not a text file"))
            continue

        def cell(name: str, row: list[str] = row) -> str:
            return row[positions[name]].strip() if name in positions else ""

        agency = cell("agency")
        if not agency:
            errors.append(CsvError(line, "the agency is blank"))
        elif len(agency) > AGENCY_MAX:
            errors.append(CsvError(line, f"the agency name is {len(agency)} characters long; "
                                         f"the limit is {AGENCY_MAX}"))
        elif "\n" in agency or "\r" in agency:
            errors.append(CsvError(line, "the agency name runs over more than one line"))

        raw_service = cell("service")
        service = _service(raw_service)
        if service is None:
            errors.append(CsvError(line, f'unknown service "{raw_service}" (use one of '
                                         f"{', '.join(SERVICES)})"))
        elif not service and require_service:
            errors.append(CsvError(line, f"the service is blank (use one of "
                                         f"{', '.join(SERVICES)})"))
        elif service and agency:
            earlier = service_of.setdefault(agency, (service, line))
            if earlier[0] != service:
                errors.append(CsvError(line, f'agency "{agency}" is "{service}" here but '
                                             f'"{earlier[0]}" on line {earlier[1]}'))

        raw_item = cell("item")
        item = canonical.get(raw_item.upper() if fold else raw_item)
        if not raw_item:
            errors.append(CsvError(line, "the item is blank"))
        elif item is None:
            errors.append(CsvError(line, f'unknown item "{raw_item}" (not in this framework)'))
        elif agency:
            seen = first_line.setdefault((agency, item), line)
            if seen != line:
                errors.append(CsvError(line, f'agency "{agency}" answers item "{item}" twice '
                                             f"(lines {seen} and {line})"))

        raw_value = cell("value")
        value = _value(raw_value)
        if value is None:
            errors.append(CsvError(line, f'value "{raw_value}" is not a whole number from 1 '
                                         f"to 5 {_DONT_KNOW_HINT}"))

        comment = cell("comment").replace("\r\n", "\n").replace("\r", "\n")
        if len(comment) > COMMENT_MAX:
            errors.append(CsvError(line, f"the comment is {len(comment)} characters long; "
                                         f"the limit is {COMMENT_MAX}"))

        out["agency"].append(agency)
        out["service"].append(service or "")
        out["item"].append(item)
        out["value"].append(value)
        out["comment"].append(comment)

    if errors:
        return _refuse(errors)
    return ParsedAnswers(rows=_frame(out), errors=[])


def _natural(code: str) -> tuple:
    """Sort key putting E2 before E10."""
    return tuple(int(part) if part.isdigit() else part
                 for part in re.split(r"(\d+)", str(code)))


def _format_value(value: object) -> str:
    if value is None or pd.isna(value):
        return ""
    number = float(value)  # type: ignore[arg-type]
    return str(int(number)) if number.is_integer() else repr(number)


def answers_to_csv(df: pd.DataFrame, *, item_order: Sequence[str] | None = None) -> str:
    """Write answers in the interchange shape, sorted by agency, then item.

    ``df``: columns agency, item, value (NaN = "Don't know"); service and
    comment optional. Items follow ``item_order`` (others after, naturally
    sorted), else natural order (E2 before E10). Values are written as whole
    numbers (4, not 4.0) and "Don't know" as blank. Rows read by
    :func:`parse_answers_csv` and written here read back identical.
    """
    rank = {code: i for i, code in enumerate(item_order or ())}
    frame = df.reset_index(drop=True)

    def col(name: str) -> list:
        return frame[name].tolist() if name in frame.columns else [""] * len(frame)

    rows = zip(col("agency"), col("service"), col("item"), col("value"), col("comment"),
               strict=True)

    def key(row: tuple) -> tuple:
        item = row[2]
        return (str(row[0]), rank.get(item, len(rank)), _natural(item))

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for agency, service, item, value, comment in sorted(rows, key=key):
        writer.writerow([agency, "" if pd.isna(service) else service, item,
                         _format_value(value), "" if pd.isna(comment) else comment])
    return buffer.getvalue()
