"""The dashboard's charts: valid plotly figures, plain JSON, each with its table."""

import json
import math
from datetime import date

import pandas as pd
import pytest

from assessments.models import Round
from assessments.results.charts import (
    answers_by_agency,
    barriers_heatmap,
    readiness_trend,
    round_charts,
    round_tables,
    themes_chart,
)
from assessments.results.selectors import round_results
from bluelight.charts import CONFIG, Table, validate
from tests.conftest import full_answers

LABELS = {1: "Not in place", 2: "Early signs", 3: "Partly in place", 4: "Largely in place",
          5: "Fully in place"}
TITLES = {"E1": "Clear and shared vision", "E2": "Trust at all levels"}


def strict_json(figure):
    """The figure as strict JSON (no NaN): what json_script puts in the page."""
    return json.loads(json.dumps(figure, allow_nan=False))


def test_answers_by_agency_bars_with_gaps_for_dont_know():
    values = pd.DataFrame({"Police": [4.0, math.nan], "Fire": [2.0, 5.0]},
                          index=pd.Index(["E1", "E2"], name="item"))
    chart = answers_by_agency(values, TITLES, LABELS, chart_id="c", title="Enablers",
                              summary="Bars", axis="In place")
    figure = strict_json(chart.figure)
    assert figure["config"] == CONFIG
    assert [t["name"] for t in figure["data"]] == ["Police", "Fire"]
    assert figure["data"][0]["y"] == [4.0, None]
    # Each agency differs by pattern as well as colour.
    assert figure["data"][0]["marker"]["pattern"]["shape"] \
        != figure["data"][1]["marker"]["pattern"]["shape"]
    assert figure["layout"]["yaxis"]["ticktext"][3] == "4 Largely in place"
    validate(figure)
    assert chart.table.columns == ["Item", "Police", "Fire"]
    assert chart.table.rows == [
        ["E1 Clear and shared vision", "4 Largely in place", "2 Early signs"],
        ["E2 Trust at all levels", "Don't know or no answer", "5 Fully in place"]]


def test_barriers_heatmap_prints_each_answer():
    values = pd.DataFrame({"Police": [5.0, math.nan]}, index=["B1", "B2"])
    chart = barriers_heatmap(values, {"B1": "Narrow focus", "B2": "Funding"},
                             {1: "Not at all", 5: "Blocking"})
    heat = strict_json(chart.figure)["data"][0]
    assert heat["type"] == "heatmap"
    assert heat["z"] == [[5.0], [None]] and heat["text"] == [["5"], ["?"]]
    assert heat["zmin"] == 1 and heat["zmax"] == 5
    validate(chart.figure)
    assert chart.table.rows == [["B1 Narrow focus", "5 Blocking"],
                                ["B2 Funding", "Don't know or no answer"]]


def test_themes_chart_with_a_theme_without_barriers():
    themes = pd.DataFrame({"enablers": ["E1 E4 E5", "E2 E7"], "barriers": ["", "B3 B4"],
                           "enabler_mean": [3.5, 2.25], "barrier_mean": [None, 4.0]},
                          index=["Clear vision", "Culture"], dtype=object)
    chart = themes_chart(themes)
    figure = strict_json(chart.figure)
    assert figure["data"][0]["y"] == [3.5, 2.25] and figure["data"][1]["y"] == [None, 4.0]
    validate(figure)
    assert chart.table.rows == [["Clear vision", "E1 E4 E5", "3.5", "", "—"],
                                ["Culture", "E2 E7", "2.25", "B3 B4", "4"]]


def test_readiness_trend():
    trend = pd.DataFrame({"round": [1, 2], "title": ["Spring", "Autumn"],
                          "opens_on": [date(2024, 3, 1), date(2024, 10, 1)],
                          "agencies": [3, 4], "readiness": [40.0, None]})
    chart = readiness_trend(trend)
    figure = strict_json(chart.figure)
    assert figure["data"][0]["y"] == [40.0, None]
    assert figure["data"][0]["x"] == ["Spring (Mar 2024)", "Autumn (Oct 2024)"]
    validate(figure)
    assert chart.table.rows == [["Spring", "01 Mar 2024", "3", "40.0"],
                                ["Autumn", "01 Oct 2024", "4", "—"]]


def test_validate_refuses_a_figure_plotly_would_not_draw():
    with pytest.raises(ValueError, match="colour"):
        validate({"data": [{"type": "bar", "colour": "red"}], "layout": {}})


def test_table_html_is_accessible_and_escaped():
    html = str(Table(caption="Answers <b>", columns=["Item", "<script>x</script>"],
                     rows=[["E1 <i>", "4 & more"]]))
    assert "<caption>Answers &lt;b&gt;</caption>" in html
    assert '<th scope="col">&lt;script&gt;x&lt;/script&gt;</th>' in html
    assert '<th scope="row">E1 &lt;i&gt;</th><td>4 &amp; more</td>' in html
    assert "<script>" not in html


def test_round_charts_and_tables_from_a_round(world, submit_answers):
    round_ = world.rounds["Alpha"]
    submit_answers(round_, world.agencies["Alpha Police"], full_answers(E2=1, B3=None))
    submit_answers(round_, world.agencies["Alpha Fire"], full_answers(B3=5))
    earlier = Round.objects.create(partnership=world.partnerships["Alpha"],
                                   framework=world.framework, title="Earlier",
                                   opens_on=date(2000, 1, 1))
    submit_answers(earlier, world.agencies["Alpha Police"], full_answers())
    submit_answers(earlier, world.agencies["Alpha Fire"], full_answers())

    results = round_results(round=round_)
    charts = round_charts(results)
    assert set(charts) == {"enablers", "barriers", "themes", "trend"}
    for chart in charts.values():
        validate(strict_json(chart.figure))
        assert chart.title and chart.summary and chart.table.rows
    assert len({c.id for c in charts.values()}) == 4
    barriers = charts["barriers"].figure["data"][0]
    assert barriers["x"] == ["Alpha Fire", "Alpha Police"]
    assert barriers["text"][2] == ["5", "?"]  # B3: Fire 5, Police "Don't know"
    themes = {row[0]: row for row in charts["themes"].table.rows}
    # Culture: E2 (1+4)/2 and E7 4 average 3.25; B3 5 (Fire only) and B4 2 average 3.5.
    # Each mean with the words of its scale either side of it.
    assert themes["Culture"][1:] == [
        "E2 E7", "3.25 (between Partly in place and Largely in place)",
        "B3 B4", "3.5 (between Moderately and Significantly)"]

    tables = round_tables(results)
    assert set(tables) == {"divergent", "factors", "trend"}
    factors = {row[0].split(" ")[0]: row for row in tables["factors"].rows}
    # E2: Police 1, Fire 4: the status, then average, lowest and highest with their words.
    assert factors["E2"][1:5] == [
        "Enabler that needs work · divergent",
        "2.5 (between Early signs and Partly in place)", "1 (Not in place)",
        "4 (Largely in place)"]
    assert factors["B3"][1] == "Critical barrier" and factors["B3"][4] == "5 (Blocking)"
    assert [r[0] for r in tables["trend"].rows][:2] == ["O1 More single (shared) back offices",
                                                       "O2 Shared key performance indicators"]
    assert tables["trend"].columns == ["Option", "Earlier", "Alpha round 1 (this round)"]


def test_no_charts_below_the_threshold(world, submit_answers):
    round_ = world.rounds["Alpha"]
    submit_answers(round_, world.agencies["Alpha Police"], full_answers())
    results = round_results(round=round_)
    assert not results.ready
    assert round_charts(results) == {} and round_tables(results) == {}
