"""Static files: plotly.js's cartesian partial bundle instead of the full 4.8 MB one,
and, in production, every static file hashed, compressed and cached for good."""

import json
import re
from datetime import date
from pathlib import Path

import plotly
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.http import HttpResponseNotFound
from django.test import RequestFactory
from django.urls import reverse
from whitenoise.middleware import WhiteNoiseMiddleware

from assessments.models import Round
from survey.national.imports import survey_import
from tests.assessments.research.data import build
from tests.conftest import full_answers

BUNDLE = "vendor/plotly/plotly-cartesian.min.js"
VENDORED = Path(settings.BASE_DIR) / "static" / BUNDLE
FULL = Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"
PRODUCTION_STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def header(path: Path) -> str:
    with path.open(encoding="utf-8") as file:
        return file.read(300)


def js_version(path: Path) -> str:
    return re.search(r"plotly\.js (?:\([^)]*\) )?v(\d+\.\d+\.\d+)", header(path)).group(1)


def trace_types(path: Path) -> set[str]:
    """The trace modules a plotly.js bundle registers."""
    return set(re.findall(r'moduleType:"trace",name:"(\w+)"', path.read_text(encoding="utf-8")))


def test_the_vendored_bundle_is_the_cartesian_one_of_the_python_packages_plotly_js():
    assert "plotly.js (cartesian - minified)" in header(VENDORED)
    # The survey charts are built with plotly.graph_objects: the same plotly.js version.
    assert js_version(VENDORED) == js_version(FULL)
    folder = VENDORED.parent
    assert (folder / "VERSION").read_text().strip() == js_version(VENDORED)
    assert "MIT License" in (folder / "LICENSE").read_text()
    assert f"plotly.js-cartesian-dist-min-{js_version(VENDORED)}.tgz" in (
        folder / "README.md").read_text()
    assert VENDORED.stat().st_size < 2_000_000 < FULL.stat().st_size
    assert trace_types(VENDORED) < trace_types(FULL)


def test_only_the_partial_bundle_is_served():
    assert finders.find(BUNDLE) == str(VENDORED)
    assert finders.find("vendor/plotly/plotly.min.js") is None
    too_big = [path for finder in finders.get_finders()
               for path, storage in finder.list(None) if storage.size(path) > 2_000_000]
    assert not too_big


def survey_rows() -> bytes:
    rows = ["respondent,sample,service,nation,K1,K2,K3,K4,K5"]
    rows += [f"S{i},service,police,England,yes,increased,,," for i in range(12)]
    rows += [f"P{i},public,,England,,,{4 + i % 2},4,4" for i in range(40)]
    return ("\n".join(rows) + "\n").encode()


def drawn_traces(html: str) -> list[str]:
    """The type of every trace of every chart the page draws (plotly's default: scatter)."""
    assert "plotly.min.js" not in html
    assert f'src="/{settings.STATIC_URL.strip("/")}/{BUNDLE}"' in html
    types = []
    for chart_id in re.findall(r'data-chart="([^"]+)"', html):
        source = re.search(rf'<script id="{re.escape(chart_id)}" type="application/json">'
                           r"(.*?)</script>", html, re.S).group(1)
        types += [trace.get("type", "scatter") for trace in json.loads(source)["data"]]
    assert types, "the page drew no chart"
    return types


def test_every_trace_type_our_pages_draw_is_in_the_bundle(world, submit_answers,
                                                          national_survey, client):
    build(world, submit_answers)  # five partnerships: the research page shows its charts
    later = Round.objects.create(partnership=world.partnerships["Alpha"],
                                 framework=world.framework, title="Alpha round 2",
                                 opens_on=date(2099, 1, 1))
    for agency in ("Alpha Police", "Alpha Fire"):
        submit_answers(later, world.agencies[agency], full_answers(E2=1, B3=5))
    survey_import(survey=national_survey, data=survey_rows(), file_name="k.csv")

    client.force_login(world.user("rita"))
    pages = {
        "dashboard": reverse("results:round", args=[later.pk]),  # with the trend chart
        "research": reverse("research:page"),
        "findings": reverse("surveys:findings", kwargs={"code": "esc-2015"}),
    }
    drawn = set()
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        types = drawn_traces(response.content.decode())
        assert set(types) <= trace_types(VENDORED), (name, set(types) - trace_types(VENDORED))
        drawn |= set(types)
    assert drawn == {"bar", "heatmap", "scatter"}


@pytest.fixture
def collected(settings, tmp_path):
    """Production static files: collectstatic with the hashing, compressing storage."""
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = PRODUCTION_STORAGES
    call_command("collectstatic", interactive=False, verbosity=0)
    return WhiteNoiseMiddleware(lambda request: HttpResponseNotFound())


def test_production_static_files_are_hashed_compressed_and_cached_for_good(collected):
    url = staticfiles_storage.url(BUNDLE)
    assert re.fullmatch(r"/?static/vendor/plotly/plotly-cartesian\.min\.[0-9a-f]{12}\.js",
                        url), url
    response = collected(RequestFactory().get(url, HTTP_ACCEPT_ENCODING="gzip, deflate"))
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert int(response["Content-Length"]) < 520_000
    max_age = int(re.search(r"max-age=(\d+)", response["Cache-Control"]).group(1))
    assert max_age >= 365 * 24 * 3600 and "immutable" in response["Cache-Control"]
    # Only hashed names are kept: no static URL is served with a short cache.
    plain = collected(RequestFactory().get(f"/{settings.STATIC_URL.strip('/')}/{BUNDLE}"))
    assert plain.status_code == 404
    for asset in ("vendor/bootstrap/bootstrap.min.css", "css/bluelight.css", "js/charts.js"):
        hashed = collected(RequestFactory().get(staticfiles_storage.url(asset),
                                                HTTP_ACCEPT_ENCODING="gzip"))
        assert "immutable" in hashed["Cache-Control"], asset
        assert hashed["Content-Encoding"] == "gzip", asset
