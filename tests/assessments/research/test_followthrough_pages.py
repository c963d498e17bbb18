"""The follow-through page and its downloads as a researcher sees them: access for every
role, the figures, suppression said and applied, filters, CSV/XLSX contents, queries."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.assessments.research.test_followthrough import TODAY, build

PAGE = reverse("research:followthrough")
WORKBOOK = reverse("research:followthrough_workbook")
MARK = '—<span class="visually-hidden"> suppressed</span>'
NOTE = "A dash (—) marks a figure computed over fewer than 5 partnerships: it is suppressed."
EXPORTS = [reverse("research:followthrough_export", kwargs={"name": name, "fmt": fmt})
           for name in ("counts", "acting", "timeliness", "movement", "kpis")
           for fmt in ("csv", "xlsx")]


@pytest.fixture
def freeze_today(monkeypatch):
    """The module's world is dated for "today" 2 December 2026."""
    from functools import partial

    from assessments.research import followthrough

    monkeypatch.setattr(followthrough, "follow_through",
                        partial(followthrough.follow_through, today=TODAY))


@pytest.fixture
def scene(world, submit_answers, freeze_today):
    build(world, submit_answers)
    return world


def export_url(name, fmt, query=""):
    url = reverse("research:followthrough_export", kwargs={"name": name, "fmt": fmt})
    return f"{url}?{query}" if query else url


def table_row(html: str, table: str, head: str) -> str:
    """The HTML of the row of ``table`` (its id) whose heading starts with ``head``."""
    html = html[html.index(f'id="{table}"'):]
    html = html[:html.index("</table>")]
    start = html.index(head)
    return html[start:html.index("</tr>", start)]


def read_csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


# --------------------------------------------------------------------------- access


