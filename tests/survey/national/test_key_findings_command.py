"""``manage.py import_survey`` and ``manage.py key_findings``."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from survey.models import Respondent


def public_poll(path, *, yes=770, no=299, extra=""):
    """The public poll's K3 as in docs/national-surveys.md: 770 of 1,069 agree (4 or 5)."""
    lines = ["respondent,sample,service,nation,K3"]
    lines += [f"P{i},public,,England,{4 + i % 2}" for i in range(yes)]
    lines += [f"N{i},public,,Wales,{1 + i % 3}" for i in range(no)]
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_key_findings_json_is_the_document_of_the_spec(national_survey, tmp_path):
    out, _ = run("import_survey", str(public_poll(tmp_path / "poll.csv")), "--survey",
                 "esc-2015")
    assert "imported 1069 respondents into esc-2015: added 1069, updated 0" in out
    out, _ = run("key_findings", "--survey", "esc-2015", "--format", "json")
    doc = json.loads(out)
    assert doc["survey"] == "esc-2015"
    assert doc["findings"]["K3"] == {"base": 1069, "positive": 770, "share": 0.7203,
                                     "ci95": [0.6926, 0.7464], "published": 0.72}
    assert list(doc["findings"]) == ["K1", "K2", "K3", "K4", "K5"]
    assert doc["findings"]["K1"] == {"base": 0, "positive": 0, "share": None, "ci95": None,
                                     "published": 0.98}


def test_key_findings_table_shows_breakdowns_with_suppression(national_survey, tmp_path):
    run("import_survey", str(public_poll(tmp_path / "poll.csv", yes=20, no=5)), "--survey",
        "esc-2015")
    out, _ = run("key_findings", "--survey", "esc-2015", "--min-cell", "6")
    assert "K3" in out and "80.0%" in out and "published figure outside our interval" not in out
    assert "Wales            suppressed (base under 6)" in out  # base 5, under 6
    # England alone would give Wales away (the total is shown): suppressed too, and says why.
    assert ("England          suppressed (so that a smaller group cannot be worked out)"
            in out)
    out, _ = run("key_findings", "--survey", "esc-2015", "--min-cell", "5")
    assert "England          100.0% (83.9% to 100.0%), base 20" in out
    assert "Wales            0.0% (0.0% to 43.4%), base 5" in out


def test_reimport_with_the_command_does_not_double_count(national_survey, tmp_path):
    path = public_poll(tmp_path / "poll.csv")
    run("import_survey", str(path), "--survey", "esc-2015")
    out, _ = run("import_survey", str(path), "--survey", "esc-2015")
    assert "already imported" in out and "nothing changed" in out
    assert Respondent.objects.count() == 1069


def test_import_command_refuses_a_bad_file_listing_lines(national_survey, tmp_path):
    path = public_poll(tmp_path / "bad.csv", yes=3, no=1,
                       extra="X1,pubic,,England,4\nX2,public,,England,9\n")
    with pytest.raises(CommandError, match="2 problems .*nothing was imported"):
        run("import_survey", str(path), "--survey", "esc-2015")
    assert not Respondent.objects.exists()
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_survey", str(path), "--survey", "esc-2015", stderr=err)
    assert 'line 6: unknown sample "pubic"' in err.getvalue()
    assert 'line 7: K3: "9" is not an answer' in err.getvalue()


def test_dry_run_imports_nothing(national_survey, tmp_path):
    out, _ = run("import_survey", str(public_poll(tmp_path / "p.csv", yes=2, no=2)),
                 "--survey", "esc-2015", "--dry-run")
    assert "no problems found" in out and not Respondent.objects.exists()


def test_unknown_survey_and_missing_file(national_survey, tmp_path):
    with pytest.raises(CommandError, match='No survey has the code "nope"'):
        run("key_findings", "--survey", "nope")
    with pytest.raises(CommandError, match="No such file"):
        run("import_survey", str(tmp_path / "missing.csv"), "--survey", "esc-2015")


def test_key_findings_csv_is_the_download_of_the_findings_page(national_survey, tmp_path):
    run("import_survey", str(public_poll(tmp_path / "poll.csv", yes=20, no=5)), "--survey",
        "esc-2015")
    out, _ = run("key_findings", "--survey", "esc-2015", "--format", "csv", "--min-cell", "6")
    rows = list(csv.DictReader(io.StringIO(out)))
    k3 = next(r for r in rows if r["code"] == "K3" and r["breakdown"] == "total")
    assert (k3["base"], k3["positive"], k3["share"], k3["published"]) == ("25", "20", "0.8",
                                                                         "0.72")
    nation = {r["group"]: r for r in rows if r["code"] == "K3" and r["breakdown"] == "nation"}
    assert nation["Wales"]["suppression"] == "small" and nation["Wales"]["base"] == ""
    assert nation["England"]["suppression"] == "secondary"
    assert not out.startswith("\ufeff")


def test_key_findings_table_writes_percentages_one_way(national_survey, tmp_path):
    run("import_survey", str(public_poll(tmp_path / "poll.csv")), "--survey", "esc-2015")
    out, _ = run("key_findings", "--survey", "esc-2015")
    # 770 of 1,069: 72.0% (69.3% to 74.6%), published 72.0%; K1 has no answers: "-".
    assert "72.0%  69.3% to 74.6%" in out and "72.0%" in out
    k1 = next(line for line in out.splitlines() if line.startswith("K1 "))
    assert k1.split()[1] == "-" and "98.0%" in k1
