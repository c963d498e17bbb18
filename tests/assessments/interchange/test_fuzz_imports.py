"""Fuzzing the answers importers: arbitrary bytes and near-valid CSVs.

Each ends in a clean import or a clear refusal (errors with a line number and a
message), never a partial import, never an unhandled exception.

The pure parser takes the hypothesis profile's examples (1,000 in CI, see
tests/conftest.py); the database-backed import service takes ``FUZZ_DB_EXAMPLES``
(1,000 in CI: each example is quick), each in a savepoint rolled back afterwards,
comparing row counts.
"""

import math

import pandas as pd
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from assessments.interchange.csv import COLUMNS, answers_to_csv, parse_answers_csv
from assessments.interchange.imports import round_import_answers
from assessments.models import Answer, Submission, SubmittedAnswer
from tests.conftest import FUZZ_DB_EXAMPLES, ITEM_CODES
from tests.fuzzing import any_files, assert_refused_cleanly, near_valid_files

AGENCIES = [("Alpha Police", "police"), ("Alpha Fire", "fire")]


def valid_csv(codes=ITEM_CODES, agencies=AGENCIES) -> str:
    rows = [{"agency": name, "service": service, "item": code,
             "value": float("nan") if n % 7 == 3 else float(1 + n % 5),
             "comment": f'{name}, on {code}: "quoted"' if n % 4 == 0 else ""}
            for name, service in agencies for n, code in enumerate(codes)]
    return answers_to_csv(pd.DataFrame(rows), item_order=list(codes))


VALID = valid_csv()
NOISE = st.sampled_from([",", '"', "\n", "\r", "\r\n", "", " ", "\x00", "\ufeff", "0", "6",
                         "4.5", "-1", "=1+1", "é", "\u2028", "E99", "e1", "NaN", "inf",
                         "x" * 2100])


FILES = any_files(near_valid_files(VALID, noise=NOISE, header_names=[*COLUMNS, "coment", ""]))


def assert_clean_outcome(parsed, codes=ITEM_CODES):
    """Either every row is good, or nothing is returned and every error is clear."""
    if parsed.ok:
        rows = parsed.rows
        assert set(rows["item"]) <= set(codes)
        for value in rows["value"]:
            assert (isinstance(value, float) and math.isnan(value)) or value in (1, 2, 3, 4, 5)
        assert not rows.duplicated(["agency", "item"]).any()
    else:
        assert_refused_cleanly(parsed)


def test_the_valid_file_parses():
    parsed = parse_answers_csv(VALID, item_codes=ITEM_CODES)
    assert parsed.ok and len(parsed.rows) == 2 * len(ITEM_CODES)


@given(data=FILES)
@example(data=b"\xff\xfe")
@example(data=b"")
@example(data="agency,item,value\n\x00,E1,1\n")
@example(data='agency,item,value\n"unclosed,E1,1\n')
def test_parse_answers_csv_never_raises_and_never_half_accepts(data):
    assert_clean_outcome(parse_answers_csv(data, item_codes=ITEM_CODES))
    assert_clean_outcome(parse_answers_csv(data, item_codes=ITEM_CODES, require_service=True))


def row_counts():
    return (Submission.objects.count(), Answer.objects.count(),
            SubmittedAnswer.objects.count())


def test_import_service_fuzz(world):
    """Near-valid files against the import service: all or nothing."""
    round_ = world.rounds["Alpha"]
    user = world.user("rita")
    base = row_counts()

    @settings(max_examples=FUZZ_DB_EXAMPLES, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=FILES)
    @example(data=VALID.encode())
    def check(data):
        with transaction.atomic():
            result = round_import_answers(round=round_, data=data, user=user,
                                          replace_submitted=True)
            submissions, answers, submitted = row_counts()
            if result.ok:
                parsed = parse_answers_csv(data, item_codes=ITEM_CODES)
                assert parsed.ok
                assert answers - base[1] == submitted - base[2] == len(parsed.rows)
                assert submissions - base[0] == len(result.agencies)
            else:
                assert result.errors
                assert (submissions, answers, submitted) == base
            transaction.set_rollback(True)
        assert row_counts() == base

    check()
