"""Importing national survey respondents: all or nothing, every problem by line, no
double counting; and loading the 2015 survey definitions."""

import pytest

from survey.models import (
    ImportBatch,
    NationalSurvey,
    Respondent,
    SurveyQuestion,
)
from survey.national.csv import QuestionSpec, parse_survey_csv
from survey.national.imports import SurveyImportRefused, survey_import
from survey.national.selectors import survey_findings
from survey.national.services import surveys_load

HEADER = "respondent,sample,service,nation,K1,K2,K3,K4,K5\n"
GOOD = HEADER + (
    "S1,service,police,England,yes,increased,,,\n"
    "S2,service,fire,Wales,no,same,,,\n"
    "P1,public,,England,,,5,4,2\n"
    "P2,public,,,,,3,,1\n"
)


def specs(survey):
    return [QuestionSpec(q.code, q.sample, q.allowed_answers) for q in survey.questions.all()]


def test_load_surveys_creates_the_2015_survey_once_and_keeps_admin_edits(db):
    first = surveys_load()
    assert first.surveys_created == ["esc-2015"] and len(first.questions_created) == 5
    survey = NationalSurvey.objects.get(code="esc-2015")
    questions = {q.code: q for q in survey.questions.all()}
    assert [q.published_figure for q in survey.questions.order_by("order")] == [
        0.98, 0.90, 0.72, 0.84, 0.76]
    assert questions["K3"].positive == ("4", "5") and questions["K3"].sample == "public"
    assert questions["K2"].positive == ("increased",) and questions["K1"].sample == "service"
    assert "1,069" in survey.sample_description and "1,067" in survey.sample_description
    assert "115" in questions["K1"].published_base_note
    questions["K3"].text = "Edited by an administrator"
    questions["K3"].save()
    again = surveys_load()
    assert again.surveys_created == [] and again.questions_created == [] and again.unchanged == 6
    assert SurveyQuestion.objects.get(survey=survey, code="K3").text == (
        "Edited by an administrator")


def test_parser_reads_a_good_file_with_bom_and_normalises(national_survey):
    data = ("\ufeff" + HEADER.upper().replace("K", "k") +
            "S1,Service,Local authority,ENGLAND,Yes,Increased,,,\n"
            "\n"  # blank lines are skipped
            "P1,public,,wales,,,4.0,5,\n").encode()
    parsed = parse_survey_csv(data, questions=specs(national_survey))
    assert parsed.ok, parsed.errors
    rows = parsed.rows.set_index("respondent")
    assert rows.loc["S1", "service"] == "local_authority"
    assert rows.loc["S1", "nation"] == "England" and rows.loc["P1", "nation"] == "Wales"
    assert rows.loc["S1", "K1"] == "yes" and rows.loc["S1", "K2"] == "increased"
    assert rows.loc["P1", "K3"] == "4" and rows.loc["P1", "K5"] is None  # blank: not asked
    assert rows.loc["P1", "line"] == 4  # physical line, after the blank one


def test_import_stores_respondents_and_the_findings_count_them(national_survey, world):
    result = survey_import(survey=national_survey, data=GOOD.encode(), file_name="a.csv",
                           user=world.user("rita"))
    assert (result.added, result.updated, result.unchanged) == (4, 0, 0)
    assert not result.already_imported
    assert result.batch.imported_by == world.user("rita") and result.batch.rows == 4
    p1 = Respondent.objects.get(survey=national_survey, respondent="P1")
    assert p1.answers == {"K3": "5", "K4": "4", "K5": "2"} and p1.service == ""
    findings = survey_findings(survey=national_survey).findings
    # K3: P1 answered 5, P2 answered 3 -> 1 of 2; K4: only P1 answered -> 1 of 1.
    assert (findings.loc["K3", "base"], findings.loc["K3", "positive"]) == (2, 1)
    assert (findings.loc["K4", "base"], findings.loc["K4", "positive"]) == (1, 1)
    assert (findings.loc["K1", "base"], findings.loc["K1", "positive"]) == (2, 1)


def test_reimporting_the_same_file_is_a_no_op(national_survey):
    first = survey_import(survey=national_survey, data=GOOD.encode(), file_name="a.csv")
    again = survey_import(survey=national_survey, data=GOOD.encode(), file_name="copy.csv")
    assert again.already_imported and again.batch == first.batch
    assert Respondent.objects.filter(survey=national_survey).count() == 4
    assert ImportBatch.objects.count() == 1
    assert survey_findings(survey=national_survey).findings.loc["K3", "base"] == 2


