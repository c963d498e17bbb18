"""National survey respondents as CSV (``docs/national-surveys.md``), read and checked.

Pure (no ORM, no request): the ``import_survey`` command and the upload page
both call :func:`parse_survey_csv` with the file's bytes and the survey's
questions as plain :class:`QuestionSpec` values, then hand ``rows`` to the
import service.

One row per respondent, UTF-8 (a byte-order mark is accepted), header row::

    respondent,sample,service,nation,K1,K2,...

Reading is all or nothing: every problem is listed with its line number, and
when there is any, ``rows`` is empty and ``ok`` False. Decisions the spec
leaves open:

* The file is read with :mod:`bluelight.csvkit`, as the answers import is: a
  NUL character anywhere is refused with its line, and a cell written with the
  downloads' formula guard (``'=...``) reads back as it was before the guard.
* Lines are physical lines of the file (the header is line 1). Blank lines,
  and rows whose every field is blank, are skipped. A row may leave out
  trailing blank fields; a row with more fields than the header is refused.
* Header names are matched without regard to case or surrounding spaces, in
  any order; question columns by their code (``k3`` is ``K3``). The four fixed
  columns are required; a column that is neither fixed nor a question of the
  survey is refused (a misspelt ``K33`` must not drop answers silently), as is
  a column named twice. A file may hold only some of the survey's questions
  (e.g. only the public poll's): a missing question column is "not asked".
* ``respondent``: required, at most 64 characters, unique within the file
  (a repeat names the line of the first).
* ``sample``: ``service`` or ``public``. ``service``: required for the service
  sample (``police``, ``fire``, ``ambulance``, ``local_authority``, ``other``;
  ``Local authority`` is accepted), blank for the public. ``nation``:
  ``England`` or ``Wales`` in any case, or blank.
* Answers: blank is "not asked / no answer" (out of that finding's base).
  Otherwise matched without regard to case (``Yes`` is ``yes``; ``don't know``
  and ``dont know`` are ``dont_know``); a 1-5 answer may be written ``4`` or
  ``4.0``. An answer to a question asked of the other sample is refused.

Checks are vectorised over columns (a 100,000-row file takes well under a
second); messages are built only for the rows that have a problem.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _

from bluelight import csvkit
from bluelight.choices import Nation, Service
from bluelight.csvkit import BOM, CsvError

FIXED = ("respondent", "sample", "service", "nation")
SAMPLES = ("service", "public")
SERVICES = tuple(Service.values)
NATIONS = tuple(Nation.values)
RESPONDENT_MAX = 64

# Other spellings accepted for answers (after lower-casing and trimming).
_ALIASES = {"don't know": "dont_know", "dont know": "dont_know", "don’t know": "dont_know",
            "don't_know": "dont_know", "y": "yes", "n": "no"}


@dataclass(frozen=True)
class QuestionSpec:
    """What the parser needs to know about a question."""

    code: str
    sample: str  # "service" | "public"
    answers: tuple[str, ...]  # allowed answers, in their stored spelling


@dataclass(frozen=True)
class ParsedSurvey:
    """The respondents read from a file, or every reason it was refused.

    ``rows``: columns ``line``, ``respondent``, ``sample``, ``service``,
    ``nation`` (``""`` when blank) and one per question column of the file
    (the stored answer, or ``None`` when blank). Empty whenever ``errors`` is not.
    """

    rows: pd.DataFrame
    questions: tuple[str, ...] = ()
    errors: list[CsvError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _refuse(errors: list[CsvError]) -> ParsedSurvey:
    return ParsedSurvey(rows=pd.DataFrame(columns=["line", *FIXED]),
                        errors=sorted(errors, key=lambda e: e.line))


def _read(text: str) -> tuple[list[str] | None, list[int], list[list[str]], csvkit.Problems]:
    """Header, and the non-blank records with the physical line each starts on."""
    problems = csvkit.Problems()
    found = csvkit.records(text, problems)
    first = next(found, None)
    if first is None:
        return None, [], [], problems
    header_line, header = first
    if header_line != 1:
        problems.add(header_line, _("the header row must be the first line of the file"))
    lines: list[int] = []
    rows: list[list[str]] = []
    for line, record in found:
        lines.append(line)
        rows.append(record)
    return header, lines, rows, problems


def _header(header: list[str], questions: dict[str, QuestionSpec]) -> tuple[
        dict[str, int], list[int], list[CsvError]]:
    """Column positions by canonical name, unnamed columns, and the header's problems."""
    by_lower = {code.lower(): code for code in questions}
    positions: dict[str, int] = {}
    problems: list[CsvError] = []
    unnamed: list[int] = []
    for i, (raw, low) in enumerate(zip(header, csvkit.header_names(header), strict=True)):
        name = raw.strip().removeprefix(BOM).strip()
        canonical = low if low in FIXED else by_lower.get(low)
        if not name:
            unnamed.append(i)  # refused later only if it holds values (spreadsheets add these)
        elif canonical is None:
            problems.append(CsvError(1, _(
                'unknown column "%(name)s": it is neither one of %(fixed)s nor a question of '
                "this survey (%(codes)s)") % {"name": name, "fixed": ", ".join(FIXED),
                                                "codes": ", ".join(questions) or "-"}))
        elif canonical in positions:
            problems.append(CsvError(1, _('column "%(name)s" appears twice') % {"name": name}))
        else:
            positions[canonical] = i
    for name in FIXED:
        if name not in positions:
            problems.append(CsvError(1, _('missing column "%(name)s" (the header must '
                                          "start with %(fixed)s)")
                                     % {"name": name, "fixed": ",".join(FIXED)}))
    if not any(code in positions for code in questions):
        problems.append(CsvError(1, _("no question column: add one column per question, "
                                      "named by its code (%(codes)s)")
                                 % {"codes": ", ".join(questions) or "-"}))
    return positions, unnamed, problems


