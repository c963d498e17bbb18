"""The dashboard's downloads: the results JSON (``manage.py score``'s twin) and the workbook."""

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments.results.exports import round_answers_csv
from assessments.results.selectors import round_scored
from tests.conftest import full_answers

POLICE = full_answers(E2=1, O4=1)
FIRE = full_answers(E2=4, B3=5, E7=None)
COMMENTS = {"E2": "=HYPERLINK(\"http://evil.example\",\"click\")", "B1": "+44 1234",
            "O4": "-not a formula", "E1": "@SUM(A1)", "E3": "Plain evidence."}


@pytest.fixture
def alpha(world, submit_answers):
    round_ = world.rounds["Alpha"]
    submit_answers(round_, world.agencies["Alpha Police"], POLICE, comments=COMMENTS)
    submit_answers(round_, world.agencies["Alpha Fire"], FIRE)
    return round_


def command_output(round_, tmp_path):
    """``manage.py score`` on the round's answers export (the file a lead downloads)."""
    path = tmp_path / "answers.csv"
    path.write_bytes(round_answers_csv(round=round_).encode("utf-8"))
    out = io.StringIO()
    call_command("score", str(path), "--framework", round_.framework.code, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("name", ["alice", "rita", "adam"])
def test_results_json_download_is_the_score_command_output(alpha, world, login, tmp_path,
                                                           name):
    response = login(world.user(name)).get(reverse("results:json", args=[alpha.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="results-alpha-alpha-round-1.json"')
    assert response.content == command_output(alpha, tmp_path).encode("utf-8")


def test_the_page_links_its_downloads(alpha, world, login):
    html = login(world.user("alice")).get(reverse("results:round", args=[alpha.pk]))
    html = html.content.decode()
    for name in ("results:json", "results:xlsx", "rounds:answers_csv"):
        assert f'href="{reverse(name, args=[alpha.pk])}"' in html
    research = login(world.user("rita")).get(reverse("results:round", args=[alpha.pk]))
    assert reverse("rounds:answers_csv", args=[alpha.pk]) not in research.content.decode()


def workbook(client, round_):
    response = client.get(reverse("results:xlsx", args=[round_.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert response["Content-Disposition"].endswith('results-alpha-alpha-round-1.xlsx"')
    return openpyxl.load_workbook(io.BytesIO(response.content))


def rows(sheet):
    header, *body = list(sheet.iter_rows(values_only=True))
    return [dict(zip(header, row, strict=True)) for row in body]


def test_workbook_has_answers_items_options_and_a_readme(alpha, world, login):
    book = workbook(login(world.user("alice")), alpha)
    assert book.sheetnames == ["README", "Answers", "Items", "Options"]
    readme = {row[0]: row[1] for row in book["README"].iter_rows(values_only=True)}
    assert readme["Method"] == "bluelight scoring method v1"
    assert readme["Framework"] == "esc-2015 version 1"
    assert readme["Round"] == "Alpha round 1"
    assert readme["Generated at"]
    assert readme["Comments"] == "included"

    answers = rows(book["Answers"])
    assert len(answers) == 2 * 33
    e2 = next(r for r in answers if r["agency"] == "Alpha Police" and r["item"] == "E2")
    assert e2 | {"comment": None} == {
        "agency": "Alpha Police", "service": "police", "item": "E2",
        "item title": "Trust at all levels", "kind": "enabler", "value": 1,
        "answer": "1 Not in place", "comment": None}
    e7 = next(r for r in answers if r["agency"] == "Alpha Fire" and r["item"] == "E7")
    assert e7["value"] is None and e7["answer"] == "Don't know"

    result = round_scored(round=alpha).result
    options = {r["code"]: r for r in rows(book["Options"])}
    o4 = options["O4"]
    assert o4["level"] == result.options["O4"].level == 3
    assert o4["published level"] == 1
    assert o4["reasons"].split("\n") == [r.text for r in result.options["O4"].reasons]
    assert options["O20"]["reasons"].startswith("2 of 2 agencies support this")
    items = {r["code"]: r for r in rows(book["Items"])}
    assert items["B3"]["status"] == "key" and items["B3"]["max"] == 5
    assert items["E2"]["divergent"] is True and items["E2"]["theme"] == "culture"


def test_workbook_neutralises_formulas_in_text(alpha, world, login):
    book = workbook(login(world.user("alice")), alpha)
    comments = {r["item"]: r["comment"] for r in rows(book["Answers"])
                if r["agency"] == "Alpha Police"}
    assert comments["E2"] == "'=HYPERLINK(\"http://evil.example\",\"click\")"
    assert comments["B1"] == "'+44 1234"
    assert comments["O4"] == "'-not a formula"
    assert comments["E1"] == "'@SUM(A1)"
    assert comments["E3"] == "Plain evidence."
    # Nothing in the workbook is a formula.
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row)


def test_researchers_workbook_has_no_comments(alpha, world, login):
    book = workbook(login(world.user("rita")), alpha)
    answers = rows(book["Answers"])
    assert "comment" not in answers[0]
    readme = {row[0]: row[1] for row in book["README"].iter_rows(values_only=True)}
    assert readme["Comments"] == "not included"
    assert "Plain evidence." not in str([c.value for s in book.worksheets
                                        for row in s.iter_rows() for c in row])
