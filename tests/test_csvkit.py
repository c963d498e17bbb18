"""The CSV toolkit both importers and every CSV download share."""

import csv
import io

import pandas as pd
import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from bluelight.csvkit import (
    STOP_AFTER,
    CsvError,
    Problems,
    clean,
    decode,
    frame_to_csv,
    guard,
    listing,
    read,
    unguard,
    write_rows,
)


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


DANGEROUS = ['=HYPERLINK("http://evil.example","click")', "+cmd|' /C calc'!A0", "-1+1",
             "@SUM(1)", "\tleading tab", "\rleading carriage return"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert guard(text) == "'" + text
    assert unguard(guard(text)) == text


@pytest.mark.parametrize("text", ["'=already guarded by hand", "''+twice", "'\tx"])
def test_apostrophes_before_a_formula_get_one_more_so_the_guard_is_reversible(text):
    assert guard(text) == "'" + text
    assert unguard(guard(text)) == text


@pytest.mark.parametrize("value", ["plain", "'just an apostrophe", "it's", "", "4", 4, -1,
                                   -2.5, None])
def test_safe_text_and_numbers_are_left_alone(value):
    assert guard(value) == value
    if isinstance(value, str):
        assert unguard(value) == value


@given(st.text(max_size=12))
def test_property_unguard_undoes_guard_and_nothing_written_starts_a_formula(text):
    written = guard(text)
    assert unguard(written) == text
    assert not written.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_clean_strips_then_undoes_the_guard_keeping_a_guarded_tab():
    assert clean("  '=1+1 ") == "=1+1"
    assert clean("'\tindented") == "\tindented"
    assert clean("  plain  ") == "plain"


def test_written_rows_and_frames_are_guarded_but_numbers_are_not():
    text = write_rows(["name", "n"], [["=1+1", 4], ["ok", -3]])
    assert list(csv.reader(io.StringIO(text))) == [["name", "n"], ["'=1+1", "4"], ["ok", "-3"]]
    body = frame_to_csv(pd.DataFrame({"title": ["@SUM(1)", "fine"], "mean": [-1.5, 2.0]}))
    assert body.startswith("\ufeff".encode())
    assert body.decode("utf-8-sig").splitlines() == ["title,mean", "'@SUM(1),-1.5",
                                                     "fine,2.0"]


def test_decode_accepts_a_bom_and_names_the_line_of_a_bad_byte():
    assert decode("\ufeffa,b\n".encode()) == ("a,b\n", None)
    text, error = decode(b"a,b\n1,2\n3,\xff\n")
    assert text is None and error == CsvError(3, error.message)
    assert "not UTF-8" in error.message


def test_records_carry_the_physical_line_they_start_on():
    problems = Problems()
    rows = read('h1,h2\n\n1,"two\nlines"\n3,4\n', problems)
    assert rows == [(1, ["h1", "h2"]), (3, ["1", "two\nlines"]), (5, ["3", "4"])]
    assert not problems


def test_a_nul_anywhere_and_bad_quoting_are_problems_at_their_line():
    problems = Problems()
    filler = "".join(f"r{i},x\n" for i in range(600))  # the NUL is far past the first 4 KB
    rows = read("h1,h2\n" + filler + "bad\x00id,x\nlast,\"open\n", problems)
    assert [r[0] for r in rows][-1] == 601
    assert [str(e) for e in problems.sorted()] == [
        "line 602: this row contains a NUL character; the file may be damaged or not a text "
        "file",
        "line 603: this line is not valid CSV (unexpected end of data); check the quotes "
        "around any text with commas or line breaks"]


def test_reading_stops_once_a_file_is_hopeless():
    problems = Problems(stop_after=3)
    rows = read("".join("a\x00\n" for _ in range(10)) + "fine\n", problems)
    assert rows == [] and len(problems.errors) == 3 and problems.stopped_at == 4
    complete = Problems(stop_after=3)
    read("a\x00\nb\x00\nc\x00\n", complete)
    assert complete.stopped_at is None  # nothing was left unchecked


def test_listing_shows_the_first_problems_by_line_and_counts_the_rest():
    errors = [CsvError(line, "bad") for line in range(250, 0, -1)]
    shown = listing(errors)
    assert [e.line for e in shown.shown] == list(range(1, 201))
    assert (shown.total, shown.more, shown.complete) == (250, 50, True)
    stopped = listing(errors[:STOP_AFTER], stopped_at=9000, shown=10)
    assert not stopped.complete and stopped.more == 240 and stopped.stopped_at == 9000


# --------------------------------------------------------------------------- formatting


def test_one_way_to_write_a_percentage_a_number_an_answer_and_a_date():
    from datetime import date

    from bluelight.formatting import answer, format_date, number, percent

    assert [percent(0.412), percent(0.72, 1), percent(0.5, 1, trim=True)] == [
        "41%", "72.0%", "50%"]
    assert percent(float("nan")) == percent(None) == number(None) == "—"
    assert percent(None, dash="-") == "-"
    assert [number(2.5), number(2.5, trim=True), number(3, 1)] == ["2.50", "2.5", "3.0"]
    labels = {4: "Support"}
    assert [answer(4, labels), answer(4.0, labels), answer(3, labels), answer(3.5, labels)] == [
        "4 Support", "4 Support", "3", "3.5"]
    assert answer(None, labels) == "Don't know"
    assert answer(float("nan"), labels, none="No answer") == "No answer"
    assert format_date(date(2025, 3, 5)) == "5 March 2025"
    assert format_date(date(2025, 3, 5), "d M Y") == "05 Mar 2025"
    with translation.override("cy"):
        assert format_date(date(2025, 3, 5)) == "5 Mawrth 2025"