class _Problems:
    """Line-numbered problems, added a whole column mask at a time."""

    def __init__(self, lines: np.ndarray):
        self.lines = lines
        self.found: list[tuple[int, int, str]] = []  # (line, column order, message)

    def add(self, mask: np.ndarray, column: int, message, values=None) -> None:
        """``message``: a string, or a function of the row's entry in ``values``."""
        rows = np.flatnonzero(mask)
        if not rows.size:
            return
        if callable(message):
            self.found.extend((int(self.lines[r]), column, message(values[r])) for r in rows)
        else:
            self.found.extend((int(self.lines[r]), column, message) for r in rows)

    def errors(self) -> list[CsvError]:
        return [CsvError(line, message) for line, _c, message in sorted(
            self.found, key=lambda p: (p[0], p[1]))]


@dataclass(frozen=True)
class _Column:
    """A column factorised: rows point into its distinct values, so each distinct
    value is trimmed, normalised and checked once (a 100,000-row column of
    answers has a handful)."""

    codes: np.ndarray  # per row: index into the distinct values
    raw: np.ndarray  # distinct values as written, trimmed (object)
    norm: np.ndarray  # distinct values normalised (object)

    @classmethod
    def of(cls, values, normalise=lambda v: v) -> _Column:
        codes, uniques = pd.factorize(np.asarray(values, dtype=object))
        raw = np.array([csvkit.clean(u) for u in uniques], dtype=object)
        norm = np.array([normalise(u) for u in raw], dtype=object)
        return cls(codes, raw, norm)

    def rows(self, distinct_mask: np.ndarray) -> np.ndarray:
        """Per row: the mask of its distinct value."""
        return np.asarray(distinct_mask, dtype=bool)[self.codes]

    def where(self, predicate) -> np.ndarray:
        return self.rows(np.array([bool(predicate(v)) for v in self.norm], dtype=bool))

    @property
    def values(self) -> np.ndarray:
        return self.norm[self.codes]

    @property
    def raw_values(self) -> np.ndarray:
        return self.raw[self.codes]


def _answer(spec: QuestionSpec):
    numeric = bool(spec.answers) and all(a.isdigit() for a in spec.answers)

    def normalise(raw: str) -> str | None:
        """The stored spelling, "" for blank, None if not an answer."""
        low = " ".join(raw.lower().split())
        low = _ALIASES.get(low, low)
        if numeric and "." in low:
            whole, _dot, zeros = low.partition(".")
            low = whole if not zeros.strip("0") else low
        if low == "" or low in spec.answers:
            return low
        return None

    return normalise


def _service(raw: str) -> str:
    return "_".join(raw.lower().replace("-", " ").split())


