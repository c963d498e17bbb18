"""HTML to PDF with WeasyPrint, offline: the one place the board paper is printed.

The HTML comes from a Django template; its print stylesheet is read from our own
static folder on disk (``base_url`` is that folder). :class:`StaticOnlyFetcher` refuses
every other address (http, https, ftp, a file elsewhere on the disk): rendering never
goes to the network and cannot read the server's files. Charts come as ``data:`` URIs
(SVG drawn by :mod:`assessments.boardpaper.svg`).

The PDF is tagged for accessibility as far as WeasyPrint goes (``pdf/ua-1``: a
structure tree with headings, paragraphs, tables and figures with their alternative
text, the document's title from ``<title>`` and its language from ``<html lang>``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from weasyprint import HTML
from weasyprint.urls import URLFetcher

PDF_VARIANT = "pdf/ua-1"
log = logging.getLogger(__name__)


def static_root() -> Path:
    """Our static folder on disk (the source one: no collectstatic needed)."""
    return (Path(settings.BASE_DIR) / "static").resolve()


class StaticOnlyFetcher(URLFetcher):
    """Fetches ``file:`` URLs inside the static folder and ``data:`` URIs; refuses the
    rest (WeasyPrint then leaves the resource out and logs a warning)."""

    def __init__(self, root: Path | None = None):
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.root = (root or static_root()).resolve()

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if path.is_relative_to(self.root) and path.is_file():
                return super().fetch(url, headers)
        raise ValueError(f"Refused outside the static folder: {url[:200]}")


@dataclass(frozen=True)
class Printed:
    pdf: bytes
    pages: int


def html_to_pdf(html: str) -> Printed:
    """Lay out ``html`` (relative URLs resolve in the static folder) and write the PDF."""
    root = static_root()
    document = HTML(string=html, base_url=root.as_uri() + "/",
                    url_fetcher=StaticOnlyFetcher(root)).render()
    try:
        pdf = document.write_pdf(pdf_variant=PDF_VARIANT, pdf_tags=True)
    except ValueError:
        # WeasyPrint 68's structure tree fails on a table cut from its caption at a page
        # break ("Table wrapper without a table"); the paper avoids it (headings, not
        # captions, where a table must not break). Should it happen, an untagged paper
        # beats no paper: say so in the log.
        log.warning("Board paper written without PDF tags", exc_info=True)
        pdf = document.write_pdf()
    return Printed(pdf=pdf, pages=len(document.pages))