def test_a_file_with_known_respondents_updates_them_and_never_double_counts(national_survey):
    survey_import(survey=national_survey, data=GOOD.encode(), file_name="a.csv")
    corrected = HEADER + (
        "S1,service,police,England,yes,increased,,,\n"  # unchanged
        "P1,public,,England,,,1,4,2\n"                   # K3 changed from 5 to 1
        "P3,public,,Wales,,,5,5,5\n")                    # new
    result = survey_import(survey=national_survey, data=corrected.encode(),
                           file_name="b.csv")
    assert (result.added, result.updated, result.unchanged) == (1, 1, 1)
    assert Respondent.objects.filter(survey=national_survey).count() == 5
    k3 = survey_findings(survey=national_survey).findings.loc["K3"]
    # P1 now 1, P2 3, P3 5: one positive of three (P1 is not counted twice).
    assert (k3["base"], k3["positive"]) == (3, 1)
    assert Respondent.objects.get(respondent="P1").batch.file_name == "b.csv"
    assert Respondent.objects.get(respondent="S1").batch.file_name == "a.csv"


def refused(survey, text):
    with pytest.raises(SurveyImportRefused) as caught:
        survey_import(survey=survey, data=text.encode(), file_name="bad.csv")
    assert not Respondent.objects.exists() and not ImportBatch.objects.exists()
    return [str(e) for e in caught.value.errors]


def test_a_bad_cell_refuses_the_whole_file_naming_its_line(national_survey):
    errors = refused(national_survey, GOOD + "P3,public,,England,,,6,4,4\n")
    assert errors == ['line 6: K3: "6" is not an answer to this question (one of 1, 2, 3, 4, 5; '
                      "leave it blank if not asked)"]


def test_a_duplicate_respondent_refuses_the_whole_file(national_survey):
    errors = refused(national_survey, GOOD + "S1,service,fire,England,yes,same,,,\n")
    assert errors == ['line 6: respondent "S1" appears more than once (first on line 2)']


def test_an_unknown_sample_refuses_the_whole_file(national_survey):
    errors = refused(national_survey, GOOD + "X1,press,,England,,,4,4,4\n")
    assert errors == ['line 6: unknown sample "press" (service or public)']


def test_every_problem_is_listed_with_its_line(national_survey):
    text = HEADER + (
        "S1,service,,England,yes,more,,,\n"          # service missing; K2 bad
        "S2,service,army,Scotland,yes,same,,,\n"     # service, nation unknown
        "P1,public,police,England,yes,,4,4,4\n"      # public with a service; K1 not theirs
        ",public,,England,,,4,4,4\n"                 # no id
        "P2,public,,England,,,4,4,4,extra\n")        # too many fields
    errors = refused(national_survey, text)
    assert [e.split(":")[0] for e in errors] == [
        "line 2", "line 2", "line 3", "line 3", "line 4", "line 4", "line 5", "line 6"]
    assert any("the service is missing" in e for e in errors)
    assert any('K2: "more" is not an answer' in e for e in errors)
    assert any('unknown service "army"' in e for e in errors)
    assert any('unknown nation "Scotland"' in e for e in errors)
    assert any("public sample has no service" in e for e in errors)
    assert any("K1 is asked of the service sample" in e for e in errors)
    assert any("respondent id is missing" in e for e in errors)
    assert any("more fields than the header" in e for e in errors)


@pytest.mark.parametrize(("header", "message"), [
    ("respondent,sample,service,K1\n", 'missing column "nation"'),
    ("respondent,sample,service,nation,K1,K9\n", 'unknown column "K9"'),
    ("respondent,sample,service,nation,K1,k1\n", 'column "k1" appears twice'),
    ("respondent,sample,service,nation\n", "no question column"),
])
def test_header_problems_refuse_the_file(national_survey, header, message):
    errors = refused(national_survey, header + "S1,service,police,England,yes,yes\n")
    assert any(e.startswith("line 1:") and message in e for e in errors), errors


def test_not_utf8_and_empty_files_are_refused(national_survey):
    with pytest.raises(SurveyImportRefused) as caught:
        survey_import(survey=national_survey, data=HEADER.encode() + "S1,service,police,"
                      "Angleterre\xe9,yes,,,,\n".encode("latin-1"), file_name="x.csv")
    assert "line 2: the file is not UTF-8" in str(caught.value.errors[0])
    assert refused(national_survey, "") == [
        "line 1: the file is empty: it needs a header row (respondent,sample,service,nation "
        "and one column per question) and one row per respondent"]
    assert refused(national_survey, HEADER) == ["line 1: the file has a header but no "
                                                "respondents"]


def test_an_unnamed_empty_column_from_a_spreadsheet_is_ignored(national_survey):
    text = HEADER.rstrip("\n") + ",\n" + "S1,service,police,England,yes,same,,,,\n"
    assert survey_import(survey=national_survey, data=text.encode(), file_name="x.csv").added == 1