@pytest.mark.parametrize("url", [PAGE, WORKBOOK, *EXPORTS])
def test_only_researchers_and_administrators(world, login, client, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    for lead in ("alice", "bob", "carol"):
        assert login(world.user(lead)).get(url).status_code == 403
    assert login(world.user("nobody")).get(url).status_code == 403
    assert login(world.user("rita")).get(url).status_code == 200
    assert login(world.user("adam")).get(url).status_code == 200


def test_unknown_download_is_404(world, login):
    client = login(world.user("rita"))
    assert client.get(export_url("agencies", "csv")).status_code == 404
    assert client.get(export_url("acting", "pdf")).status_code == 404


def test_researchers_find_the_page_from_the_menu_and_the_research_page(world, login):
    rita = login(world.user("rita"))
    assert f'href="{PAGE}"' in rita.get(reverse("home")).content.decode()
    assert f'href="{PAGE}"' in rita.get(reverse("research:page")).content.decode()
    assert f'href="{PAGE}"' not in login(world.user("alice")).get(
        reverse("home")).content.decode()


# --------------------------------------------------------------------------- the page


def test_page_shows_the_four_tables_with_the_rules(scene, login, settings):
    settings.BLUELIGHT_MIN_GROUP_SIZE = 2
    html = login(scene.user("rita")).get(PAGE).content.decode()
    assert "<h1>Follow-through across partnerships</h1>" in html
    for section in ("acting", "timeliness", "movement", "kpis", "downloads"):
        assert f'id="{section}"' in html
    # the rule of the pairs and the caveat, said plainly
    assert ("A round&#x27;s date is its closing date (its opening date when it has none)."
            in html)
    assert "an association, not proof" in html
    assert "ended in the last 12 months or is still running" in html
    # 1: E1 acted on by 4 of 5 (80%); 2: every action, on-time share 50%
    e1 = table_row(html, "acting-enabler-table", "<strong>E1</strong>")
    assert '<td class="text-end">4</td>' in e1 and "80%" in e1
    every = table_row(html, "timeliness-table", "<strong>All actions")
    assert "50%" in every and '<td class="text-end">9</td>' in every
    # 3: E1 +1.00 with action (3 partnerships, 3 pairs) against 0.00 without (2)
    e1 = table_row(html, "movement-enabler-table", "<strong>E1</strong>")
    assert "1.00" in e1 and "3 partnerships, 3 pairs" in e1 and "0.00" in e1
    assert "2 partnerships, 2 pairs" in e1
    # B1: one partnership with an action: suppressed, and the table says the rule
    b1 = table_row(html, "movement-barrier-table", "<strong>B1</strong>")
    assert MARK in b1 and "1 partnership<" in b1
    caption = table_row(html, "movement-barrier-table", "<caption>")
    assert "fewer than 2 partnerships: it is suppressed." in caption
    # 4: O1 tracked by 3 partnerships, 3 KPIs, 33% with values in the last year
    o1 = table_row(html, "kpis-table", "<strong>O1</strong>")
    assert '<td class="text-end">3</td>' in o1 and "33%" in o1
    assert "<script>" not in html and "style=" not in html


def test_figures_under_the_minimum_are_hidden_and_the_page_says_so(scene, login, settings):
    settings.BLUELIGHT_MIN_GROUP_SIZE = 5
    html = login(scene.user("rita")).get(PAGE).content.decode()
    assert NOTE in html
    e1 = table_row(html, "movement-enabler-table", "<strong>E1</strong>")
    assert e1.count(MARK) == 3  # with, without, the difference
    assert "1.00" not in e1
    # the selection (5) is not under the minimum: no warning about it
    assert "match these filters: fewer than" not in html
    html = login(scene.user("rita")).get(PAGE + "?nation=Wales").content.decode()
    assert ("Only 2 partnerships match these filters: fewer than 5, so their figures are "
            "suppressed.") in html
    o1 = table_row(html, "kpis-table", "<strong>O1</strong>")
    assert o1.count(MARK) == 3  # share of the selection, KPIs, with values


def test_filters_narrow_the_page_and_the_downloads(scene, login, settings):
    settings.BLUELIGHT_MIN_GROUP_SIZE = 1
    client = login(scene.user("rita"))
    html = client.get(PAGE + "?kind=co_responding").content.decode()
    assert "kind of collaboration: Co-responding" in html
    counts = html[html.index('id="counts"'):html.index('id="acting"')]
    assert "Partnerships in the selection</th><td class=\"text-end\">2</td>" in counts
    assert f'{export_url("acting", "csv")}?kind=co_responding' in html
    rows = read_csv(client.get(export_url("counts", "csv", "kind=co_responding")))
    assert {"measure": "Partnerships in the selection", "value": "2"} in rows
    # no date filters here: they are the research page's, not this one's
    assert 'name="opened_from"' not in html


def test_bad_filters_are_said_and_refused_in_downloads(scene, login):
    client = login(scene.user("rita"))
    html = client.get(PAGE + "?kind=sideways").content.decode()
    assert 'id="error-summary"' in html and 'id="acting"' not in html
    response = client.get(export_url("acting", "csv", "kind=sideways"))
    assert response.status_code == 400 and b"not valid" in response.content


# --------------------------------------------------------------------------- downloads


def test_csv_downloads_hold_the_figures_and_the_suppression_flags(scene, login, settings):
    settings.BLUELIGHT_MIN_GROUP_SIZE = 5
    client = login(scene.user("rita"))
    response = client.get(export_url("movement", "csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert "bluelight-research-follow-through-movement-" in response["Content-Disposition"]
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header == ("item,title,kind,with_pairs,with_partnerships,with_change,"
                      "with_suppressed,without_pairs,without_partnerships,without_change,"
                      "without_suppressed,difference")
    e1 = next(r for r in read_csv(response) if r["item"] == "E1")
    assert e1["with_change"] == "" and e1["with_suppressed"] == "True"
    assert e1["with_partnerships"] == "3" and e1["difference"] == ""
    timeliness = read_csv(client.get(export_url("timeliness", "csv")))
    every = next(r for r in timeliness if r["item"] == "all")
    assert (every["actions"], every["on_time"], every["late"], every["on_time_share"],
            every["suppressed"]) == ("9", "3", "2", "0.5", "False")
    e1 = next(r for r in timeliness if r["item"] == "E1")
    assert (e1["on_time"], e1["suppressed"], e1["partnerships"]) == ("", "True", "4")
    settings.BLUELIGHT_MIN_GROUP_SIZE = 2
    e1 = next(r for r in read_csv(client.get(export_url("movement", "csv")))
              if r["item"] == "E1")
    assert (e1["with_change"], e1["without_change"], e1["difference"],
            e1["with_suppressed"]) == ("1.0", "0.0", "1.0", "False")


def test_one_table_as_xlsx_has_its_readme(scene, login):
    response = login(scene.user("rita")).get(export_url("kpis", "xlsx"))
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["kpis", "README"]
    rows = list(book["kpis"].iter_rows(values_only=True))
    assert rows[0][:3] == ("option", "title", "partnerships")
    o1 = next(r for r in rows if r[0] == "O1")
    header = rows[0]
    assert o1[header.index("partnerships")] == 3 and o1[header.index("kpis")] is None
    assert o1[header.index("suppressed")] is True
    readme = dict(r[:2] for r in book["README"].iter_rows(values_only=True))
    assert "association, not proof" in readme["Association, not proof"]


def test_workbook_has_a_sheet_per_table_in_words(scene, login, settings):
    settings.BLUELIGHT_MIN_GROUP_SIZE = 2
    response = login(scene.user("rita")).get(WORKBOOK + "?kind=co_responding")
    assert "bluelight-research-follow-through-tables-" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Read me", "Counts", "Acting on factors", "On time", "Movement",
                               "KPIs by option"]
    readme = dict(r[:2] for r in book["Read me"].iter_rows(values_only=True))
    assert readme["Selection"] == "kind of collaboration: Co-responding"
    assert readme["Partnerships"] == "2"
    assert "fewer than 2 partnerships" in readme["Suppression"]
    timeliness = list(book["On time"].iter_rows(values_only=True))
    assert timeliness[0][:4] == ("Item", "Title", "Kind", "Partnerships")
    every = timeliness[1]
    assert every[0] == "All actions" and every[timeliness[0].index("Actions")] == 4
    movement = list(book["Movement"].iter_rows(values_only=True))
    head = movement[0]
    e1 = next(r for r in movement if r[0] == "E1")
    # Beta (+1, with) and Epsilon (0, without): one partnership each, hidden under 2
    assert e1[head.index("With a completed action: partnerships")] == 1
    assert e1[head.index("With a completed action: mean change")] is None
    assert e1[head.index("With a completed action: suppressed")] is True
    assert e1[head.index("Kind")] == "Enabler"


# --------------------------------------------------------------------------- queries


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_query_counts_do_not_grow_with_partnerships(world, submit_answers, login,
                                                    freeze_today):
    client = login(world.user("rita"))
    client.get(reverse("home"))  # the session's first request may write to it: not counted
    urls = [PAGE, WORKBOOK, export_url("movement", "csv")]
    build(world, submit_answers, names=("Alpha", "Beta"))
    two = [queries(client, url) for url in urls]
    build(world, submit_answers, names=("Gamma", "Delta", "Epsilon"))
    five = [queries(client, url) for url in urls]
    assert two == five
    # The first: session, user, groups; the data stamp; partnerships, actions, KPIs,
    # rounds, frameworks, items and their links (3), submissions, answers. The tables are
    # then computed once for that state of the data: the downloads read them (session,
    # user, groups, stamp).
    assert five == [14, 4, 4]


def test_the_tables_follow_a_change_to_the_actions(world, submit_answers, login,
                                                   freeze_today):
    """Computed once per state of the data: a new action gives new tables at once."""
    from assessments.actions.models import Action

    client = login(world.user("rita"))
    build(world, submit_answers, names=("Alpha", "Beta"))
    before = client.get(PAGE).context["tables"].acting
    partnership = Action.objects.first().partnership
    Action.objects.create(partnership=partnership, title="One more", factor_code="E1")
    after = client.get(PAGE).context["tables"].acting
    assert not before.equals(after)
