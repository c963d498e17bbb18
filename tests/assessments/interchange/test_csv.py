"""Answers as CSV (docs/scoring-method.md, "Interchange: answers as CSV"): reading and writing."""

import math

import pandas as pd
import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.interchange.csv import (
    COLUMNS,
    ParsedAnswers,
    answers_to_csv,
    parse_answers_csv,
)
from bluelight.csvkit import CsvError


@pytest.fixture(autouse=True)
def in_english():
    """The problems are written in the reader's language: these tests read the English."""
    with translation.override("en"):
        yield


ITEMS = [f"E{i}" for i in range(1, 8)] + [f"B{i}" for i in range(1, 7)] + [
    f"O{i}" for i in range(1, 21)]

GOOD = (
    "agency,service,item,value,comment\n"
    "Northshire Police,police,E1,4,Shared vision signed off in March\n"
    "Northshire Police,police,E3,,\n"
    "Northshire Fire and Rescue Service,fire,E1,3,\"Agreed in principle, not yet funded\"\n"
    "Northshire Fire and Rescue Service,fire,O6,2,\n"
)


def parse(text: str | bytes, **kw) -> ParsedAnswers:
    return parse_answers_csv(text, item_codes=ITEMS, **kw)


def messages(result: ParsedAnswers) -> list[str]:
    return [str(e) for e in result.errors]


def with_rows(*rows: str, header: str = ",".join(COLUMNS)) -> str:
    return "\n".join([header, *rows]) + "\n"


# --------------------------------------------------------------------------- good files


def test_good_file_parses():
    result = parse(GOOD)
    assert result.ok and result.errors == []
    rows = result.rows
    assert list(rows.columns) == ["agency", "service", "item", "value", "comment"]
    assert rows["agency"].tolist() == ["Northshire Police"] * 2 + [
        "Northshire Fire and Rescue Service"] * 2
    assert rows["item"].tolist() == ["E1", "E3", "E1", "O6"]
    assert rows["value"].tolist()[0] == 4.0 and math.isnan(rows["value"].tolist()[1])
    assert rows["service"].tolist() == ["police", "police", "fire", "fire"]
    assert rows["comment"].tolist() == ["Shared vision signed off in March", "",
                                        "Agreed in principle, not yet funded", ""]
    assert rows["value"].dtype == "float64"


def test_bytes_with_and_without_bom():
    plain = parse(GOOD.encode("utf-8"))
    with_bom = parse(b"\xef\xbb\xbf" + GOOD.encode("utf-8"))
    assert plain.ok and with_bom.ok
    pd.testing.assert_frame_equal(plain.rows, with_bom.rows)
    pd.testing.assert_frame_equal(plain.rows, parse(GOOD).rows)
    assert parse("\ufeff" + GOOD).ok


def test_windows_line_endings_and_multiline_comments():
    text = ('agency,service,item,value,comment\r\n'
            'Northshire Police,police,E1,4,"First line\r\nsecond line"\r\n'
            '\r\n'
            'Northshire Police,police,E2,5,\r\n')
    result = parse(text)
    assert result.ok, messages(result)
    assert result.rows["comment"].tolist() == ["First line\nsecond line", ""]


def test_leniency_on_case_spaces_order_and_optional_columns():
    text = (" Item , VALUE,Agency\n"
            "e1, 4 , Northshire Police \n"
            "o20,3.0,Northshire Police\n"
            ",,\n")
    result = parse(text)
    assert result.ok, messages(result)
    assert result.rows["item"].tolist() == ["E1", "O20"]
    assert result.rows["value"].tolist() == [4.0, 3.0]
    assert result.rows["agency"].tolist() == ["Northshire Police"] * 2
    assert result.rows["service"].tolist() == ["", ""]
    assert result.rows["comment"].tolist() == ["", ""]


def test_service_names_are_normalised_and_trailing_fields_may_be_left_out():
    result = parse(with_rows("Northshire County Council,Local Authority,E1,4",
                             "Northshire County Council,local-authority,E2,5"))
    assert result.ok, messages(result)
    assert result.rows["service"].tolist() == ["local_authority"] * 2


# --------------------------------------------------------------------------- bad rows


