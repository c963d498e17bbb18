"""The researchers' tables as one workbook, and the levels chart's colours (issue 12)."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from assessments.research import selectors as research
from assessments.research.charts import levels_chart
from bluelight.charts import validate
from tests.assessments.research.data import build

WHITE = {"#fff", "#ffffff", "white", "rgb(255,255,255)"}


def workbook(client, **params):
    response = client.get(reverse("research:workbook"), params)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert ".xlsx" in response["Content-Disposition"]
    return load_workbook(io.BytesIO(response.content))


def rows(sheet):
    return list(sheet.iter_rows(values_only=True))


def test_page_offers_all_tables_in_one_workbook_keeping_the_filters(world, submit_answers,
                                                                     login):
    build(world, submit_answers)
    client = login(world.user("rita"))
    html = client.get(reverse("research:page"), {"kind": "prevention"}).content.decode()
    assert "Download all tables (Excel)" in html
    assert f'href="{reverse("research:workbook")}?kind=prevention"' in html


def test_workbook_has_a_read_me_and_a_sheet_per_table(world, submit_answers, login,
                                                      settings):
    settings.BLUELIGHT_MIN_GROUP_SIZE = 5
    build(world, submit_answers)
    book = workbook(login(world.user("rita")))
    assert book.sheetnames == ["Read me", "Counts", "Levels", "Means by service",
                               "Divergence", "Readiness"]
    notes = {r[0]: r[1] for r in rows(book["Read me"])}
    assert notes["Selection"] == "all partnerships, all periods"
    assert notes["Suppression"] == ("Figures computed over fewer than 5 partnerships are "
                                    "suppressed.")
    assert notes["Sheet: Levels"] == "Share of partnerships at each level"
    assert notes["Generated at"][:2] == "20"
    levels = rows(book["Levels"])
    header = list(levels[0])
    assert header[:4] == ["Option", "Title", "Published level (2015)",
                          "Partnerships rating it"]
    o1 = dict(zip(header, next(r for r in levels[1:] if r[0] == "O1"), strict=True))
    assert o1["Share at Level 1"] == 0.6 and o1["Partnerships at Level 1"] == 3
    assert o1["Suppressed"] is False
    means = rows(book["Means by service"])
    header = list(means[0])
    e1 = dict(zip(header, next(r for r in means[1:] if r[0] == "E1"), strict=True))
    # Police answered E1 in 4 partnerships, under 5: an empty cell, flagged.
    assert e1["Police: mean"] is None and e1["Police: suppressed"] is True
    assert e1["Police: partnerships"] == 4
    assert e1["All services: mean"] == 3.8 and e1["Kind"] == "Enabler"
    readiness = rows(book["Readiness"])
    assert readiness[-1][0] == "All" and readiness[-1][readiness[0].index("Median")] == 82.5


def test_workbook_keeps_the_filters_and_names_no_agency(world, submit_answers, login):
    build(world, submit_answers)
    book = workbook(login(world.user("adam")), nation="Wales")
    notes = {r[0]: r[1] for r in rows(book["Read me"])}
    assert notes["Selection"] == "with an agency in: Wales"
    counts = {r[0]: r[1] for r in rows(book["Counts"])[1:]}
    assert counts["Partnerships (each counted once, at its latest round in the period)"] == 2
    text = " ".join(str(v) for ws in book for r in ws.iter_rows(values_only=True) for v in r)
    for agency in world.agencies:
        assert agency not in text


def test_workbook_in_welsh(world, submit_answers, login):
    build(world, submit_answers)
    client = login(world.user("rita"))
    client.post(reverse("set_language"), {"language": "cy", "next": "/"})
    book = workbook(client)
    english = {"Read me", "Counts", "Levels", "Means by service", "Divergence", "Readiness"}
    assert not english & set(book.sheetnames)
    header = rows(book[book.sheetnames[2]])[0]
    assert "Option" not in header and "Share at Level 1" not in header
    assert "Title" not in rows(book[book.sheetnames[3]])[0]


def test_workbook_refuses_bad_filters(world, login):
    response = login(world.user("rita")).get(reverse("research:workbook"),
                                              {"opened_from": "not a date"})
    assert response.status_code == 400


def test_workbook_is_for_researchers_and_administrators_only(world, login, client):
    url = reverse("research:workbook")
    assert client.get(url).status_code == 302
    for name in ("alice", "carol", "nobody"):
        assert login(world.user(name)).get(url).status_code == 403


def test_every_level_of_the_levels_chart_is_drawn_with_a_fill(world, submit_answers):
    """Levels 2 and 3 were white hatching over nothing (plotly's default "replace" fill
    mode takes the bar's colour for the hatching): each level is a coloured bar, with
    white hatching laid over the colour, in the bars and the legend keys alike."""
    build(world, submit_answers)
    chart = levels_chart(research.research_tables(research.cross_partnership(
        filters=research.ResearchFilters())))
    traces = chart.figure["data"]
    assert [t["name"] for t in traces] == ["Level 1", "Level 2", "Level 3"]
    colours = [t["marker"]["color"].lower() for t in traces]
    assert len(set(colours)) == 3 and not WHITE & set(colours)
    shapes = [t["marker"].get("pattern", {}).get("shape", "") for t in traces]
    assert shapes[0] == "" and shapes[1] and shapes[2] and shapes[1] != shapes[2]
    for trace in traces[1:]:
        pattern = trace["marker"]["pattern"]
        assert pattern["fillmode"] == "overlay"  # the hatching over the bar's colour
        assert pattern["fgcolor"].lower() != trace["marker"]["color"].lower()
        assert pattern.get("bgcolor", trace["marker"]["color"]).lower() not in WHITE
    validate(chart.figure)  # plotly accepts every property
