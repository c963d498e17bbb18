"""Rounds' answer files: the answers CSV download, the round list and the CSV import."""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from bluelight.csvkit import listing
from bluelight.downloads import CSV, download, filename
from bluelight.roles import can_research, is_lead, role_required

from ..access import answers_visible_to, rounds_visible_to
from ..models import Round
from ..questionnaire.services import AssessmentError, submission_readonly_reason
from ..results.exports import round_answers_csv
from .forms import ImportForm
from .imports import round_import_answers


@role_required(is_lead, can_research)
def round_answers_download(request, round_id: int):
    """The round's submitted answers as the interchange CSV (the import's twin): the
    rows and columns the user may read (:func:`assessments.access.answers_visible_to`):
    no comment column for researchers, only their own agency's rows for a lead
    before the round has results."""
    round = get_object_or_404(rounds_visible_to(request.user), pk=round_id)
    visible = answers_visible_to(request.user, round)
    if visible is None:  # pragma: no cover - every visible round has readable answers
        raise Http404(_("No such round."))
    body = round_answers_csv(round=round, agencies=visible.agencies, comments=visible.comments)
    return download(body, content_type=CSV,
                    filename=filename(round.partnership.name, round.title, what="answers",
                                      extension="csv"))


@role_required(can_research)
def round_list(request):
    """Every round, with its answer files: export and import (researchers, administrators)."""
    rounds = (Round.objects.select_related("partnership", "framework")
              .annotate(members=Count("partnership__memberships", distinct=True),
                        submitted=Count("submissions", distinct=True,
                                        filter=Q(submissions__submitted_at__isnull=False)))
              .order_by("partnership__name", "-opens_on", "-id"))
    return render(request, "assessments/rounds/list.html", {"rounds": rounds})


@role_required(can_research)
@require_http_methods(["GET", "POST"])
def round_import(request, round_id: int):
    """Upload a round's answers as CSV; all or nothing, every problem by line."""
    round = get_object_or_404(rounds_visible_to(request.user), pk=round_id)
    closed = submission_readonly_reason(None, round)
    result = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = round_import_answers(
                    round=round, data=form.cleaned_data["file"].read(), user=request.user,
                    replace_submitted=form.cleaned_data["replace_submitted"])
            except AssessmentError as exc:
                messages.error(request, exc.message)
                return redirect("rounds:import", round_id=round.pk)
            if result.ok:
                messages.success(request, ngettext(
                    "Imported %(answers)s answers for %(n)s agency: %(names)s. It now counts "
                    "as submitted.",
                    "Imported %(answers)s answers for %(n)s agencies: %(names)s. They now "
                    "count as submitted.", len(result.agencies)) % {
                    "answers": result.answers, "n": len(result.agencies),
                    "names": ", ".join(a.agency for a in result.agencies)})
                for done in result.agencies:
                    if done.replaced:
                        messages.warning(request, _(
                            "%(agency)s: the import replaced its %(what)s.") % {
                            "agency": done.agency, "what": done.replaced})
                return redirect("rounds:import", round_id=round.pk)
    else:
        form = ImportForm()
    return render(request, "assessments/rounds/import.html", {
        "round": round, "form": form, "closed": closed,
        "problems": listing(result.errors, stopped_at=result.stopped_at)
        if result is not None and not result.ok else None,
    })
