"""Importing national survey respondents from CSV: all or nothing, never double-counted.

Both ``manage.py import_survey`` and the upload page call :func:`survey_import`.

* **All or nothing.** The file is checked whole first
  (:func:`survey.national.csv.parse_survey_csv`); any problem refuses it with
  every problem and its line number (:class:`SurveyImportRefused`) and
  nothing is written. The writes happen in one transaction.
* **The same file twice** (same SHA-256 of its bytes, same survey) is a no-op:
  the result says when it was imported before.
* **Respondents are keyed by (survey, respondent id).** A respondent already
  stored is replaced by the file's row (their sample, service, nation and
  every answer, exactly as the file has them), never added a second time; the
  result counts respondents added, updated and unchanged. So a corrected file
  can be imported over an earlier one. Respondents who are not in the file
  are kept; an administrator removes an import's respondents by deleting the
  import (its respondents are those it last added or changed).
* Speed: one query reads the stored respondents, then new and changed ones
  are written with multi-row upserts (``INSERT ... ON CONFLICT``), thousands
  of rows per statement: 100,000 respondents take a few seconds.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass

from django.db import connection, transaction

from bluelight.csvkit import CsvError
from survey.models import ImportBatch, NationalSurvey, Respondent
from survey.national.csv import parse_survey_csv
from survey.national.selectors import question_specs, survey_questions

WRITE_BATCH = 2000


class SurveyImportRefused(Exception):
    """The file was refused; ``errors`` lists every problem with its line."""

    def __init__(self, errors: list[CsvError]):
        super().__init__(f"{len(errors)} problem(s)")
        self.errors = errors


@dataclass(frozen=True)
class SurveyImportResult:
    batch: ImportBatch  # this import, or the earlier import of the same file
    added: int
    updated: int
    unchanged: int
    already_imported: bool


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def survey_check(*, survey: NationalSurvey, data: bytes) -> list[CsvError]:
    """Every problem with a file, without importing it (for ``--dry-run``)."""
    specs = question_specs(survey_questions(survey=survey))
    return parse_survey_csv(data, questions=specs).errors


@transaction.atomic
def survey_import(*, survey: NationalSurvey, data: bytes, file_name: str,
                  user=None) -> SurveyImportResult:
    """Import a respondent file into a survey (see the module notes)."""
    survey = NationalSurvey.objects.select_for_update().get(pk=survey.pk)
    sha = file_sha256(data)
    previous = survey.imports.filter(sha256=sha).select_related("imported_by").first()
    if previous is not None:
        return SurveyImportResult(batch=previous, added=0, updated=0, unchanged=0,
                                  already_imported=True)
    specs = question_specs(survey_questions(survey=survey))
    parsed = parse_survey_csv(data, questions=specs)
    if not parsed.ok:
        raise SurveyImportRefused(parsed.errors)

    rows = parsed.rows
    codes = list(parsed.questions)
    stored = {r[0]: r[1:] for r in Respondent.objects.filter(survey=survey).values_list(
        "respondent", "sample", "service", "nation", "answers").iterator(chunk_size=10_000)}
    batch = ImportBatch(survey=survey, file_name=file_name[:255], sha256=sha, rows=len(rows),
                        imported_by=user if user is not None and user.is_authenticated else None)
    batch.save()
    answers = rows[codes].to_numpy(dtype=object) if codes else None
    fixed = zip(rows["respondent"].tolist(), rows["sample"].tolist(),
                rows["service"].tolist(), rows["nation"].tolist(), strict=True)
    to_write: list[tuple] = []
    added = updated = 0
    for i, (rid, sample, service, nation) in enumerate(fixed):
        given = {} if answers is None else {
            code: value for code, value in zip(codes, answers[i], strict=True)
            if isinstance(value, str)}
        before = stored.get(rid)
        if before is None:
            added += 1
        elif tuple(before) == (sample, service, nation, given):
            continue
        else:
            updated += 1
        to_write.append((survey.pk, rid, sample, service, nation, json.dumps(given), batch.pk))
    _upsert(to_write)
    batch.added, batch.updated = added, updated
    batch.save(update_fields=["added", "updated"])
    return SurveyImportResult(batch=batch, added=added, updated=updated,
                              unchanged=len(rows) - added - updated, already_imported=False)


_COLUMNS = ("survey_id", "respondent", "sample", "service", "nation", "answers", "batch_id")


def _rows_per_statement() -> int:
    """As many rows per INSERT as the database takes parameters for (up to WRITE_BATCH)."""
    limit = 65_535  # PostgreSQL
    if connection.vendor == "sqlite":
        try:
            limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        except (AttributeError, sqlite3.Error):  # Python < 3.11: the old default
            limit = 999
    return max(1, min(WRITE_BATCH, limit // len(_COLUMNS)))


def _upsert(rows: list[tuple]) -> None:
    """Insert respondents, replacing any stored under the same (survey, respondent id).

    Plain multi-row ``INSERT ... ON CONFLICT DO UPDATE`` (SQLite and PostgreSQL
    share the syntax): the ORM's ``bulk_create`` builds a model instance per row,
    which alone takes longer than the 10 s an import of 100,000 respondents may.
    Every value has been checked by the parser; all are passed as parameters.
    """
    if not rows:
        return
    connection.ensure_connection()
    table = connection.ops.quote_name(Respondent._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in _COLUMNS)
    json_param = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    one = "(" + ", ".join(json_param if c == "answers" else "%s" for c in _COLUMNS) + ")"
    updates = ", ".join(f"{connection.ops.quote_name(c)} = excluded.{connection.ops.quote_name(c)}"
                        for c in _COLUMNS[2:])
    conflict = ", ".join(connection.ops.quote_name(c) for c in ("survey_id", "respondent"))
    size = _rows_per_statement()
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = rows[start:start + size]
            sql = (f"INSERT INTO {table} ({names}) VALUES {', '.join([one] * len(chunk))} "  # noqa: S608
                   f"ON CONFLICT ({conflict}) DO UPDATE SET {updates}")
            cursor.execute(sql, [value for row in chunk for value in row])