@pytest.mark.parametrize("row, message", [
    ("Northshire Police,police,E9,4,", 'unknown item "E9" (not in this framework)'),
    ("Northshire Police,police,E1,6,",
     'value "6" is not a whole number from 1 to 5 (leave blank for "Don\'t know")'),
    ("Northshire Police,police,E1,0,", 'value "0" is not a whole number from 1 to 5'),
    ("Northshire Police,police,E1,3.5,", 'value "3.5" is not a whole number from 1 to 5'),
    ("Northshire Police,police,E1,abc,", 'value "abc" is not a whole number from 1 to 5'),
    ("Northshire Police,police,E1,-1,", 'value "-1" is not a whole number from 1 to 5'),
    (",police,E1,4,", "the agency is blank"),
    ("Northshire Police,police,,4,", "the item is blank"),
    ("Northshire Police,navy,E1,4,", ('unknown service "navy" (use one of police, fire, '
                                      "ambulance, local_authority, other)")),
    ("Northshire Police,police,E1,4," + "x" * 2001,
     "the comment is 2001 characters long; the limit is 2000"),
    ("Northshire Police,police,E1,4,evidence,extra",
     "this row has 6 fields but the header has 5"),
    ("A" * 201 + ",police,E1,4,", "the agency name is 201 characters long; the limit is 200"),
])
def test_each_bad_row_is_reported_at_its_line(row, message):
    text = with_rows("Northshire Police,police,E2,4,", "Northshire Police,police,E3,4,", row)
    result = parse(text)
    assert not result.ok
    assert result.rows.empty  # nothing half-imported
    assert len(result.errors) == 1
    assert result.errors[0].line == 4
    assert message in result.errors[0].message


def test_comment_of_exactly_2000_characters_is_fine():
    assert parse(with_rows("Northshire Police,police,E1,4," + "x" * 2000)).ok


def test_same_agency_answering_twice_names_both_lines():
    text = with_rows("Northshire Police,police,E1,4,",
                     "Northshire Fire and Rescue Service,fire,E1,4,",
                     "Northshire Police,police,e1,2,")
    assert messages(parse(text)) == [
        'line 4: agency "Northshire Police" answers item "E1" twice (lines 2 and 4)']


def test_one_agency_with_two_services_is_refused():
    text = with_rows("Northshire Police,police,E1,4,", "Northshire Police,fire,E2,4,")
    assert messages(parse(text)) == [
        'line 3: agency "Northshire Police" is "fire" here but "police" on line 2']


def test_service_required_when_asked():
    text = with_rows("Northshire Police,,E1,4,")
    assert parse(text).ok
    result = parse(text, require_service=True)
    assert messages(result) == [("line 2: the service is blank (use one of police, fire, "
                                 "ambulance, local_authority, other)")]
    header_only = parse("agency,item,value\nNorthshire Police,E1,4\n", require_service=True)
    assert "missing: service" in messages(header_only)[0]


def test_every_problem_is_listed_with_line_numbers_across_multiline_records():
    text = ("agency,service,item,value,comment\n"
            "Northshire Police,police,E1,4,\"a comment\n"
            "over two lines\"\n"  # lines 2-3
            "Northshire Police,police,E9,4,\n"  # line 4
            "\n"  # line 5: blank
            "Northshire Police,police,E2,7,\n"  # line 6
            ",police,E3,x,\n")  # line 7: two problems
    result = parse(text)
    assert [(e.line, e.message.split(" (")[0]) for e in result.errors] == [
        (4, 'unknown item "E9"'),
        (6, 'value "7" is not a whole number from 1 to 5'),
        (7, "the agency is blank"),
        (7, 'value "x" is not a whole number from 1 to 5'),
    ]
    assert result.rows.empty


def test_broken_quotes_are_reported_and_reading_goes_on():
    text = with_rows('Northshire Police,police,E1,4,"unfinished"x',
                     "Northshire Police,police,E9,4,")
    result = parse(text)
    assert [e.line for e in result.errors] == [2, 3]
    assert "not valid CSV" in result.errors[0].message


# --------------------------------------------------------------------------- whole-file problems


def test_not_utf8_is_one_clear_error():
    data = GOOD.replace("Shared", "Sh\u00e9red").encode("cp1252")
    result = parse(data)
    assert len(result.errors) == 1
    assert result.errors[0].line == 2
    assert "not UTF-8" in result.errors[0].message
    assert result.rows.empty


@pytest.mark.parametrize("text", ["", "\n\n", "agency,service,item,value,comment\n",
                                  "agency,service,item,value,comment\n,,,,\n"])
def test_empty_file_or_header_only_has_no_answers(text):
    assert messages(parse(text)) == ["line 1: the file has no answers"]


def test_missing_header_names_missing_columns():
    result = parse("Northshire Police,police,E1,4,\n")
    assert len(result.errors) == 2
    assert result.errors[0].line == 1
    assert "missing: agency, item, value" in result.errors[0].message
    assert "unknown column" in result.errors[1].message


def test_misspelt_column_is_refused_but_rows_still_checked():
    result = parse("agency,service,item,value,coment\nNorthshire Police,police,E1,9,x\n")
    assert messages(result) == [
        'line 1: unknown column(s) "coment"; the columns are agency,service,item,value,comment',
        'line 2: value "9" is not a whole number from 1 to 5 (leave blank for "Don\'t know")',
    ]


