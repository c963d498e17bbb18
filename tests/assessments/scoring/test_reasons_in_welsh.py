"""Reasons and statuses are written in the reader's language: the results dashboard and
the workbook in Welsh hold no English reason or status, while the results JSON keeps
its English text whatever the language (the same bytes as ``manage.py score``)."""

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from assessments.frameworks import framework_spec
from assessments.results.selectors import round_scored
from assessments.results.wording import factor_status_text, reason_text
from assessments.scoring import REASON_CODES
from tests.conftest import full_answers

# Every kind of reason: O4 has too little support and an opposer; E2 is weak, E7 absent,
# B4 significant and B5 blocking; O9 has no supporter; O1, O2, O5... are all clear.
POLICE = full_answers(E2=1, E7=1, B4=4, O4=1, O9=3)
FIRE = full_answers(E2=4, E7=2, B5=5, O9=3)


@pytest.fixture(autouse=True)
def back_to_english():
    """A Welsh request leaves Welsh active in the test's thread: reset it afterwards."""
    yield
    translation.deactivate()


@pytest.fixture
def alpha(world, submit_answers):
    round_ = world.rounds["Alpha"]
    submit_answers(round_, world.agencies["Alpha Police"], POLICE)
    submit_answers(round_, world.agencies["Alpha Fire"], FIRE)
    return round_


def in_welsh(client):
    client.post(reverse("set_language"), {"language": "cy", "next": "/"})
    return client


def titles(round_, language):
    with translation.override(language):
        spec = framework_spec(framework=round_.framework)
        return {f.code: f.title for f in spec.factors}


def scales(round_, language):
    with translation.override(language):
        return {s.kind: dict(s.labels) for s in round_.framework.scales.all()}


def reasons(round_, *, published=False):
    """Every reason of the round as (English, Welsh) sentences: as the dashboard and the
    workbook write them (each figure with its scale's word), or as the results JSON
    publishes them (``published``)."""
    english, welsh = titles(round_, "en-gb"), titles(round_, "cy")
    scale_en = None if published else scales(round_, "en-gb")
    scale_cy = None if published else scales(round_, "cy")
    out = []
    for option in round_scored(round=round_).result.options.values():
        for reason in option.reasons:
            with translation.override("en-gb"):
                en = reason_text(reason, english, scale_en)
            with translation.override("cy"):
                cy = reason_text(reason, welsh, scale_cy)
            out.append((reason.code, en, cy))
    return out


STATUSES = [("weak", False), ("weak", True), ("developing", False), ("strong", False),
            ("minor", False), ("significant", False), ("key", False)]


def english_statuses():
    with translation.override("en-gb"):
        return [factor_status_text(s, absent=a) for s, a in STATUSES]


def test_the_round_has_every_kind_of_reason(alpha):
    assert {code for code, _, _ in reasons(alpha)} == set(REASON_CODES)


def test_the_dashboard_in_welsh_has_no_english_reason_or_status(alpha, world, login):
    client = in_welsh(login(world.user("alice")))
    html = client.get(reverse("results:round", args=[alpha.pk])).content.decode()
    assert '<html lang="cy">' in html
    shown = reasons(alpha)
    assert len(shown) > 20
    for code, english, welsh in shown:
        assert escape(english) not in html, (code, english)
        assert escape(welsh) in html, (code, welsh)
    assert "Mae Alpha Police yn gwrthwynebu hyn (atebodd 1: Gwrthwynebu&#x27;n gryf)." in html
    assert "Gweledigaeth glir a chyffredin" in html  # item titles in Welsh too
    for english in english_statuses():
        assert english not in html, english
    for words in ("opposes this", "agencies support this", "is weak (average", "is blocking",
                  "is absent or nearly so", "is a significant barrier", "is needed"):
        assert words not in html, words


def test_the_workbook_in_welsh_has_no_english_reason(alpha, world, login):
    client = in_welsh(login(world.user("alice")))
    response = client.get(reverse("results:xlsx", args=[alpha.pk]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    cells = "\n".join(str(c.value) for sheet in book.worksheets
                      for row in sheet.iter_rows() for c in row if c.value is not None)
    for code, english, welsh in reasons(alpha):
        assert english not in cells, (code, english)
        assert welsh in cells, (code, welsh)


def test_the_results_json_is_english_whatever_the_language(alpha, world, login, tmp_path):
    alpha.status = "closed"  # final results: the JSON is manage.py score's, byte for byte
    alpha.save()
    client = login(world.user("alice"))
    url = reverse("results:json", args=[alpha.pk])
    english = client.get(url).content
    welsh = in_welsh(client).get(url).content
    assert welsh == english
    text = english.decode()
    for _code, en, _cy in reasons(alpha, published=True):
        assert en.replace('"', '\\"') in text
    # manage.py score on the round's answers prints the same bytes.
    answers = client.get(reverse("rounds:answers_csv", args=[alpha.pk])).content
    path = tmp_path / "answers.csv"
    path.write_bytes(answers)
    out = io.StringIO()
    with translation.override("cy"):
        call_command("score", str(path), stdout=out)
    assert out.getvalue() == text
