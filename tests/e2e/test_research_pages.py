"""The research pages in a real browser: charts draw, axe finds nothing, phones fit,
and a survey file is uploaded and refused with its problems."""

import pytest

from survey.national.imports import survey_import
from tests.assessments.research.data import SECRET, build

pytestmark = pytest.mark.django_db(transaction=True)

POLL = ("respondent,sample,service,nation,K1,K2,K3,K4,K5\n"
        + "".join(f"S{i},service,police,England,yes,increased,,,\n" for i in range(12))
        + "".join(f"P{i},public,,England,,,{4 + i % 2},4,2\n" for i in range(30))
        + "".join(f"N{i},public,,Wales,,,2,5,5\n" for i in range(12)))


def test_research_page_draws_its_charts_and_passes_axe(browser_login, world, submit_answers,
                                                       axe_check):
    build(world, submit_answers)
    page = browser_login("rita")
    page.get_by_role("button", name="Research", exact=True).click()
    page.get_by_role("link", name="Across partnerships", exact=True).click()
    page.wait_for_selector("#chart-levels .main-svg")
    assert page.get_by_role("heading", level=1).inner_text() == "Results across partnerships"
    assert page.locator("#chart-readiness .main-svg").count() >= 1
    assert "Published Level 1; Level 1 in 60% of partnerships" in page.inner_text("main")
    assert SECRET not in page.content() and "Gamma Police" not in page.content()
    axe_check(page, "research page")
    # Filter with the form: the URL carries the selection.
    page.get_by_label("Nation").select_option("Wales")
    page.get_by_role("button", name="Show results").click()
    page.wait_for_url("**/research/?*nation=Wales*")
    assert "Only 2 partnerships match these filters" in page.inner_text("main")
    axe_check(page, "research page, filtered")


def test_research_page_fits_a_phone(browser_login, world, submit_answers, axe_check):
    build(world, submit_answers)
    page = browser_login("rita")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/research/")
    page.wait_for_selector("#chart-levels .main-svg")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    axe_check(page, "research page (phone)")


def test_key_findings_page(browser_login, world, national_survey, axe_check):
    survey_import(survey=national_survey, data=POLL.encode(), file_name="poll.csv")
    page = browser_login("rita")
    page.goto("/research/surveys/")
    axe_check(page, "surveys list")
    page.get_by_role("link", name="Key findings").first.click()
    page.wait_for_selector("#chart-findings .main-svg")
    text = page.inner_text("main")
    assert "12 of 12" in text and "Published figure within our interval" in text
    assert "Published figure outside our interval" in text  # K5: 0% of 42 against 76%
    axe_check(page, "key findings")
    page.set_viewport_size({"width": 375, "height": 800})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    axe_check(page, "key findings (phone)")


def test_upload_refused_then_accepted(browser_login, world, national_survey, axe_check,
                                     tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(POLL + "X1,press,,England,,,4,4,4\n", encoding="utf-8")
    good = tmp_path / "good.csv"
    good.write_text(POLL, encoding="utf-8")
    page = browser_login("rita")
    page.goto(f"/research/surveys/{national_survey.code}/import/")
    page.get_by_label("Respondents file (CSV)").set_input_files(str(bad))
    page.get_by_role("button", name="Import respondents").click()
    summary = page.locator("#import-errors")
    summary.wait_for()
    assert "Line 56: unknown sample" in summary.inner_text()
    assert page.evaluate("document.activeElement.id") == "import-errors"
    axe_check(page, "import refused")
    page.get_by_label("Respondents file (CSV)").set_input_files(str(good))
    page.get_by_role("button", name="Import respondents").click()
    page.wait_for_url(f"**/research/surveys/{national_survey.code}/")
    assert "added 54" in page.inner_text("main")


LEGEND_FILLS = """() => Array.from(document.querySelectorAll('#chart-levels .legend .traces'))
  .map(t => {
    const fill = t.querySelector('.legendpoints path').style.fill;
    const m = /url\\("?#([^")]+)"?\\)/.exec(fill);
    const rect = m && document.getElementById(m[1]).querySelector('rect');
    return [t.textContent, rect ? rect.getAttribute('fill') : fill];
  })"""


def test_levels_chart_draws_levels_2_and_3_in_colour(browser_login, world, submit_answers):
    """Issue 12: the Level 2 and 3 bars and legend keys were white hatching over nothing.
    Each level's key (and bars) is filled with the level's colour, hatching on top."""
    build(world, submit_answers)
    page = browser_login("rita")
    page.goto("/research/")
    page.wait_for_selector("#chart-levels .main-svg")
    fills = dict(page.evaluate(LEGEND_FILLS))
    assert fills == {"Level 1": "rgb(0, 158, 115)", "Level 2": "rgb(230, 159, 0)",
                     "Level 3": "rgb(204, 121, 167)"}
    # O1 is at Level 2 in one partnership and Level 3 in another: both bars are drawn.
    bars = page.evaluate("""() => Array.from(document.querySelectorAll(
        '#chart-levels .trace.bars')).map(t => t.querySelectorAll('.point path').length)""")
    assert len(bars) == 3 and all(n > 0 for n in bars)


def test_suppressed_figures_are_dashes_read_as_suppressed(browser_login, world,
                                                         submit_answers, axe_check, settings):
    settings.BLUELIGHT_MIN_GROUP_SIZE = 5
    build(world, submit_answers, names=("Alpha", "Beta", "Gamma", "Delta"))
    page = browser_login("rita")
    page.goto("/research/")
    caption = page.locator("#levels-table caption").inner_text()
    assert "A dash (—) marks a figure computed over fewer than 5 partnerships" in caption
    o1 = page.get_by_role("row").filter(has_text="O1").first
    cell = o1.get_by_role("cell").nth(1)  # Level 1: a dash on screen, "suppressed" read out
    assert cell.text_content().strip() == "— suppressed"
    assert cell.locator(".visually-hidden").bounding_box()["width"] <= 1
    assert "suppressed (fewer than" not in page.inner_text("main")
    axe_check(page, "research page, suppressed")