def parse_survey_csv(data: bytes | str, *, questions: Sequence[QuestionSpec]) -> ParsedSurvey:
    """Read and check a respondent file against a survey's questions (see module notes)."""
    text, problem = csvkit.decode(data)
    if problem is not None or text is None:
        return _refuse([problem or CsvError(1, _("the file cannot be read"))])
    header, lines, found, read_errors = _read(text)
    if header is None:
        return _refuse(read_errors.errors or [CsvError(1, _(
            "the file is empty: it needs a header row (%(cols)s and one column per question) "
            "and one row per respondent") % {"cols": ",".join(FIXED)})])
    specs = {q.code: q for q in questions}
    positions, unnamed, errors = _header(header, specs)
    errors += read_errors.errors
    if not found:
        errors.append(CsvError(1, _("the file has a header but no respondents")))
        return _refuse(errors)

    width, n = len(header), len(found)
    line_arr = np.asarray(lines, dtype=np.int64)
    problems = _Problems(line_arr)
    lengths = np.fromiter((len(r) for r in found), dtype=np.int64, count=n)
    problems.add(lengths > width, -1,
                 _("this row has more fields than the header (a value containing a comma "
                   "must be in double quotes)"))
    if (lengths < width).any():
        found = [csvkit.pad(r, width) for r in found]
    columns = list(zip(*found, strict=False))  # zip stops at the header's width
    blank = ("",) * n
    for i in unnamed:
        if any(v.strip() for v in columns[i]):
            errors.append(CsvError(1, _("column %(n)d has no name but holds values: name it "
                                        "or delete it") % {"n": i + 1}))

    def column(name: str, normalise=lambda v: v) -> _Column:
        return _Column.of(columns[positions[name]] if name in positions else blank, normalise)

    order = {name: i for i, name in enumerate([*FIXED, *specs])}

    respondent = np.array([csvkit.clean(v) for v in (columns[positions["respondent"]]
                                              if "respondent" in positions else blank)],
                          dtype=object)
    if "respondent" in positions:
        ids = pd.Series(respondent)
        empty = (ids == "").to_numpy()
        problems.add(empty, order["respondent"], _("the respondent id is missing"))
        problems.add((ids.str.len() > RESPONDENT_MAX).to_numpy(), order["respondent"],
                     _("the respondent id is longer than %(n)d characters")
                     % {"n": RESPONDENT_MAX})
        repeated = ids.duplicated(keep="first").to_numpy() & ~empty
        if repeated.any():
            first = pd.Series(line_arr).groupby(respondent).transform("first").to_numpy()
            problems.add(repeated, order["respondent"],
                         lambda pair: _('respondent "%(id)s" appears more than once (first '
                                        "on line %(line)d)") % {"id": pair[0], "line": pair[1]},
                         values=list(zip(respondent, first, strict=True)))

    sample = column("sample", str.lower)
    is_service = sample.where(lambda v: v == "service")
    is_public = sample.where(lambda v: v == "public")
    if "sample" in positions:
        problems.add(sample.where(lambda v: v == ""), order["sample"],
                     _("the sample is missing (service or public)"))
        problems.add(sample.where(lambda v: v != "" and v not in SAMPLES), order["sample"],
                     lambda v: _('unknown sample "%(value)s" (service or public)')
                     % {"value": v}, values=sample.raw_values)

    service = column("service", _service)
    if "service" in positions:
        problems.add(is_service & service.where(lambda v: v == ""), order["service"],
                     _("the service is missing: a respondent of the service sample needs one "
                       "of %(services)s") % {"services": ", ".join(SERVICES)})
        problems.add(is_service & service.where(lambda v: v != "" and v not in SERVICES),
                     order["service"],
                     lambda v: _('unknown service "%(value)s" (one of %(services)s)')
                     % {"value": v, "services": ", ".join(SERVICES)},
                     values=service.raw_values)
        problems.add(is_public & service.where(lambda v: v != ""), order["service"],
                     lambda v: _('a respondent of the public sample has no service (found '
                                 '"%(value)s"; leave it blank)') % {"value": v},
                     values=service.raw_values)

    nation = column("nation", str.capitalize)
    if "nation" in positions:
        problems.add(nation.where(lambda v: v != "" and v not in NATIONS), order["nation"],
                     lambda v: _('unknown nation "%(value)s" (England, Wales, or blank)')
                     % {"value": v}, values=nation.raw_values)

    present = [code for code in specs if code in positions]
    answers: dict[str, np.ndarray] = {}
    for code in present:
        spec = specs[code]
        cells = column(code, _answer(spec))
        problems.add(cells.where(lambda v: v is None), order[code],
                     lambda v, code=code, spec=spec: _(
                         '%(code)s: "%(value)s" is not an answer to this question (one of '
                         "%(answers)s; leave it blank if not asked)")
                     % {"code": code, "value": v, "answers": ", ".join(spec.answers)},
                     values=cells.raw_values)
        other = is_public if spec.sample == "service" else is_service
        problems.add(other & cells.where(lambda v: v != ""), order[code],
                     _("%(code)s is asked of the %(asked)s sample, but this respondent is in "
                       "the %(other)s sample (leave it blank)")
                     % {"code": code, "asked": spec.sample,
                        "other": SAMPLES[1] if spec.sample == SAMPLES[0] else SAMPLES[0]})
        stored = cells.norm.copy()
        stored[stored == ""] = None
        answers[code] = stored[cells.codes]

    errors += problems.errors()
    if errors:
        return _refuse(errors)
    services = service.values
    services[~is_service] = ""
    rows = pd.DataFrame({"line": line_arr, "respondent": respondent, "sample": sample.values,
                         "service": services, "nation": nation.values, **answers})
    return ParsedSurvey(rows=rows, questions=tuple(present), errors=[])
