"""The progress overview of a round, for its partnership's leads and administrators.

A lead of another partnership gets 404 (the round is outside what they may
see), a researcher or a user with no role 403, an anonymous visitor the login
page.
"""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from assessments.progress.selectors import progress_rounds_for, round_progress
from bluelight.roles import is_administrator, is_lead, role_required


@role_required(is_lead, is_administrator)
@require_GET
def round_progress_page(request, round_id: int):
    round = progress_rounds_for(request.user).filter(pk=round_id).first()
    if round is None:
        raise Http404(_("No such round."))
    return render(request, "assessments/progress/round.html", {
        "round": round, "progress": round_progress(round=round),
    })
