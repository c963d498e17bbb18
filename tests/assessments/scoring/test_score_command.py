"""``manage.py score ANSWERS.csv``: the results JSON, or every problem by line number."""

import io
import json

import pandas as pd
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from assessments.frameworks import framework_spec
from assessments.interchange.csv import answers_to_csv
from assessments.results.wording import reason_writer
from assessments.scoring import score_round, to_json
from tests.conftest import full_answers


def rows_of(answers_by_agency):
    """Answers as the interchange table: {agency: {item: value}}."""
    return pd.DataFrame([
        {"agency": agency, "service": "fire", "item": code, "value": value, "comment": ""}
        for agency, answers in answers_by_agency.items() for code, value in answers.items()])


def write_csv(tmp_path, answers_by_agency, name="answers.csv"):
    path = tmp_path / name
    path.write_text(answers_to_csv(rows_of(answers_by_agency)), encoding="utf-8")
    return path


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("score", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_prints_the_results_json_of_the_method(framework, tmp_path):
    answers = {"North Fire": full_answers(E2=1, O4=1), "South Fire": full_answers(E2=4)}
    path = write_csv(tmp_path, answers)
    out, err = run(str(path))
    doc = json.loads(out)
    assert err == ""
    assert doc["method"] == "v1" and doc["framework"] == "esc-2015"
    assert doc["agencies"] == ["North Fire", "South Fire"]
    assert list(doc["items"]) == [f"E{i}" for i in range(1, 8)] + [f"B{i}" for i in range(1, 7)]
    assert doc["items"]["E2"] == {"n": 2, "mean": 2.5, "min": 1, "max": 4, "spread": 3,
                                  "status": "weak", "absent": False, "divergent": True}
    o4 = doc["options"]["O4"]
    assert o4["level"] == 3 and o4["published_level"] == 1 and o4["opposed"] == 1
    assert [r["code"] for r in o4["reasons"]] == ["support_below_share", "opposed",
                                                   "weak_enabler"]
    assert doc["options"]["O20"]["reasons"][0]["code"] == "all_clear"
    # Exactly the scoring module's document, reasons in English, with a final newline.
    rows = rows_of(answers).astype({"value": float})
    result = score_round(rows, framework_spec(framework=framework))
    with translation.override("en-gb"):
        titles = {f.code: f.title for f in framework_spec(framework=framework).factors}
        assert out == to_json(result, reason_writer(titles)) + "\n"
    assert doc["options"]["O4"]["reasons"][2]["text"] == (
        "E2 Trust at all levels is weak (average 2.5, lowest 1).")


def test_framework_option_picks_the_published_version_of_that_code(framework, tmp_path):
    path = write_csv(tmp_path, {"A": full_answers(), "B": full_answers()})
    out, _ = run(str(path), "--framework", "esc-2015")
    assert json.loads(out)["framework"] == "esc-2015"
    with pytest.raises(CommandError, match='No published framework has the code "nope" '
                                           r"\(published: esc-2015\)"):
        run(str(path), "--framework", "nope")


def test_a_bad_file_is_refused_with_every_problem_by_line(framework, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("agency,service,item,value,comment\n"
                    "North Fire,fire,E1,4,\n"
                    "North Fire,fire,E99,4,\n"
                    "North Fire,fire,E2,7,\n"
                    "North Fire,fire,E1,3,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="3 problems") as excinfo:
        run(str(path))
    assert "nothing was scored" in str(excinfo.value)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("score", str(path), stdout=io.StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines == [
        'line 3: unknown item "E99" (not in this framework)',
        'line 4: value "7" is not a whole number from 1 to 5 (leave blank for "Don\'t know")',
        'line 5: agency "North Fire" answers item "E1" twice (lines 2 and 5)',
    ]


def test_a_file_without_the_header_is_refused(framework, tmp_path):
    path = tmp_path / "noheader.csv"
    path.write_text("North Fire,fire,E1,4,\n", encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="problems"):
        call_command("score", str(path), stdout=io.StringIO(), stderr=err)
    assert err.getvalue().startswith("line 1: the header must name the columns "
                                     "agency,service,item,value,comment; missing: agency")


def test_missing_file(framework, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run(str(tmp_path / "absent.csv"))


def test_reads_standard_input(framework, tmp_path, monkeypatch):
    path = write_csv(tmp_path, {"A": full_answers(), "B": full_answers(E1=None)})
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(path.read_bytes())))
    out, _ = run("-")
    assert json.loads(out)["items"]["E1"]["n"] == 1


def test_one_agency_rates_nothing(framework, tmp_path):
    path = write_csv(tmp_path, {"Alone": full_answers()})
    doc = json.loads(run(str(path))[0])
    assert {o["level"] for o in doc["options"].values()} == {None}
    assert all(o["reasons"] == [] for o in doc["options"].values())
