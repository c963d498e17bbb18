"""The decisions page of a round: the partnership's leads record a decision on each
option (pursue now, pursue later, not pursuing) with a reason and a date.

Only the leads of the round's partnership: a lead of another partnership gets 404 (the
round is outside what they may see), researchers, administrators and users without a
role 403 (researchers and administrators read the decisions on the dashboard), an
anonymous visitor the login page. The round must have results (decisions are made on
them): before, 404.
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from assessments.access import rounds_visible_to
from assessments.boardpaper.decisions import DecisionRefused, decisions_for, decisions_record
from assessments.boardpaper.forms import DecisionsForm
from assessments.results.selectors import round_scored
from bluelight.roles import is_lead, role_required


def _option_rows(scored):
    """(code, title, level in this round, published level) in framework order."""
    return [(o.code, o.title, scored.result.options[o.code].level
             if o.code in scored.result.options else None, o.published_level)
            for o in scored.spec.options]


@role_required(is_lead)
@require_http_methods(["GET", "POST"])
def round_decisions(request, round_id: int):
    round = rounds_visible_to(request.user).filter(pk=round_id, is_partner=True).first()
    if round is None:
        raise Http404(_("No such round."))
    scored = round_scored(round=round)
    if not scored.ready:
        raise Http404(_("This round has no results yet."))
    options = scored.spec.options
    current = decisions_for(partnership=round.partnership_id)
    form = DecisionsForm(request.POST if request.method == "POST" else None,
                         options=options, current=current)
    if request.method == "POST" and form.is_valid():
        try:
            made = decisions_record(partnership=round.partnership, round=round,
                                    entries=form.entries(), user=request.user)
        except DecisionRefused as refused:
            # Show what is in force now, keep everything typed, say what was refused.
            current = decisions_for(partnership=round.partnership_id)
            data = request.POST.copy()
            for o in options:
                row = current.get(o.code)
                data[f"{o.code}-seen"] = str(row.id if row else 0)
            form = DecisionsForm(data, options=options, current=current)
            form.is_valid()
            if hasattr(refused, "error_dict"):
                for name, errors in refused.message_dict.items():
                    for message in errors:
                        form.add_error(name if name in form.fields else None, message)
            else:
                for message in refused.messages:
                    form.add_error(None, message)
        else:
            messages.success(request, ngettext(
                "Recorded %(n)d decision: %(codes)s.", "Recorded %(n)d decisions: %(codes)s.",
                len(made)) % {"n": len(made), "codes": ", ".join(d.option_code for d in made)})
            return redirect(reverse("results:round", args=[round.pk]) + "#tiers")
    rows = [{"code": code, "title": title, "level": level, "published": published,
             "fields": form.option_fields(code), "decision": current.get(code)}
            for code, title, level, published in _option_rows(scored)]
    return render(request, "assessments/boardpaper/decisions.html", {
        "round": round, "form": form, "rows": rows, "provisional": scored.provisional,
    })
