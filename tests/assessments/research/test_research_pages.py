"""The researchers' cross-partnership page and its downloads: access, content, anonymity,
suppression as a user sees it, and query counts."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.assessments.research.data import SECRET, build

OLD_SUPPRESSED = "suppressed (fewer than 5 partnerships)"
NOTE = "A dash (—) marks a figure computed over fewer than 5 partnerships: it is suppressed."
MARK = '—<span class="visually-hidden"> suppressed</span>'
DOWNLOADS = [("research:export", {"name": name, "fmt": fmt})
             for name in ("counts", "levels", "means", "divergence", "readiness")
             for fmt in ("csv", "xlsx")]
PAGES = [("research:page", {}), ("research:answers_csv", {}), ("research:workbook", {}),
         *DOWNLOADS]


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_only_researchers_and_administrators(world, login, client, name, kwargs):
    url = reverse(name, kwargs=kwargs)
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    for lead in ("alice", "bob", "carol"):
        assert login(world.user(lead)).get(url).status_code == 403
    assert login(world.user("nobody")).get(url).status_code == 403
    ok = (200, 302)  # the answers CSV sends back to the page when too few partnerships
    assert login(world.user("rita")).get(url).status_code in ok
    assert login(world.user("adam")).get(url).status_code in ok


def test_unknown_download_is_404(world, login):
    client = login(world.user("rita"))
    assert client.get(reverse("research:export", kwargs={"name": "agencies",
                                                         "fmt": "csv"})).status_code == 404
    assert client.get(reverse("research:export", kwargs={"name": "levels",
                                                         "fmt": "pdf"})).status_code == 404


def test_page_shows_levels_against_the_published_ones(world, submit_answers, login):
    build(world, submit_answers)
    html = login(world.user("rita")).get(reverse("research:page")).content.decode()
    assert "<h1>Results across partnerships</h1>" in html
    assert "Published Level 1; Level 1 in 60% of partnerships" in html  # O1
    assert "Published Level 2; Level 2 in 0% of partnerships" in html  # O9
    assert "most often Level 1 here" in html
    assert "each counted once, at its latest round in the period" in html
    assert "Median readiness: <strong>82.5</strong> out of 100, over 5 partnerships." in html
    assert 'data-chart="chart-levels-data"' in html and 'id="chart-levels-data"' in html
    assert "<script>" not in html and "onclick" not in html
    assert "<caption>Share of partnerships at each level, by option</caption>" in html


def test_researcher_sees_no_agency_names_or_comments(world, submit_answers, login):
    build(world, submit_answers)
    client = login(world.user("rita"))
    bodies = [client.get(reverse("research:page")).content,
              client.get(reverse("research:answers_csv")).content]
    for name, kwargs in DOWNLOADS:
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 200
        if kwargs["fmt"] == "xlsx":
            book = load_workbook(io.BytesIO(response.content))
            bodies.append(" ".join(str(c.value) for ws in book for r in ws.iter_rows()
                                   for c in r).encode())
        else:
            bodies.append(response.content)
    for body in bodies:
        text = body.decode("utf-8-sig")
        for agency in world.agencies:
            assert agency not in text
        for partnership in ("Gamma", "Delta", "Epsilon"):
            assert partnership not in text
        assert SECRET not in text


def test_suppressed_cells_say_so_on_the_page_and_in_both_formats(world, submit_answers,
                                                                 login, settings):
    settings.BLUELIGHT_MIN_GROUP_SIZE = 5
    build(world, submit_answers, names=("Alpha", "Beta", "Gamma", "Delta"))
    client = login(world.user("rita"))
    html = client.get(reverse("research:page")).content.decode()
    assert "Only 4 partnerships match these filters: fewer than 5" in html
    assert "60%" not in html
    # The rule is said once per table (levels, enablers, barriers), in its caption; the
    # cells show a dash that a screen reader reads as "suppressed".
    assert OLD_SUPPRESSED not in html
    assert html.count(NOTE) == 3
    levels_table = html.split('id="levels-table"')[1].split("</table>")[0]
    assert NOTE in levels_table.split("</caption>")[0]
    o1 = levels_table.split("<strong>O1</strong>")[1].split("</tr>")[0]
    assert o1.count(MARK) == 3 and 'colspan' not in o1
    assert "The distribution and the median are suppressed" in html
    levels = client.get(reverse("research:export", kwargs={"name": "levels", "fmt": "csv"}))
    rows = list(csv.DictReader(io.StringIO(levels.content.decode("utf-8-sig"))))
    o1 = next(r for r in rows if r["option"] == "O1")
    assert o1["level_1"] == "" and o1["level_1_n"] == "" and o1["suppressed"] == "True"
    assert o1["partnerships_rated"] == "4" and o1["published_level"] == "1"
    book = load_workbook(io.BytesIO(client.get(reverse(
        "research:export", kwargs={"name": "levels", "fmt": "xlsx"})).content))
    sheet = book["levels"]
    header = [c.value for c in sheet[1]]
    o1_row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "O1")
    assert o1_row[header.index("level_1")] is None
    assert o1_row[header.index("suppressed")] is True
    assert "README" in book.sheetnames
    # The answer-level download is refused below the minimum, with the reason.
    response = client.get(reverse("research:answers_csv"), follow=True)
    assert "needs at least 5 partnerships in the selection" in response.content.decode()

    build(world, submit_answers, names=("Epsilon",))
    html = client.get(reverse("research:page")).content.decode()
    assert "60%" in html and "Only 5" not in html
    levels_table = html.split('id="levels-table"')[1].split("</table>")[0]
    assert NOTE not in levels_table and MARK not in levels_table
    levels = client.get(reverse("research:export", kwargs={"name": "levels", "fmt": "csv"}))
    o1 = next(r for r in csv.DictReader(io.StringIO(levels.content.decode("utf-8-sig")))
              if r["option"] == "O1")
    assert (o1["level_1"], o1["level_2"], o1["level_3"]) == ("0.6", "0.2", "0.2")
    assert o1["suppressed"] == "False"
    answers = client.get(reverse("research:answers_csv"))
    assert answers.status_code == 200
    assert answers["Content-Disposition"].startswith("attachment; filename=")
    assert len(answers.content.decode("utf-8-sig").strip().splitlines()) == 1 + 10 * 33


def test_means_csv_keeps_numbers_numeric_and_flags_suppressed_cells(world, submit_answers,
                                                                    login, settings):
    """Police answered E1 in 4 of 5 partnerships (under 5): its mean is empty, flagged;
    every mean column holds numbers only."""
    settings.BLUELIGHT_MIN_GROUP_SIZE = 5
    build(world, submit_answers)
    client = login(world.user("rita"))
    body = client.get(reverse("research:export", kwargs={"name": "means", "fmt": "csv"}))
    rows = list(csv.DictReader(io.StringIO(body.content.decode("utf-8-sig"))))
    e1 = next(r for r in rows if r["item"] == "E1")
    assert e1["police_mean"] == "" and e1["police_suppressed"] == "True"
    assert e1["police_partnerships"] == "4"
    assert e1["all_services_mean"] == "3.8" and e1["all_services_suppressed"] == "False"
    for row in rows:
        for column, value in row.items():
            if column.endswith("_mean") and value:
                float(value)  # never a sentence
            if column.endswith("_suppressed"):
                assert value in ("True", "False")
    html = client.get(reverse("research:page")).content.decode()
    enablers = html.split('id="enabler-table"')[1].split("</table>")[0]
    assert enablers.count(NOTE) == 1 and MARK in enablers
    assert OLD_SUPPRESSED not in html


def test_filters_come_from_the_url_and_bad_ones_are_explained(world, submit_answers, login):
    build(world, submit_answers)
    client = login(world.user("rita"))
    html = client.get(reverse("research:page"), {"nation": "Wales"}).content.decode()
    assert "with an agency in: Wales" in html
    assert "Only 2 partnerships match these filters" in html
    html = client.get(reverse("research:page"), {"opened_from": "2030-01-01",
                                            "opened_to": "2020-01-01"}).content.decode()
    assert "Correct the filters to see results" in html
    assert "This date is before the “opened from” date." in html
    assert 'href="#id_opened_to"' in html
    response = client.get(reverse("research:export", kwargs={"name": "levels", "fmt": "csv"}),
                          {"opened_from": "not a date"})
    assert response.status_code == 400
    # The download links keep the filters.
    html = client.get(reverse("research:page"), {"kind": "prevention"}).content.decode()
    assert "/research/export/levels.csv?kind=prevention" in html


def test_xlsx_neutralises_formulas(world, submit_answers, login):
    build(world, submit_answers)
    item = world.framework.items.get(code="E1")
    type(item).objects.filter(pk=item.pk).update(title="=HYPERLINK(\"http://x\")")
    response = login(world.user("rita")).get(
        reverse("research:export", kwargs={"name": "means", "fmt": "xlsx"}))
    sheet = load_workbook(io.BytesIO(response.content))["means"]
    cell = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "E1")[1]
    assert cell.value == "'=HYPERLINK(\"http://x\")" and cell.data_type == "s"


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_query_counts_do_not_grow_with_partnerships(world, submit_answers, login):
    client = login(world.user("rita"))
    client.get(reverse("home"))  # the session's first request may write to it: not counted
    urls = [reverse("research:page"),
            reverse("research:export", kwargs={"name": "levels", "fmt": "xlsx"}),
            reverse("research:export", kwargs={"name": "means", "fmt": "csv"})]
    build(world, submit_answers, names=("Alpha", "Beta"))
    two = [queries(client, url) for url in urls]
    build(world, submit_answers, names=("Gamma", "Delta", "Epsilon", "Zeta"))
    six = [queries(client, url) for url in urls]
    assert two == six
    # The first: session, user, groups; the data stamp; rounds, submissions, answers;
    # framework, items, links (2). The tables are then computed once for that state of
    # the data: the downloads of the same selection read them (session, user, groups, stamp).
    assert six == [11, 4, 4]


def test_the_tables_are_computed_again_when_the_data_changes(world, submit_answers, login):
    """Computed once per state of the data: a new submission (or partnership, agency,
    round, membership or snapshot) gives new tables, never the cached ones."""
    client = login(world.user("rita"))
    build(world, submit_answers, names=("Alpha", "Beta"))
    first = client.get(reverse("research:page")).context["data"].partnerships
    build(world, submit_answers, names=("Gamma", "Delta", "Epsilon", "Zeta"))
    assert client.get(reverse("research:page")).context["data"].partnerships == first + 4


def test_researchers_find_the_pages_from_the_menu_and_home(world, login):
    html = login(world.user("rita")).get(reverse("home")).content.decode()
    assert f'href="{reverse("research:page")}"' in html
    assert f'href="{reverse("surveys:list")}"' in html
    html = login(world.user("alice")).get(reverse("home")).content.decode()
    assert f'href="{reverse("research:page")}"' not in html
