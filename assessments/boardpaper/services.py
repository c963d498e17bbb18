"""Producing a board paper: render the PDF and keep its record (:class:`BoardPaper`).

The record is made first, in its own short transaction, so the paper can print its
number; the PDF is laid out outside any transaction (a second or so: holding SQLite's
write lock that long would queue every save), then the record gets the SHA-256 of the
bytes, the page count and the size. A paper that fails to render leaves no record.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.boardpaper.models import BoardPaper
from assessments.boardpaper.pdf import html_to_pdf
from assessments.boardpaper.selectors import PaperContent

TEMPLATE = "assessments/boardpaper/paper.html"


@dataclass(frozen=True)
class Produced:
    record: BoardPaper
    pdf: bytes


def page_words() -> tuple[str, str, str]:
    """"Page 3 of 12" in the reader's language, cut around the two numbers, for the
    print stylesheet's page counters (CSS cannot call gettext)."""
    text = _("Page %(page)s of %(pages)s")
    before, _sep, rest = text.partition("%(page)s")
    between, _sep, after = rest.partition("%(pages)s")
    return before, between, after


def _produced_by(user) -> str:
    return user.get_full_name().strip() or user.get_username()


@transaction.atomic
def _record_start(*, content: PaperContent, user, language: str) -> BoardPaper:
    return BoardPaper.objects.create(
        round=content.round, produced_by=user, produced_by_username=user.get_username(),
        produced_at=timezone.now(), language=language,
        provisional=content.results.provisional, with_comments=content.audience.comments,
        answers_hash=content.answers_hash)


@transaction.atomic
def _record_finish(*, record: BoardPaper, pdf: bytes, pages: int) -> BoardPaper:
    record = BoardPaper.objects.select_for_update().get(pk=record.pk)
    record.content_hash = hashlib.sha256(pdf).hexdigest()
    record.pages, record.size = pages, len(pdf)
    record.save(update_fields=["content_hash", "pages", "size"])
    return record


def board_paper_produce(*, content: PaperContent, user, language: str) -> Produced:
    """The board paper of ``content`` for ``user`` (in the active ``language``), and its
    record: who, when, round, language, provisional or not, with comments or not, the
    answers hash, the PDF's SHA-256, pages and size."""
    record = _record_start(content=content, user=user, language=language)
    try:
        html = render_to_string(TEMPLATE, {
            "paper": content, "round": content.round, "results": content.results,
            "record": record, "produced_by": _produced_by(user),
            "language": language, "page_words": page_words()})
        printed = html_to_pdf(html)
    except BaseException:
        BoardPaper.objects.filter(pk=record.pk).delete()
        raise
    record = _record_finish(record=record, pdf=printed.pdf, pages=printed.pages)
    return Produced(record=record, pdf=printed.pdf)
