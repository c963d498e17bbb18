"""A partnership's actions: the list, a new action, adopting one from a round's action
plan, the action's page (with its edit form and progress notes) and its change log.

Who (:mod:`assessments.actions.access`): the leads of the partnership's agencies see
and change; administrators see (their POSTs are 403); a lead of another partnership
gets 404; researchers and people with no role 403; anonymous visitors the login page.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments.access import rounds_visible_to
from assessments.actions.access import partnership_place, partnership_to_edit
from assessments.actions.forms import ActionForm, NoteForm, StatusFilterForm, action_initial
from assessments.actions.models import Action
from assessments.actions.selectors import (
    action_log,
    action_row,
    partnership_actions,
    partnership_spec,
    spec_titles,
)
from assessments.actions.services import (
    ActionError,
    StaleAction,
    action_adopt,
    action_choices,
    action_create,
    action_note_add,
    action_update,
)
from bluelight.roles import is_administrator, is_lead, role_required

LOG_ON_PAGE = 5


def _detail_url(action: Action) -> str:
    return reverse("actions:detail", kwargs={"partnership_id": action.partnership_id,
                                             "action_id": action.pk})


def _error(form, exc: ActionError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@role_required(is_lead, is_administrator)
@require_GET
def action_list(request, partnership_id: int):
    """The partnership's actions, overdue first, filtered by status."""
    place = partnership_place(request.user, partnership_id)
    form = StatusFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_bound and form.is_valid() else ""
    actions = partnership_actions(partnership=place.partnership, status=status)
    titles = spec_titles(partnership_spec(partnership=place.partnership))
    today = timezone.localdate()
    rows = [action_row(a, titles=titles, today=today) for a in actions]
    return render(request, "assessments/actions/list.html", {
        "partnership": place.partnership, "may_edit": place.may_edit, "rows": rows,
        "form": form, "status": status, "n_overdue": sum(r.overdue for r in rows)})


@role_required(is_lead, is_administrator)
@require_http_methods(["GET", "POST"])
def action_new(request, partnership_id: int):
    """Write an action from scratch."""
    partnership = partnership_to_edit(request.user, partnership_id)
    choices = action_choices(partnership=partnership)
    form = ActionForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            action = action_create(partnership=partnership, user=request.user,
                                   choices=choices, **form.values())
        except ActionError as exc:
            _error(form, exc)
        else:
            messages.success(request, _("Action added."))
            return redirect(_detail_url(action))
    return render(request, "assessments/actions/new.html",
                  {"partnership": partnership, "form": form})


@role_required(is_lead, is_administrator)
@require_POST
def action_adopt_view(request, round_id: int):
    """Adopt a point of a round's action plan (the dashboard's "Adopt this action")."""
    round = rounds_visible_to(request.user).filter(pk=round_id).first()
    if round is None:  # no such round, or a lead of another partnership
        raise Http404(_("No such round."))
    if not (is_lead(request.user) and round.is_partner):
        raise PermissionDenied  # administrators see actions; the partnership adopts them
    factor = str(request.POST.get("factor", "")).strip().upper()[:20]
    try:
        action, created = action_adopt(round=round, factor_code=factor, user=request.user)
    except ActionError as exc:
        messages.error(request, exc.message)
        return redirect(reverse("results:round", kwargs={"round_id": round.pk}) + "#action-plan")
    if created:
        messages.success(request, _("Action adopted. Now choose the agency that owns it and "
                                    "when it is due, then save."))
    else:
        messages.info(request, _("Your partnership already has an open action on %(code)s: "
                                 "here it is.") % {"code": factor})
    return redirect(_detail_url(action))


def _action(place, action_id: int) -> Action:
    return get_object_or_404(
        Action.objects.select_related("owner", "from_round", "created_by"),
        pk=action_id, partnership=place.partnership)


def _detail(request, place, action, *, form=None, note_form=None, stale=None):
    choices = action_choices(partnership=place.partnership)
    titles = choices.factors | choices.options
    if place.may_edit and form is None:
        form = ActionForm(initial=action_initial(action), choices=choices, action=action)
    notes = list(action.notes.select_related("author"))
    log = action_log(action=action, titles=titles, notes=notes)
    return render(request, "assessments/actions/detail.html", {
        "partnership": place.partnership, "may_edit": place.may_edit, "action": action,
        "row": action_row(action, titles=titles, today=timezone.localdate()),
        "form": form if place.may_edit else None,
        "note_form": (note_form or NoteForm()) if place.may_edit else None,
        "notes": notes, "log": log[:LOG_ON_PAGE], "more_log": len(log) > LOG_ON_PAGE,
        "stale": stale,
    })


@role_required(is_lead, is_administrator)
@require_http_methods(["GET", "POST"])
def action_detail(request, partnership_id: int, action_id: int):
    """The action, its progress notes and latest changes; its leads change it here."""
    place = partnership_place(request.user, partnership_id)
    action = _action(place, action_id)
    if request.method == "GET":
        return _detail(request, place, action)
    if not place.may_edit:
        raise PermissionDenied
    choices = action_choices(partnership=place.partnership)
    form = ActionForm(request.POST, choices=choices, action=action)
    if not form.is_valid():
        return _detail(request, place, action, form=form)
    try:
        saved, changed = action_update(action=action, user=request.user,
                                       revision=form.cleaned_data["revision"], **form.values())
    except StaleAction as exc:
        # keep everything the person typed; the form now carries the stored revision, so
        # saving again (having seen what changed) is deliberate
        data = request.POST.copy()
        data["revision"] = str(exc.revision)
        action.refresh_from_db()
        form = ActionForm(data, choices=choices, action=action)
        form.is_valid()
        return _detail(request, place, action, form=form, stale=exc)
    except ActionError as exc:
        _error(form, exc)
        return _detail(request, place, action, form=form)
    if changed:
        messages.success(request, _("Changes saved."))
    else:
        messages.info(request, _("Nothing to save: you changed nothing."))
    return redirect(_detail_url(saved))


@role_required(is_lead, is_administrator)
@require_POST
def action_note(request, partnership_id: int, action_id: int):
    """Add a dated progress note."""
    place = partnership_place(request.user, partnership_id)
    if not place.may_edit:
        raise PermissionDenied
    action = _action(place, action_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            action_note_add(action=action, user=request.user, text=form.cleaned_data["text"],
                            on_day=form.cleaned_data["on_day"])
        except ActionError as exc:
            _error(form, exc)
        else:
            messages.success(request, _("Progress note added."))
            return redirect(_detail_url(action) + "#notes")
    return _detail(request, place, action, note_form=form)


@role_required(is_lead, is_administrator)
@require_GET
def action_changes(request, partnership_id: int, action_id: int):
    """Every change to the action and every note: who, when, what."""
    place = partnership_place(request.user, partnership_id)
    action = _action(place, action_id)
    titles = spec_titles(partnership_spec(partnership=place.partnership))
    return render(request, "assessments/actions/changes.html", {
        "partnership": place.partnership, "action": action,
        "log": action_log(action=action, titles=titles)})