def test_semicolon_files_get_a_hint():
    result = parse("agency;service;item;value;comment\nNorthshire Police;police;E1;4;\n")
    assert "semicolons" in result.errors[0].message


def test_column_named_twice():
    result = parse("agency,item,value,item\nNorthshire Police,E1,4,E2\n")
    assert 'column "item" appears twice' in messages(result)[0]


def test_error_string_form():
    assert str(CsvError(7, "boom")) == "line 7: boom"


# --------------------------------------------------------------------------- writing


def test_write_sorts_by_agency_then_item_order():
    df = pd.DataFrame({"agency": ["B agency", "A agency", "A agency", "A agency"],
                       "item": ["E1", "O10", "E2", "O2"],
                       "value": [4.0, math.nan, 3.0, 5.0],
                       "comment": ["", "", "why, \"quoted\"", ""]})
    text = answers_to_csv(df)
    assert text.splitlines() == [
        "agency,service,item,value,comment",
        "A agency,,E2,3,\"why, \"\"quoted\"\"\"",
        "A agency,,O2,5,",
        "A agency,,O10,,",
        "B agency,,E1,4,",
    ]
    ordered = answers_to_csv(df, item_order=["O10", "O2", "E2", "E1"])
    assert [line.split(",")[2] for line in ordered.splitlines()[1:]] == ["O10", "O2", "E2", "E1"]


def test_round_trip_keeps_exact_text():
    df = pd.DataFrame({"agency": ["Gwasanaeth Tân", "=cmd|' /C calc'!A0"],
                       "service": ["fire", "other"], "item": ["E1", "B2"],
                       "value": [1.0, math.nan],
                       "comment": ["line one\nline two, with comma", "@SUM(1+1) and \"quotes\""]})
    back = parse(answers_to_csv(df))
    assert back.ok, messages(back)
    expected = df.sort_values("agency").reset_index(drop=True)
    pd.testing.assert_frame_equal(back.rows, expected, check_dtype=False)


texts = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40)


@settings(max_examples=80, deadline=None)
@given(st.lists(
    st.tuples(st.sampled_from(["Northshire Police", "Fire, North", "\"Quoted\" Council",
                               "Ambiwlans Cymru"]),
              st.sampled_from(ITEMS),
              st.one_of(st.none(), st.integers(1, 5)),
              st.one_of(texts, st.just("multi\nline"), st.just("=1+1"))),
    max_size=30, unique_by=lambda row: (row[0], row[1])))
def test_property_parse_of_written_answers_gives_them_back(rows):
    services = {"Northshire Police": "police", "Fire, North": "fire",
                "\"Quoted\" Council": "local_authority", "Ambiwlans Cymru": "ambulance"}
    df = pd.DataFrame({
        "agency": [r[0] for r in rows],
        "service": [services[r[0]] for r in rows],
        "item": [r[1] for r in rows],
        "value": [math.nan if r[2] is None else float(r[2]) for r in rows],
        "comment": [r[3].strip() for r in rows],
    })
    text = answers_to_csv(df, item_order=ITEMS)
    back = parse(text)
    if not rows:
        assert messages(back) == ["line 1: the file has no answers"]
        return
    assert back.ok, messages(back)
    assert answers_to_csv(back.rows, item_order=ITEMS) == text
    rank = {code: i for i, code in enumerate(ITEMS)}
    expected = df.assign(r=df["item"].map(rank)).sort_values(["agency", "r"]).drop(columns="r")
    pd.testing.assert_frame_equal(back.rows, expected.reset_index(drop=True), check_dtype=False)


def test_unclosed_quote_is_reported_where_the_record_starts():
    text = with_rows("Northshire Police,police,E1,4,", 'Northshire Police,police,E2,4,"open',
                     "Northshire Police,police,E3,4,")
    assert messages(parse(text)) == [
        "line 3: this line is not valid CSV (unexpected end of data); check the quotes around "
        "any text with commas or line breaks"]


def test_a_nul_character_is_refused_with_its_line():
    # Found by fuzzing on PostgreSQL, which cannot store NUL in text.
    data = ("agency,service,item,value,comment\n"
            "Alpha Police,police,E1,4,fine\n"
            'Alpha Police,police,E2,3,"bad\x00comment"\n')
    parsed = parse_answers_csv(data, item_codes=["E1", "E2"])
    assert not parsed.ok and parsed.rows.empty
    assert [str(e) for e in parsed.errors] == [
        "line 3: this row contains a NUL character; the file may be damaged or not a text file"]
