"""Answers as CSV: the interchange shape of ``docs/scoring-method.md``, read and written.

No queries: the import service, the ``score`` command and the exports call
these with bytes or text and plain data (the limits are the models').

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
* Problems are listed in line order; a file with :data:`bluelight.csvkit.STOP_AFTER`
  problems is not checked further (``stopped_at`` says where checking stopped).
* Writing guards text a spreadsheet would run as a formula (a comment or an
  agency name starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return gets a leading apostrophe, see :mod:`bluelight.csvkit`), and reading
  undoes exactly that guard: a round trip gives back the same answers, byte
  for byte.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

import pandas as pd
from django.utils.translation import gettext as _

from assessments.models import COMMENT_MAX, Agency
from bluelight.choices import Service
from bluelight.csvkit import (
    CsvError,
    Problems,
    clean,
    decode,
    header_names,
    pad,
    records,
    unguard,
    write_rows,
)

COLUMNS = ("agency", "service", "item", "value", "comment")
REQUIRED = ("agency", "item", "value")
SERVICES = tuple(Service.values)
AGENCY_MAX = Agency._meta.get_field("name").max_length

_WHOLE_NUMBER = re.compile(r"[0-9]+(?:\.0*)?")


@dataclass(frozen=True)
class ParsedAnswers:
    """The answers read from a file, or the reasons it was refused.

    ``rows`` (columns agency, service, item, value, comment; value a float, NaN
    for "Don't know"; service and comment "" when blank) is empty whenever
    ``errors`` is not: use it only when ``ok``. ``lines``: the line of the
    file each row starts on. ``stopped_at``: the line checking stopped at, when
    the file had too many problems to check it to its end.
    """

    rows: pd.DataFrame
    errors: list[CsvError] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    stopped_at: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors


def _frame(columns: dict[str, list]) -> pd.DataFrame:
    return pd.DataFrame({name: pd.Series(values, dtype="float64" if name == "value" else str)
                         for name, values in columns.items()})


def _refuse(problems: Problems) -> ParsedAnswers:
    return ParsedAnswers(rows=_frame({c: [] for c in COLUMNS}), errors=problems.sorted(),
                         stopped_at=problems.stopped_at)


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


def _comment(raw: str) -> str:
    """The comment as stored: line breaks as ``\\n``, but a leading character the
    formula guard protected (a carriage return too) kept exactly."""
    stripped = raw.strip()
    text = unguard(stripped)
    kept = text[:1] if text != stripped else ""
    return kept + text[len(kept):].replace("\r\n", "\n").replace("\r", "\n")


def _columns() -> str:
    return ",".join(COLUMNS)


def _header(row: list[str], require_service: bool) -> tuple[dict[str, int], list[str]]:
    """Column positions by name, and the problems with the header."""
    names = header_names(row)
    problems = []
    positions: dict[str, int] = {}
    for i, name in enumerate(names):
        if name in positions:
            problems.append(_('column "%(name)s" appears twice') % {"name": name})
        positions.setdefault(name, i)
    required = REQUIRED + (("service",) if require_service else ())
    missing = [c for c in required if c not in positions]
    unknown = [n for n in positions if n not in COLUMNS]
    if missing:
        hint = ""
        if len(row) == 1 and ";" in row[0]:
            hint = _(" (the file seems to use semicolons: save it with commas between fields)")
        problems.append(_("the header must name the columns %(columns)s; missing: "
                          "%(missing)s%(hint)s")
                        % {"columns": _columns(), "missing": ", ".join(missing), "hint": hint})
    if unknown:
        problems.append(_("unknown column(s) %(names)s; the columns are %(columns)s")
                        % {"names": ", ".join(f'"{n}"' for n in unknown),
                           "columns": _columns()})
    return positions, problems


def parse_answers_csv(data: bytes | str, *, item_codes: Collection[str],
                      require_service: bool = False) -> ParsedAnswers:
    """Read answers from the interchange CSV, checking every row against the framework.

    ``item_codes``: the codes of the framework's items. ``require_service``: a
    blank service is an error (when the import creates agencies). Never raises
    for bad content: every problem becomes a :class:`CsvError`.
    """
    problems = Problems()
    text, error = decode(data)
    if error is not None or text is None:
        problems.errors.append(error or CsvError(1, _("the file cannot be read")))
        return _refuse(problems)
    fold = len({code.upper() for code in item_codes}) == len(set(item_codes))
    canonical = {(code.upper() if fold else code): code for code in item_codes}

    rows = records(text, problems)
    first = next(rows, None)
    if first is None:  # (a broken record is reported instead of an empty file)
        if not problems:
            problems.add(1, _("the file has no answers"))
        return _refuse(problems)
    header_line, header_row = first
    positions, header_problems = _header(header_row, require_service)
    for problem in header_problems:
        problems.add(header_line, problem)
    if any(c not in positions for c in REQUIRED):
        return _refuse(problems)  # without its columns, the rows cannot be read

    services = ", ".join(SERVICES)
    out: dict[str, list] = {c: [] for c in COLUMNS}
    lines: list[int] = []
    first_line: dict[tuple[str, str], int] = {}
    service_of: dict[str, tuple[str, int]] = {}
    width = len(header_row)
    for line, row in rows:
        if len(row) > width:
            problems.add(line, _("this row has %(n)d fields but the header has %(width)d; put "
                                 "a comment containing commas in double quotes")
                         % {"n": len(row), "width": width})
            continue
        row = pad(row, width)

        def cell(name: str, row: list[str] = row) -> str:
            return clean(row[positions[name]]) if name in positions else ""

        agency = cell("agency")
        if not agency:
            problems.add(line, _("the agency is blank"))
        elif len(agency) > AGENCY_MAX:
            problems.add(line, _("the agency name is %(n)d characters long; the limit is "
                                 "%(limit)d") % {"n": len(agency), "limit": AGENCY_MAX})
        elif "\n" in agency or "\r" in agency:
            problems.add(line, _("the agency name runs over more than one line"))

        raw_service = cell("service")
        service = _service(raw_service)
        if service is None:
            problems.add(line, _('unknown service "%(service)s" (use one of %(services)s)')
                         % {"service": raw_service, "services": services})
        elif not service and require_service:
            problems.add(line, _("the service is blank (use one of %(services)s)")
                         % {"services": services})
        elif service and agency:
            earlier = service_of.setdefault(agency, (service, line))
            if earlier[0] != service:
                problems.add(line, _('agency "%(agency)s" is "%(service)s" here but '
                                     '"%(earlier)s" on line %(line)d')
                             % {"agency": agency, "service": service, "earlier": earlier[0],
                                "line": earlier[1]})

        raw_item = cell("item")
        item = canonical.get(raw_item.upper() if fold else raw_item)
        if not raw_item:
            problems.add(line, _("the item is blank"))
        elif item is None:
            problems.add(line, _('unknown item "%(item)s" (not in this framework)')
                         % {"item": raw_item})
        elif agency:
            seen = first_line.setdefault((agency, item), line)
            if seen != line:
                problems.add(line, _('agency "%(agency)s" answers item "%(item)s" twice '
                                     "(lines %(a)d and %(b)d)")
                             % {"agency": agency, "item": item, "a": seen, "b": line})

        raw_value = cell("value")
        value = _value(raw_value)
        if value is None:
            problems.add(line, _('value "%(value)s" is not a whole number from 1 to 5 (leave '
                                 'blank for "Don\'t know")') % {"value": raw_value})

        comment = _comment(row[positions["comment"]]) if "comment" in positions else ""
        if len(comment) > COMMENT_MAX:
            problems.add(line, _("the comment is %(n)d characters long; the limit is "
                                 "%(limit)d") % {"n": len(comment), "limit": COMMENT_MAX})

        if not problems:
            lines.append(line)
            out["agency"].append(agency)
            out["service"].append(service or "")
            out["item"].append(item)
            out["value"].append(value)
            out["comment"].append(comment)

    if not lines and not problems:
        problems.add(header_line, _("the file has no answers"))
    if problems:
        return _refuse(problems)
    return ParsedAnswers(rows=_frame(out), errors=[], lines=lines)


def _natural(code: str) -> tuple:
    """Sort key putting E2 before E10."""
    return tuple(int(part) if part.isdigit() else part
                 for part in re.split(r"(\d+)", str(code)))


def _format_value(value: object) -> str:
    if value is None or pd.isna(value):
        return ""
    number = float(value)  # type: ignore[arg-type]
    return str(int(number)) if number.is_integer() else repr(number)


def answers_to_csv(df: pd.DataFrame, *, item_order: Sequence[str] | None = None,
                   comments: bool = True) -> str:
    """Write answers in the interchange shape, sorted by agency, then item.

    ``df``: columns agency, item, value (NaN = "Don't know"); service and
    comment optional. Items follow ``item_order`` (others after, naturally
    sorted), else natural order (E2 before E10). Values are written as whole
    numbers (4, not 4.0) and "Don't know" as blank; text a spreadsheet would
    run as a formula is guarded. Rows read by :func:`parse_answers_csv` and
    written here read back identical. ``comments=False`` leaves the comment
    column out (the reader takes such a file too).
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

    width = len(COLUMNS) if comments else COLUMNS.index("comment")
    return write_rows(COLUMNS[:width], (
        [agency, "" if pd.isna(service) else service, item, _format_value(value),
         "" if pd.isna(comment) else comment][:width]
        for agency, service, item, value, comment in sorted(rows, key=key)))
