"""One way to send a file: every download view answers with :func:`download`, and names
the file by one rule, :func:`filename`:
``bluelight-<what it is about>-<what it holds>-<YYYY-MM-DD>.<extension>``, e.g.
``bluelight-northshire-shared-services-2025-round-results-2025-03-05.xlsx``."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify

CSV = "text/csv; charset=utf-8"
JSON = "application/json; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def filename(*about: str, what: str, extension: str) -> str:
    """A download's name by the one rule: ``bluelight-<about...>-<what>-<today>.<extension>``.

    ``about``: what the file is about, most general first (a partnership, then its round;
    a survey's code), each made a slug; ``what``: what it holds ("results", "answers").
    Today is the local date, written 2025-03-05.
    """
    parts = [slugify(part) for part in (*about, what)]
    stem = "-".join(["bluelight", *[p for p in parts if p], timezone.localdate().isoformat()])
    return f"{stem}.{extension.lstrip('.')}"


def download(body: bytes | str, *, content_type: str, filename: str) -> HttpResponse:
    """``body`` (text is sent as UTF-8) as an attachment named ``filename``.

    Downloads hold private data: ``Cache-Control: no-store`` keeps them out of
    every cache, the browser's included.
    """
    if isinstance(body, str):
        body = body.encode("utf-8")
    response = HttpResponse(body, content_type=content_type)
    safe_name = filename.replace('"', "").replace("\r", "").replace("\n", "")
    response["Content-Disposition"] = f'attachment; filename="{safe_name}"'
    response["Cache-Control"] = "no-store"
    return response
