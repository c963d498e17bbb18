"""The national survey pages: list, key findings, JSON download and upload."""

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from survey.models import ImportBatch, Respondent
from survey.national.imports import survey_import

HEADER = "respondent,sample,service,nation,K1,K2,K3,K4,K5\n"


def service_and_public(*, police=12, fire=3, public_yes=770, public_no=299):
    """Service sample: police all 'yes', fire all 'no'; public K3 as in the spec."""
    rows = [f"S{i},service,police,England,yes,increased,,," for i in range(police)]
    rows += [f"F{i},service,fire,Wales,no,same,,," for i in range(fire)]
    rows += [f"P{i},public,,England,,,5,4,4" for i in range(public_yes)]
    rows += [f"N{i},public,,England,,,2,2,2" for i in range(public_no)]
    return (HEADER + "\n".join(rows) + "\n").encode()


URLS = [
    ("surveys:list", {}),
    ("surveys:findings", {"code": "esc-2015"}),
    ("surveys:findings_json", {"code": "esc-2015"}),
    ("surveys:findings_csv", {"code": "esc-2015"}),
    ("surveys:findings_xlsx", {"code": "esc-2015"}),
    ("surveys:import", {"code": "esc-2015"}),
]


@pytest.mark.parametrize(("name", "kwargs"), URLS)
def test_leads_and_users_without_a_role_are_refused(world, national_survey, login, client,
                                                    name, kwargs):
    url = reverse(name, kwargs=kwargs)
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert login(world.user("alice")).get(url).status_code == 403
    assert login(world.user("nobody")).get(url).status_code == 403
    assert login(world.user("adam")).get(url).status_code == 200
    assert login(world.user("rita")).get(url).status_code == 200


def test_a_lead_cannot_post_an_import(world, national_survey, login):
    url = reverse("surveys:import", kwargs={"code": "esc-2015"})
    upload = SimpleUploadedFile("x.csv", service_and_public(), content_type="text/csv")
    assert login(world.user("carol")).post(url, {"file": upload}).status_code == 403
    assert not Respondent.objects.exists()


def test_findings_page_shows_share_interval_base_and_published(world, national_survey, login):
    survey_import(survey=national_survey, data=service_and_public(), file_name="a.csv")
    page = login(world.user("rita")).get(reverse("surveys:findings",
                                                 kwargs={"code": "esc-2015"}))
    html = page.content.decode()
    # K3: 770 of 1,069 -> 72.0%, 95% interval 69.3% - 74.6%, published 72%.
    assert "72.0%" in html and "69.3% – 74.6%" in html and "770 of 1069" in html
    assert "Published figure within our interval" in html
    # K1: 12 of 15 -> 80.0% (54.8% - 93.0%): 98% published lies outside.
    assert "80.0%" in html and "12 of 15" in html
    assert "Published figure outside our interval" in html
    assert 'data-chart="chart-findings-data"' in html and 'id="chart-findings-data"' in html
    assert "vendor/plotly/plotly-cartesian.min.js" in html and "<script>" not in html
    assert '<caption>Key findings with 95% intervals and the published figures</caption>' in html


def test_findings_page_suppresses_small_breakdown_cells(world, national_survey, login,
                                                        settings):
    settings.BLUELIGHT_MIN_CELL_SIZE = 10
    survey_import(survey=national_survey, data=service_and_public(police=12, fire=3),
                  file_name="a.csv")
    html = login(world.user("rita")).get(
        reverse("surveys:findings", kwargs={"code": "esc-2015"})).content.decode()
    # Fire (3) is under 10; police (12) would give it away from the total: both hidden,
    # each saying why.
    k1_service = html.split("<caption>K1 by service</caption>")[1].split("</table>")[0]
    police = k1_service.split("Police</th>")[1].split("</tr>")[0]
    fire = k1_service.split("Fire and rescue</th>")[1].split("</tr>")[0]
    assert "suppressed: base under 10" in fire
    assert "hidden so that a smaller group cannot be worked out from the total" in police
    assert "base under" not in police
    assert ">12<" not in k1_service and ">3<" not in k1_service
    settings.BLUELIGHT_MIN_CELL_SIZE = 3
    html = login(world.user("rita")).get(
        reverse("surveys:findings", kwargs={"code": "esc-2015"})).content.decode()
    k1_service = html.split("<caption>K1 by service</caption>")[1].split("</table>")[0]
    assert "suppressed" not in k1_service and ">12<" in k1_service and ">3<" in k1_service


