"""The CSV toolkit shared by every importer and every CSV download.

Reading (both importers, :func:`read`): the bytes are decoded as UTF-8 (a
byte-order mark is accepted; anything else is refused with the line of the
first bad byte), then read record by record, each with the physical line it
starts on (the header is line 1), taken while reading. Blank records are
skipped; a record that is not valid CSV, or holds a NUL character (never
text: no database stores it), is a problem at its line. Problems are
:class:`CsvError` values collected by :class:`Problems`, which stops a parser
once a file is hopeless (:data:`STOP_AFTER` problems), and a page lists the
first :data:`LISTED` of them (:func:`listing`).

Writing (every CSV a person may open): a text cell that a spreadsheet would
run as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return) gets a leading apostrophe (:func:`guard`). So that the guard
can be undone exactly, a text starting with apostrophes followed by one of
those characters gets one more apostrophe too. The importers undo exactly that
(:func:`unguard`): export then import gives back the same text, byte for byte.
Numbers are never guarded.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import pandas as pd
from django.utils.translation import gettext as _

BOM = "\ufeff"
# Spreadsheets run a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
LISTED = 200  # problems an upload page lists (it counts the rest)
STOP_AFTER = 1000  # a parser stops checking a file after this many problems


@dataclass(frozen=True)
class CsvError:
    """One problem, at a physical line of the file (the header is line 1)."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


# --------------------------------------------------------------------------- formula guard


def needs_guard(text: str) -> bool:
    """True for text a spreadsheet would run as a formula, or that starts with
    apostrophes followed by such text (so that :func:`unguard` is exact)."""
    return text.lstrip("'").startswith(FORMULA_START)


def guard(value):
    """The cell as written to a CSV a person may open: risky text gets an apostrophe."""
    if isinstance(value, str) and needs_guard(value):
        return "'" + value
    return value


def unguard(text: str) -> str:
    """Undo :func:`guard`: one leading apostrophe goes when what follows is guarded."""
    if text.startswith("'") and needs_guard(text[1:]):
        return text[1:]
    return text


def clean(raw: str) -> str:
    """A cell as an importer reads it: surrounding white space off, then the guard undone."""
    return unguard(raw.strip())


def write_rows(header: Sequence[str], rows: Iterable[Sequence], *,
               lineterminator: str = "\r\n") -> str:
    """CSV text of a header and rows, every text cell guarded."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=lineterminator)
    writer.writerow([guard(name) for name in header])
    writer.writerows([guard(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def frame_to_csv(frame: pd.DataFrame) -> bytes:
    """A table as a CSV download: UTF-8 with a byte-order mark (so spreadsheet programs
    read accents right), every text cell guarded, numbers as they are."""
    safe = frame.copy()
    for name in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[name]):
            safe[name] = safe[name].map(guard)
    safe.columns = [guard(str(c)) for c in frame.columns]
    return safe.to_csv(index=False, lineterminator="\n").encode("utf-8-sig")


# --------------------------------------------------------------------------- reading


@dataclass
class Problems:
    """A file's problems in the order found; ``full`` once there are ``stop_after``
    of them, when a parser should stop checking (the file is hopeless)."""

    errors: list[CsvError] = field(default_factory=list)
    stop_after: int = STOP_AFTER
    stopped_at: int | None = None  # the line a parser stopped at, if it stopped early

    def add(self, line: int, message: str) -> None:
        self.errors.append(CsvError(line, message))

    @property
    def full(self) -> bool:
        return len(self.errors) >= self.stop_after

    def stop(self, line: int) -> None:
        self.stopped_at = line

    def __bool__(self) -> bool:
        return bool(self.errors)

    def sorted(self) -> list[CsvError]:
        return sorted(self.errors, key=lambda e: e.line)


def decode(data: bytes | str) -> tuple[str | None, CsvError | None]:
    """The file's text without a byte-order mark, or the problem at its first bad byte."""
    if isinstance(data, str):
        return data.removeprefix(BOM), None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        return None, CsvError(line, _('the file is not UTF-8 text; save it as "CSV UTF-8" '
                                      "and upload it again"))
    return text.removeprefix(BOM), None


def records(text: str, problems: Problems) -> Iterator[tuple[int, list[str]]]:
    """The non-blank records of ``text``, each with the physical line it starts on.

    A record that is not valid CSV, or that holds a NUL character, is added to
    ``problems`` at its line and left out. Stops when ``problems`` is full.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    has_nul = "\x00" in text
    end = 0  # the line the previous record ended on
    while not problems.full:
        start = end + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problems.add(start, _("this line is not valid CSV (%(why)s); check the quotes "
                                  "around any text with commas or line breaks") % {"why": exc})
            end = reader.line_num
            continue
        end = reader.line_num
        if has_nul and any("\x00" in cell for cell in row):
            problems.add(start, _("this row contains a NUL character; the file may be "
                                  "damaged or not a text file"))
            continue
        if any(cell.strip() for cell in row):
            yield start, row
    try:
        more = any(any(cell.strip() for cell in row) for row in reader)
    except csv.Error:
        more = True
    if more:
        problems.stop(end + 1)  # the file was not checked to its end


def read(data: bytes | str, problems: Problems) -> list[tuple[int, list[str]]]:
    """Decode ``data`` and read its non-blank records with their lines (see :func:`records`).

    Problems (not UTF-8, not CSV, NUL) go to ``problems``; a file that cannot be
    decoded gives no records.
    """
    text, error = decode(data)
    if error is not None or text is None:
        problems.errors.append(error or CsvError(1, _("the file cannot be read")))
        return []
    return list(records(text, problems))


def header_names(row: Sequence[str]) -> list[str]:
    """A header row's names as matched: without case, surrounding spaces or a stray BOM."""
    return [name.strip().removeprefix(BOM).strip().lower() for name in row]


def pad(row: list[str], width: int) -> list[str]:
    """A row with its left-out trailing blank fields put back."""
    return row + [""] * (width - len(row)) if len(row) < width else row


# --------------------------------------------------------------------------- listing


@dataclass(frozen=True)
class Listing:
    """What an upload page shows of a refused file's problems."""

    shown: list[CsvError]
    total: int  # problems found (at least this many when not ``complete``)
    complete: bool  # False when checking stopped early
    stopped_at: int | None = None

    @property
    def more(self) -> int:
        return self.total - len(self.shown)


def listing(errors: Sequence[CsvError], *, stopped_at: int | None = None,
            shown: int = LISTED) -> Listing:
    """The first ``shown`` problems by line, and how many more (``stopped_at``: the line a
    parser stopped checking at, when it stopped early)."""
    ordered = sorted(errors, key=lambda e: e.line)
    return Listing(shown=ordered[:shown], total=len(ordered), complete=stopped_at is None,
                   stopped_at=stopped_at)
