"""Fuzzing the survey respondents importer: arbitrary bytes and near-valid CSVs.

Each ends in a clean import or a clear refusal (``SurveyImportRefused`` with every
problem by line), never a partial import, never an unhandled exception. The pure
parser takes the hypothesis profile's examples (1,000 in CI, see tests/conftest.py);
the import service ``FUZZ_DB_EXAMPLES``, each in a savepoint rolled back afterwards.
"""

from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from survey.models import ImportBatch, Respondent
from survey.national.csv import QuestionSpec, parse_survey_csv
from survey.national.imports import SurveyImportRefused, survey_import
from survey.national.selectors import question_specs, survey_questions
from tests.conftest import FUZZ_DB_EXAMPLES
from tests.fuzzing import any_files, near_valid_files

SPECS = [QuestionSpec("K1", "service", ("yes", "no")),
         QuestionSpec("K2", "service", ("increased", "same", "decreased")),
         QuestionSpec("K3", "public", ("1", "2", "3", "4", "5")),
         QuestionSpec("K4", "public", ("1", "2", "3", "4", "5")),
         QuestionSpec("K5", "public", ("1", "2", "3", "4", "5"))]
HEADER = "respondent,sample,service,nation,K1,K2,K3,K4,K5"
VALID = "\n".join([
    HEADER,
    "S1,service,police,England,yes,increased,,,",
    "S2,service,fire,Wales,no,same,,,",
    "S3,service,local authority,wales,Yes,decreased,,,",
    "P1,public,,England,,,5,4,2",
    "P2,public,,,,,3,,1",
    '"P3",public,,England,,,4.0,2,',
]) + "\n"
NOISE = st.sampled_from([",", '"', "\n", "\r\n", "", " ", "\x00", "\ufeff", "0", "6", "4.5",
                         "maybe", "public", "service", "S1", "K9", "k1", "é", "x" * 300])


FILES = any_files(near_valid_files(
    VALID, noise=NOISE, header_names=[*HEADER.split(","), "K9", "", "Respondent"],
    max_delete=10, max_header=10))


def assert_clean_outcome(parsed):
    if parsed.ok:
        rows = parsed.rows
        assert not rows["respondent"].duplicated().any()
        assert set(rows["sample"]) <= {"service", "public"}
        for spec in SPECS:
            if spec.code in rows:
                assert set(rows[spec.code].dropna()) <= set(spec.answers)
    else:
        assert parsed.rows.empty
        for error in parsed.errors:
            assert isinstance(error.line, int) and error.line >= 1
            assert str(error.message).strip()


def test_the_valid_file_parses():
    parsed = parse_survey_csv(VALID, questions=SPECS)
    assert parsed.ok, parsed.errors
    assert len(parsed.rows) == 6


@given(data=FILES)
@example(data=b"\xff\xfe")
@example(data=b"")
@example(data=HEADER + "\n\x00,service,police,England,yes,,,,\n")
@example(data=HEADER + '\n"unclosed,service,police,England,yes,,,,\n')
def test_parse_survey_csv_never_raises_and_never_half_accepts(data):
    assert_clean_outcome(parse_survey_csv(data, questions=SPECS))


def counts():
    return Respondent.objects.count(), ImportBatch.objects.count()


def test_survey_import_service_fuzz(national_survey):
    base = counts()
    specs = question_specs(survey_questions(survey=national_survey))
    assert {s.code for s in specs} == {s.code for s in SPECS}

    @settings(max_examples=FUZZ_DB_EXAMPLES, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=FILES)
    @example(data=VALID.encode())
    def check(data):
        raw = data.encode("utf-8") if isinstance(data, str) else data
        with transaction.atomic():
            try:
                result = survey_import(survey=national_survey, data=raw, file_name="fuzz.csv")
            except SurveyImportRefused as refused:
                assert refused.errors
                assert counts() == base
            else:
                parsed = parse_survey_csv(raw, questions=specs)
                assert parsed.ok and result.batch.rows == len(parsed.rows)
                assert counts() == (base[0] + result.added, base[1] + 1)
            transaction.set_rollback(True)
        assert counts() == base

    check()