def test_findings_json_download(world, national_survey, login):
    survey_import(survey=national_survey, data=service_and_public(), file_name="a.csv")
    response = login(world.user("rita")).get(reverse("surveys:findings_json",
                                                     kwargs={"code": "esc-2015"}))
    doc = json.loads(response.content)
    assert doc["findings"]["K3"] == {"base": 1069, "positive": 770, "share": 0.7203,
                                     "ci95": [0.6926, 0.7464], "published": 0.72}


def test_upload_imports_and_says_what_it_did(world, national_survey, login):
    client = login(world.user("rita"))
    url = reverse("surveys:import", kwargs={"code": "esc-2015"})
    upload = SimpleUploadedFile("poll.csv", service_and_public(), content_type="text/csv")
    response = client.post(url, {"file": upload}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("surveys:findings",
                                                     kwargs={"code": "esc-2015"})
    assert "Imported poll.csv: 1084 respondents; added 1084, updated 0" in (
        response.content.decode())
    assert ImportBatch.objects.get().imported_by == world.user("rita")
    again = SimpleUploadedFile("poll.csv", service_and_public(), content_type="text/csv")
    response = client.post(url, {"file": again}, follow=True)
    assert "This file was already imported on" in response.content.decode()
    assert Respondent.objects.count() == 1084


def test_upload_of_a_bad_file_lists_every_problem_and_stores_nothing(world, national_survey,
                                                                      login):
    bad = HEADER + "S1,service,police,England,maybe,,,,\nS1,public,,England,,,4,4,4\n"
    upload = SimpleUploadedFile("bad.csv", bad.encode(), content_type="text/csv")
    response = login(world.user("rita")).post(
        reverse("surveys:import", kwargs={"code": "esc-2015"}), {"file": upload})
    html = response.content.decode()
    assert response.status_code == 200
    assert "The file was not imported: 2 problems. Nothing was changed." in html
    assert "Line 2: K1: &quot;maybe&quot; is not an answer" in html
    assert "Line 3: respondent &quot;S1&quot; appears more than once (first on line 2)" in html
    assert not Respondent.objects.exists() and not ImportBatch.objects.exists()


def test_upload_lists_the_first_200_problems_and_counts_the_rest(world, national_survey,
                                                                 login):
    bad = HEADER + "".join(f"S{i},service,police,England,maybe,,,,\n" for i in range(250))
    upload = SimpleUploadedFile("bad.csv", bad.encode(), content_type="text/csv")
    html = login(world.user("rita")).post(
        reverse("surveys:import", kwargs={"code": "esc-2015"}), {"file": upload}
    ).content.decode()
    assert "250 problems" in html and "and 50 more problems (not listed)" in html
    assert "Line 201:" in html and "Line 202:" not in html


def test_upload_over_the_size_limit_is_refused_with_a_clear_message(world, national_survey,
                                                                    login, settings):
    settings.BLUELIGHT_MAX_UPLOAD_BYTES = 1000
    upload = SimpleUploadedFile("big.csv", service_and_public(), content_type="text/csv")
    html = login(world.user("rita")).post(
        reverse("surveys:import", kwargs={"code": "esc-2015"}), {"file": upload}
    ).content.decode()
    assert "the limit is 1000\xa0bytes" in html
    assert not Respondent.objects.exists()


def test_survey_list_shows_counts(world, national_survey, login):
    survey_import(survey=national_survey, data=service_and_public(), file_name="a.csv")
    html = login(world.user("rita")).get(reverse("surveys:list")).content.decode()
    assert "esc-2015" in html and ">1084<" in html and "a.csv" in html


def test_survey_pages_query_counts_do_not_grow_with_respondents(world, national_survey, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(world.user("rita"))
    client.get(reverse("home"))  # the session's first request may write to it: not counted
    urls = [reverse("surveys:findings", kwargs={"code": "esc-2015"}),
            reverse("surveys:list"), reverse("surveys:import", kwargs={"code": "esc-2015"})]

    def counts():
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    survey_import(survey=national_survey, data=service_and_public(police=2, fire=1,
                                                                   public_yes=3, public_no=1),
                  file_name="small.csv")
    small = counts()
    survey_import(survey=national_survey, data=service_and_public(), file_name="big.csv")
    assert counts() == small
    # session, user, groups, then: survey, questions, counted answers, imports.
    assert small == [7, 4, 6]


def test_findings_page_offers_excel_csv_and_json(world, national_survey, login):
    survey_import(survey=national_survey, data=service_and_public(), file_name="a.csv")
    html = login(world.user("rita")).get(
        reverse("surveys:findings", kwargs={"code": "esc-2015"})).content.decode()
    for name in ("surveys:findings_xlsx", "surveys:findings_csv", "surveys:findings_json"):
        assert f'href="{reverse(name, kwargs={"code": "esc-2015"})}"' in html


def findings_csv_rows(client):
    response = client.get(reverse("surveys:findings_csv", kwargs={"code": "esc-2015"}))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith(
        'attachment; filename="bluelight-esc-2015-key-findings-')
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_findings_csv_has_totals_and_breakdowns_with_suppression_flags(world, national_survey,
                                                                        login, settings):
    settings.BLUELIGHT_MIN_CELL_SIZE = 10
    survey_import(survey=national_survey, data=service_and_public(police=12, fire=3),
                  file_name="a.csv")
    rows = findings_csv_rows(login(world.user("rita")))
    assert list(rows[0]) == ["code", "finding", "sample", "breakdown", "group", "base",
                             "positive", "share", "ci_low", "ci_high", "published",
                             "published_outside_ci", "suppressed", "suppression"]
    k3 = next(r for r in rows if r["code"] == "K3" and r["breakdown"] == "total")
    assert (k3["base"], k3["positive"], k3["share"], k3["ci_low"], k3["ci_high"],
            k3["published"], k3["published_outside_ci"], k3["suppressed"]) == (
        "1069", "770", "0.7203", "0.6926", "0.7464", "0.72", "False", "False")
    k1 = {r["group"]: r for r in rows if r["code"] == "K1" and r["breakdown"] == "service"}
    assert k1["fire"]["suppressed"] == "True" and k1["fire"]["suppression"] == "small"
    assert k1["police"]["suppression"] == "secondary"
    for cell in ("base", "positive", "share", "ci_low", "ci_high"):
        assert k1["fire"][cell] == "" and k1["police"][cell] == ""
    k3_nation = {r["group"]: r for r in rows if r["code"] == "K3" and r["breakdown"] == "nation"}
    assert k3_nation["England"]["base"] == "1069" and k3_nation["England"]["suppressed"] == "False"
    assert k3_nation["England"]["published"] == ""


def test_findings_csv_guards_formulas(world, national_survey, login):
    national_survey.questions.filter(code="K1").update(text="=HYPERLINK(\"http://x\")")
    survey_import(survey=national_survey, data=service_and_public(), file_name="a.csv")
    rows = findings_csv_rows(login(world.user("rita")))
    assert next(r for r in rows if r["code"] == "K1")["finding"] == "'=HYPERLINK(\"http://x\")"


def test_findings_xlsx_has_a_read_me_the_findings_and_the_breakdowns(world, national_survey,
                                                                      login, settings):
    settings.BLUELIGHT_MIN_CELL_SIZE = 10
    survey_import(survey=national_survey, data=service_and_public(police=12, fire=3),
                  file_name="a.csv")
    response = login(world.user("adam")).get(
        reverse("surveys:findings_xlsx", kwargs={"code": "esc-2015"}))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Read me", "Key findings", "By service", "By nation"]
    notes = {r[0]: r[1] for r in book["Read me"].iter_rows(values_only=True)}
    assert "with a base under 10 is suppressed" in notes["Suppression"]
    findings = list(book["Key findings"].iter_rows(values_only=True))
    k3 = dict(zip(findings[0], next(r for r in findings if r[0] == "K3"), strict=True))
    assert k3["Base (n)"] == 1069 and k3["Share (0 to 1)"] == 0.7203
    assert k3["Published (0 to 1)"] == 0.72 and k3["Sample"] == "Public"
    service = list(book["By service"].iter_rows(values_only=True))
    k1 = {r[2]: dict(zip(service[0], r, strict=True)) for r in service[1:] if r[0] == "K1"}
    assert k1["Fire and rescue"]["Suppressed"] is True
    assert k1["Fire and rescue"]["Why suppressed"] == "Suppressed: base under 10"
    assert k1["Police"]["Base (n)"] is None
    assert k1["Police"]["Why suppressed"] == ("Hidden so that a smaller group cannot be "
                                              "worked out from the total")
