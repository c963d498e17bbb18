"""The survey import refuses NUL characters wherever they are (issue 11, finding 6), reads
the downloads' formula guard back, and its chart uses the shared theme."""

import pandas as pd
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bluelight.charts import CONFIG, FONT, validate
from survey.models import ImportBatch, Respondent
from survey.national.charts import findings_chart
from survey.national.imports import SurveyImportRefused, survey_import

HEADER = "respondent,sample,service,nation,K1,K2,K3,K4,K5\n"
FILLER = "".join(f"S{i},service,police,England,yes,same,,,\n" for i in range(200))
NUL_LINE = len(FILLER.splitlines()) + 2  # after the header and the filler


def with_nul() -> bytes:
    data = (HEADER + FILLER + "S\x00nul,service,fire,Wales,no,same,,,\n"
            + "P1,public,,England,,,5,4,2\n").encode()
    assert data.index(b"\x00") > 4096  # past the part the upload check looks at
    return data


def test_a_nul_after_the_first_4_kb_is_refused_with_its_line(national_survey):
    with pytest.raises(SurveyImportRefused) as refused:
        survey_import(survey=national_survey, data=with_nul(), file_name="nul.csv")
    assert [str(e) for e in refused.value.errors] == [
        f"line {NUL_LINE}: this row contains a NUL character; the file may be damaged or not "
        "a text file"]
    assert not Respondent.objects.exists() and not ImportBatch.objects.exists()


def test_the_upload_page_names_the_line_of_the_nul(world, national_survey, login):
    upload = SimpleUploadedFile("nul.csv", with_nul(), content_type="text/csv")
    html = login(world.user("rita")).post(
        reverse("surveys:import", kwargs={"code": "esc-2015"}), {"file": upload}
    ).content.decode()
    assert "The file was not imported: 1 problem. Nothing was changed." in html
    assert f"Line {NUL_LINE}: this row contains a NUL character" in html
    assert not Respondent.objects.exists()


def test_guarded_cells_read_back_as_they_were(national_survey):
    data = HEADER + "'-S1,service,police,England,yes,same,,,\n" + "'plain,public,,,,,5,4,2\n"
    survey_import(survey=national_survey, data=data.encode(), file_name="guarded.csv")
    assert set(Respondent.objects.values_list("respondent", flat=True)) == {"-S1", "'plain"}


def test_the_findings_chart_uses_the_shared_theme():
    findings = pd.DataFrame(
        {"text": ["Collaboration works", "Costs fell"], "share": [0.5, float("nan")],
         "ci_low": [0.4, float("nan")], "ci_high": [0.6, float("nan")], "base": [100, 0],
         "published": [0.98, float("nan")]}, index=["K1", "K2"])
    chart = findings_chart(findings)
    validate(chart.figure)
    assert chart.figure["config"] == CONFIG and chart.figure["layout"]["font"] == FONT
    assert chart.table.rows == [["K1 Collaboration works", "50.0%", "40.0% – 60.0%", "100",
                                 "98.0%"],
                                ["K2 Costs fell", "—", "—", "0", "—"]]
