"""The dashboard's downloads: the results JSON (``manage.py score``'s twin once the results are
final, marked provisional before), the workbook, and how the files are named."""

import io
import json

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import pgettext

from assessments.models import Agency, Membership, Round
from assessments.results.exports import round_answers_csv
from assessments.results.selectors import round_scored
from assessments.results.wording import reason_texts, status_text
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


def today():
    return timezone.localdate().isoformat()


def close(round_):
    round_.status = Round.Status.CLOSED
    round_.save()
    return round_


@pytest.mark.parametrize("name", ["alice", "rita", "adam"])
def test_final_results_json_download_is_the_score_command_output(alpha, world, login,
                                                                 tmp_path, name):
    """Closed, and every agency of the partnership submitted: the results are final."""
    close(alpha)
    response = login(world.user(name)).get(reverse("results:json", args=[alpha.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="bluelight-alpha-alpha-round-1-results-{today()}.json"')
    assert response.content == command_output(alpha, tmp_path).encode("utf-8")
    assert b'"provisional"' not in response.content


def test_results_json_of_an_open_round_is_marked_provisional(alpha, world, login, tmp_path):
    response = login(world.user("alice")).get(reverse("results:json", args=[alpha.pk]))
    assert response["Content-Disposition"] == (
        'attachment; filename="bluelight-alpha-alpha-round-1-results-provisional-'
        f'{today()}.json"')
    document = json.loads(response.content)
    assert list(document)[:2] == ["provisional", "still_to_submit"]
    assert document.pop("provisional") is True
    assert document.pop("still_to_submit") == []
    # The rest is the results document itself.
    assert document == json.loads(command_output(alpha, tmp_path))


def test_results_json_names_the_agencies_still_to_submit_even_when_closed(alpha, world,
                                                                          login):
    late = Agency.objects.create(name="Alpha Ambulance", service="ambulance")
    Membership.objects.create(partnership=alpha.partnership, agency=late)
    close(alpha)
    document = json.loads(login(world.user("rita")).get(
        reverse("results:json", args=[alpha.pk])).content)
    assert document["provisional"] is True
    assert document["still_to_submit"] == ["Alpha Ambulance"]


def test_the_page_links_its_downloads(alpha, world, login):
    html = login(world.user("alice")).get(reverse("results:round", args=[alpha.pk]))
    html = html.content.decode()
    for name in ("results:json", "results:xlsx", "rounds:answers_csv"):
        assert f'href="{reverse(name, args=[alpha.pk])}"' in html
    # In the users' words, not ours.
    for words in ("Results as data (JSON), for other systems", "Workbook (Excel)",
                  "Answers (CSV spreadsheet)"):
        assert words in html
    for ours in ("interchange", "manage.py", "XLSX"):
        assert ours not in html
    # researchers get the answers too, without the comment column, and the page says so
    research = login(world.user("rita")).get(reverse("results:round", args=[alpha.pk]))
    research = research.content.decode()
    assert f'href="{reverse("rounds:answers_csv", args=[alpha.pk])}"' in research
    assert "without the comment column" in research
    assert "without the comment column" not in html


def workbook(client, round_, kind="results-provisional"):
    response = client.get(reverse("results:xlsx", args=[round_.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert response["Content-Disposition"].endswith(
        f'bluelight-alpha-alpha-round-1-{kind}-{today()}.xlsx"')
    return openpyxl.load_workbook(io.BytesIO(response.content))


def rows(sheet):
    header, *body = list(sheet.iter_rows(values_only=True))
    return [dict(zip(header, row, strict=True)) for row in body]


def test_workbook_has_answers_items_options_and_a_readme(alpha, world, login):
    book = workbook(login(world.user("alice")), alpha)
    assert book.sheetnames == ["README", "Answers", "Items", "Options", "Action plan",
                               "Divergences"]
    readme = {row[0]: row[1] for row in book["README"].iter_rows(values_only=True)}
    first = next(book["README"].iter_rows(values_only=True))
    assert first == ("Results", "Provisional. The round is still open: agencies can still "
                     "submit or change their answers, so these results may change.")
    assert readme["Still to submit"] == "none"
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
    titles = {f.code: f.title for f in round_scored(round=alpha).spec.factors}
    scales = {s.kind: dict(s.labels) for s in alpha.framework.scales.all()}
    assert o4["reasons"].split("\n") == reason_texts(result.options["O4"], titles, scales)
    assert o4["reasons"].split("\n")[1] == (
        "Alpha Police opposes this (answered 1: Strongly oppose).")
    assert options["O20"]["reasons"].startswith("2 of 2 agencies support this")
    items = {r["code"]: r for r in rows(book["Items"])}
    assert items["B3"]["status"] == "critical barrier" and items["B3"]["max"] == 5
    assert items["B3"]["status code"] == "key"
    assert items["E2"]["status"] == status_text(result.items["E2"]) == "enabler that needs work"

    plan = rows(book["Action plan"])
    assert {p["code"] for p in plan[:2]} == {"E2", "B3"}
    e2 = next(p for p in plan if p["code"] == "E2")
    assert plan[0]["rank"] == 1 and e2["status"] == "enabler that needs work"
    assert "O4 Co-located control rooms (Level 3)" in e2["holds back"]
    divergent = {r["code"]: r for r in rows(book["Divergences"])}
    assert divergent["E2"]["Alpha Police"] == "1 Not in place"
    assert divergent["E2"]["Alpha Fire"] == "4 Largely in place"
    assert divergent["E2"]["Alpha Police · comment"] == "'" + COMMENTS["E2"]  # guarded
    assert divergent["E2"]["difference"] == 3
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
    assert "Alpha Police · comment" not in next(book["Divergences"].iter_rows(values_only=True))
    assert "Plain evidence." not in str([c.value for s in book.worksheets
                                        for row in s.iter_rows() for c in row])


def test_final_workbook_says_final(alpha, world, login):
    close(alpha)
    book = workbook(login(world.user("alice")), alpha, kind="results")
    assert next(book["README"].iter_rows(values_only=True)) == ("Results", "Final.")


def test_workbook_in_welsh_has_welsh_sheets_headings_and_statuses(alpha, world, login):
    client = login(world.user("alice"))
    client.post(reverse("set_language"), {"language": "cy", "next": "/"})
    try:
        response = client.get(reverse("results:xlsx", args=[alpha.pk]))
    finally:
        translation.deactivate()
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert "Answers" not in book.sheetnames and "Action plan" not in book.sheetnames
    items = book.worksheets[2]
    header = next(items.iter_rows(values_only=True))
    assert "status" not in header and "title" not in header
    with translation.override("cy"):
        column = header.index(pgettext("workbook column", "status"))
        welsh = status_text(round_scored(round=alpha).result.items["B3"])
    statuses = {row[0]: row[column] for row in items.iter_rows(min_row=2, values_only=True)}
    assert statuses["B3"] == welsh != "critical barrier"
    readme = [row[0] for row in book.worksheets[0].iter_rows(values_only=True)]
    assert "Still to submit" not in readme and "Results" not in readme
