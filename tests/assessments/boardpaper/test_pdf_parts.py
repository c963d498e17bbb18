"""The board paper's parts on their own: the SVG charts and the offline URL fetcher."""

import base64
from xml.etree import ElementTree

import pytest
from weasyprint import HTML

from assessments.boardpaper import svg
from assessments.boardpaper.pdf import StaticOnlyFetcher, html_to_pdf, static_root

NS = "{http://www.w3.org/2000/svg}"


def parse(document: str) -> ElementTree.Element:
    return ElementTree.fromstring(document)  # noqa: S314 - our own SVG, in a test


def test_bars_print_their_values_and_escape_their_labels():
    document = svg.bar_chart([svg.Bar("E1 <Clear> & shared", 4.5, "4.5"),
                              svg.Bar("E2 Trust", None, "No answers")],
                             title="Enablers & barriers", low=0, high=5, ticks=[0, 5])
    root = parse(document)  # well-formed: the labels were escaped
    assert root.find(f"{NS}title").text == "Enablers & barriers"
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert "E1 <Clear> & shared" in texts and "4.5" in texts and "No answers" in texts
    bars = list(root.iter(f"{NS}rect"))
    assert len(bars) == 1  # no bar for a missing value, only its words
    assert float(bars[0].get("width")) == pytest.approx((640 - 120 - 238) * 0.9, abs=0.2)


def test_long_labels_are_shortened_to_fit():
    document = svg.bar_chart([svg.Bar("B6 Inconsistent direction from government departments "
                                      "and agencies", 2.5, "2.5")],
                             title="t", low=0, high=5, label_width=130)
    label = [t.text for t in parse(document).iter(f"{NS}text")][0]
    assert label.endswith("…") and len(label) <= 130 / 6.6


def test_a_line_breaks_where_a_round_has_no_value():
    points = [svg.Point("Round 1", 40.0, "40.0"), svg.Point("Round 2", None, "Not available"),
              svg.Point("Round 3", 55.5, "55.5"), svg.Point("Round 4", 60.0, "60.0")]
    root = parse(svg.line_chart(points, title="Readiness"))
    lines = list(root.iter(f"{NS}polyline"))
    assert len(lines) == 1 and len(lines[0].get("points").split()) == 2  # rounds 3 and 4
    assert len(list(root.iter(f"{NS}circle"))) == 3
    assert "Not available" in [t.text for t in root.iter(f"{NS}text")]


def test_data_uri_round_trips():
    document = svg.bar_chart([svg.Bar("Lefel 1 ŵŷ", 3, "3")], title="t", low=0, high=5)
    uri = svg.data_uri(document)
    assert uri.startswith("data:image/svg+xml;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]).decode("utf-8") == document


def test_the_fetcher_reads_only_our_static_folder():
    fetcher = StaticOnlyFetcher()
    css = (static_root() / "css" / "board-paper.css").as_uri()
    response = fetcher.fetch(css)
    try:
        assert b"@page" in response.read()
    finally:
        response.close()
    for url in ("https://example.org/x.css", "http://127.0.0.1:8000/static/css/x.css",
                "file:///etc/passwd", (static_root() / ".." / "manage.py").as_uri(),
                "ftp://example.org/a"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_a_page_that_asks_for_the_network_is_printed_without_it(monkeypatch):
    """An image or stylesheet from elsewhere is left out; the paper is still printed."""
    asked = []
    real = StaticOnlyFetcher.fetch

    def spy(self, url, headers=None):
        asked.append(url)
        return real(self, url, headers)

    monkeypatch.setattr(StaticOnlyFetcher, "fetch", spy)
    printed = html_to_pdf('<html lang="en"><head><title>t</title>'
                          '<link rel="stylesheet" href="https://example.org/evil.css">'
                          '<link rel="stylesheet" href="css/board-paper.css"></head>'
                          '<body><h1>Hello</h1><img alt="x" src="http://example.org/a.png">'
                          "</body></html>")
    assert printed.pages == 1 and printed.pdf.startswith(b"%PDF")
    assert "https://example.org/evil.css" in asked and "http://example.org/a.png" in asked
    assert (static_root() / "css" / "board-paper.css").as_uri() in asked


def test_the_print_stylesheet_is_valid_for_weasyprint():
    """Every rule of board-paper.css is understood (WeasyPrint ignores, and logs, the rest)."""
    import logging

    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        HTML(string='<html><head><link rel="stylesheet" href="css/board-paper.css"></head>'
                    "<body><p>x</p></body></html>",
             base_url=static_root().as_uri() + "/",
             url_fetcher=StaticOnlyFetcher()).render()
    finally:
        logger.removeHandler(handler)
    assert [r.getMessage() for r in records if r.levelno >= logging.WARNING] == []
