"""Uploads are refused, with a message saying what to do, when too large or not CSV."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import SubmittedAnswer

XLSX_START = b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 100


@pytest.mark.parametrize("name, data, message", [
    ("answers.xlsx", XLSX_START, "is not a CSV file (it looks like a spreadsheet workbook"),
    ("answers.csv", XLSX_START, "choose File › Save as › CSV UTF-8"),
    ("answers.pdf", b"agency,service,item,value,comment\n", "does not end in .csv"),
])
def test_answer_import_refuses_files_that_are_not_csv(world, login, name, data, message):
    client = login(world.user("rita"))
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    page = client.post(reverse("rounds:import", args=[world.rounds["Alpha"].pk]),
                       {"file": upload}, follow=True).content.decode()
    assert message in page
    assert not SubmittedAnswer.objects.exists()


def test_answer_import_refuses_a_file_over_the_limit(world, login, settings):
    settings.BLUELIGHT_MAX_UPLOAD_BYTES = 10
    upload = SimpleUploadedFile("answers.csv", b"agency,service,item,value,comment\n",
                                content_type="text/csv")
    page = login(world.user("rita")).post(
        reverse("rounds:import", args=[world.rounds["Alpha"].pk]), {"file": upload},
        follow=True).content.decode()
    assert "the limit is 10\xa0bytes" in page
    assert not SubmittedAnswer.objects.exists()


def test_survey_upload_refuses_a_workbook(world, national_survey, login):
    upload = SimpleUploadedFile("poll.xlsx", XLSX_START, content_type="application/vnd.ms-excel")
    page = login(world.user("rita")).post(
        reverse("surveys:import", kwargs={"code": "esc-2015"}), {"file": upload}
    ).content.decode()
    assert "is not a CSV file" in page
