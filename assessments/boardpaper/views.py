"""The board paper: a PDF evidence pack of one round, for the board.

Who may have it: as the results dashboard (the same ``_round_for``): the leads of
the round's partnership, researchers (without the agencies' comments) and
administrators; a lead of another partnership gets 404, a user with no role 403, an
anonymous visitor the login page; 404 while the round has no results.
"""

from django.http import Http404, HttpResponseNotAllowed
from django.utils import translation
from django.utils.translation import gettext as _

from assessments.boardpaper.comparison import basis_or_default
from assessments.boardpaper.selectors import paper_content
from assessments.boardpaper.services import board_paper_produce
from assessments.results.views import _round_for
from bluelight import downloads
from bluelight.roles import can_research, is_lead, role_required

PDF = "application/pdf"


@role_required(is_lead, can_research)
def board_paper_pdf(request, round_id: int):
    """Produce the round's board paper in the reader's language, record it, send it."""
    round, audience = _round_for(request.user, round_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    content = paper_content(round=round, audience=audience,
                            basis=basis_or_default(request.GET.get("like")))
    if content is None:
        raise Http404(_("This round has no results yet."))
    produced = board_paper_produce(content=content, user=request.user,
                                   language=translation.get_language())
    what = "board-paper-provisional" if content.results.provisional else "board-paper"
    return downloads.download(produced.pdf, content_type=PDF, filename=downloads.filename(
        round.partnership.name, round.title, what=what, extension="pdf"))
