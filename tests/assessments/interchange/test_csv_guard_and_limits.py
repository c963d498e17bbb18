"""CSV files people open are safe from formula injection, and still import back exactly;
a hopeless answers file gets a short error page (issue 11, findings 3 and 5)."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from assessments.interchange.imports import round_import_answers
from assessments.models import Answer, Submission, SubmittedAnswer
from tests.assessments.research.data import build
from tests.conftest import full_answers

# Each dangerous start, on a different item.
COMMENTS = {
    "E1": '=HYPERLINK("http://evil.example","click")',
    "E2": "+cmd|' /C calc'!A0",
    "E3": "-1+1",
    "E4": "@SUM(1)",
    "E5": "\tleading tab",
    "E6": "\rleading carriage return",
    "B1": "'=guarded by hand already",
    "B2": "'just an apostrophe",
    "B3": "Plain evidence, with a comma.",
}
AGENCY = "=Alpha Police"  # an agency name starting with =


@pytest.fixture
def alpha(world, submit_answers):
    police = world.agencies["Alpha Police"]
    police.name = AGENCY
    police.save()
    round_ = world.rounds["Alpha"]
    submit_answers(round_, police, full_answers(E7=None), comments=COMMENTS)
    submit_answers(round_, world.agencies["Alpha Fire"], full_answers(B3=5))
    return round_


def download(client, round_):
    response = client.get(reverse("rounds:answers_csv", args=[round_.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith('attachment; filename="bluelight-')
    return response.content


def cells(body: bytes) -> dict[tuple[str, str], dict]:
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"), newline="")))
    return {(r["agency"], r["item"]): r for r in rows}


def test_the_answers_csv_guards_every_dangerous_start(alpha, world, login):
    rows = cells(download(login(world.user("alice")), alpha))
    guarded = "'" + AGENCY
    for code, comment in COMMENTS.items():
        cell = rows[(guarded, code)]["comment"]
        if code in ("B2", "B3"):
            assert cell == comment  # nothing a spreadsheet would run: left alone
        else:
            assert cell == "'" + comment
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert rows[("Alpha Fire", "B3")]["value"] == "5"  # numbers are not guarded
    assert rows[(guarded, "E7")]["value"] == ""


def test_importing_the_downloaded_csv_gives_back_the_same_answers(alpha, world, login):
    before = download(login(world.user("alice")), alpha)
    stored = dict(Answer.objects.filter(submission__agency__name=AGENCY)
                  .values_list("item__code", "comment"))
    result = round_import_answers(round=alpha, data=before, user=world.user("rita"),
                                  replace_submitted=True)
    assert result.ok, [str(e) for e in result.errors]
    assert [a.agency for a in result.agencies] == ["=Alpha Police", "Alpha Fire"]
    for model in (Answer, SubmittedAnswer):
        after = dict(model.objects.filter(submission__agency__name=AGENCY)
                     .values_list("item__code", "comment"))
        assert after == stored
        for code, comment in COMMENTS.items():
            assert after[code] == comment  # byte for byte
    assert download(login(world.user("alice")), alpha) == before


def test_research_csv_downloads_are_guarded(world, submit_answers, login):
    build(world, submit_answers)
    item = world.framework.items.get(code="E1")
    type(item).objects.filter(pk=item.pk).update(title="=HYPERLINK(\"http://x\")")
    client = login(world.user("rita"))
    response = client.get(reverse("research:export", kwargs={"name": "means", "fmt": "csv"}))
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[[r[0] for r in rows].index("E1")][:2] == ["E1", "'=HYPERLINK(\"http://x\")"]
    answers = client.get(reverse("research:answers_csv"))
    assert answers.status_code == 200 and answers["Content-Type"] == "text/csv; charset=utf-8"
    for body in (response.content, answers.content):
        for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))):
            for cell in row:
                assert not cell.startswith(("=", "@", "\t", "\r", "+")), cell
                if cell.startswith("-"):
                    float(cell)  # only a negative number may start with a minus


# --------------------------------------------------------------------------- hopeless files


def upload(client, round_, text: str) -> str:
    file = SimpleUploadedFile("answers.csv", text.encode(), content_type="text/csv")
    response = client.post(reverse("rounds:import", args=[round_.pk]), {"file": file})
    assert response.status_code == 200
    return response.content.decode()


def test_a_hopeless_file_gets_a_short_page_listing_the_first_problems(world, login):
    rows = "".join(f"Unknown agency {i},police,X{i},4,\n" for i in range(100_000))
    html = upload(login(world.user("rita")), world.rounds["Alpha"],
                  "agency,service,item,value,comment\n" + rows)
    assert len(html.encode()) < 200_000
    assert "The file was not imported: at least 1000 problems. Nothing was changed." in html
    assert "Line 2: unknown item &quot;X0&quot;" in html
    assert "Line 201: unknown item" in html and "Line 202:" not in html
    assert "… and at least 800 more problems (not listed)." in html
    assert "checking stopped at line 1002" in html
    assert not Submission.objects.exists()


def test_unknown_agencies_by_the_thousand_stop_the_check_too(world, login):
    codes = list(world.framework.items.order_by("order", "id").values_list("code", flat=True))
    rows = "".join(f"Stranger {i},police,{code},4,\n"
                   for i in range(100_000 // len(codes)) for code in codes)
    html = upload(login(world.user("rita")), world.rounds["Alpha"],
                  "agency,service,item,value,comment\n" + rows)
    assert len(html.encode()) < 200_000
    assert "at least 1000 problems" in html
    assert "agency “Stranger 0” is not a member of Alpha" in html
    assert "… and at least 800 more problems (not listed)." in html


def test_a_file_with_some_problems_lists_200_and_counts_the_rest(world, login):
    rows = "".join(f"Alpha Police,police,X{i},4,\n" for i in range(250))
    html = upload(login(world.user("rita")), world.rounds["Alpha"],
                  "agency,service,item,value,comment\n" + rows)
    assert "The file was not imported: 250 problems. Nothing was changed." in html
    assert "… and 50 more problems (not listed)." in html
    assert "Line 201:" in html and "Line 202:" not in html


def test_the_import_problems_are_in_welsh_for_a_welsh_reader(world, login, settings):
    client = login(world.user("rita"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
    rows = "Alpha Police,police,X1,4,\nAlpha Police,police,E1,9,\nAlpha Police,police,E2,\"4\n"
    html = upload(client, world.rounds["Alpha"], "agency,service,item,value,comment\n" + rows)
    assert "Ni fewnforiwyd y ffeil" in html
    assert "Llinell 2: eitem anhysbys &quot;X1&quot; (nid yw yn y fframwaith hwn)" in html
    assert "Llinell 3: nid yw&#x27;r gwerth &quot;9&quot; yn rhif cyfan o 1 i 5" in html
    assert "Llinell 4: nid yw&#x27;r llinell hon yn CSV dilys" in html
    translation.activate(settings.LANGUAGE_CODE)  # the page left Welsh on for this thread
