"""The "what works" library, a partnership's lessons, and the administrators' review.

Who: the library, for any logged-in user with a role; a partnership's lessons, for its
leads (read and write) and administrators (read); a lead of another partnership gets
404 (as if they did not exist), a researcher 403. The review queue is for
administrators only. Anonymous visitors go to the login page.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments.models import Membership
from bluelight.roles import can_research, is_administrator, is_lead, role_required

from . import selectors, services, wording
from .forms import LessonForm, LibraryFilterForm, ReviewForm, ShareForm
from .models import LessonStatus

PER_PAGE = 20


def _partnership(request, partnership_id: int, *, write: bool = False):
    partnership = selectors.lesson_partnership_for(user=request.user,
                                                   partnership_id=partnership_id)
    if partnership is None:
        raise Http404(_("No such partnership among yours."))
    if write and not (is_lead(request.user) and partnership.is_partner):
        raise PermissionDenied  # administrators read a partnership's lessons, never write
    return partnership


def _lesson(partnership, lesson_id: int):
    lesson = selectors.partnership_lesson(partnership=partnership, lesson_id=lesson_id)
    if lesson is None:
        raise Http404(_("No such lesson."))
    return lesson


def _list_url(partnership) -> str:
    return reverse("lessons:list", kwargs={"partnership_id": partnership.pk})


def _lesson_url(lesson) -> str:
    return reverse("lessons:lesson", kwargs={"partnership_id": lesson.partnership_id,
                                             "lesson_id": lesson.pk})


def _input(data) -> services.LessonInput:
    return services.LessonInput(
        title=data["title"].strip(), tried=data["tried"].strip(),
        happened=data["happened"].strip(), differently=data["differently"].strip(),
        tried_from=data["tried_from"], tried_to=data["tried_to"],
        codes=tuple(data["options"]) + tuple(data["factors"]))


def _description(partnership) -> str:
    services_, nations = wording.partnership_facts(partnership)
    return wording.anonymous_description(kind=partnership.kind, services=services_,
                                         nations=nations)


# --------------------------------------------------------------------------- library


@role_required(is_lead, can_research)
@require_GET
def library(request):
    items = selectors.framework_items()
    form = LibraryFilterForm(request.GET or None, items=items)
    filters = selectors.LibraryFilters()
    if form.is_bound and form.is_valid():
        filters = selectors.LibraryFilters(**{k: (v or "").strip()
                                              for k, v in form.cleaned_data.items()})
    page = Paginator(selectors.library_lessons(filters=filters), PER_PAGE).get_page(
        request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "assessments/lessons/library.html", {
        "form": form, "filters": filters, "page": page, "query": query.urlencode(),
        "lessons": [(lesson, wording.lesson_from(lesson)) for lesson in page.object_list],
        "titles": dict(items["option"] + items["factor"]),
    })


@role_required(is_lead, can_research)
@require_GET
def library_lesson(request, lesson_id: int):
    lesson = selectors.library_lesson(lesson_id=lesson_id)
    if lesson is None:
        raise Http404(_("No such lesson in the library."))
    items = selectors.framework_items()
    return render(request, "assessments/lessons/lesson.html", {
        "lesson": lesson, "who": wording.lesson_from(lesson),
        "titles": dict(items["option"] + items["factor"]),
    })


# --------------------------------------------------------------------------- review


@role_required(is_administrator)
@require_GET
def review_queue(request):
    return render(request, "assessments/lessons/review_queue.html", {
        "lessons": [(lesson, _description(lesson.partnership))
                    for lesson in selectors.review_queue()],
    })


@role_required(is_administrator)
@require_http_methods(["GET", "POST"])
def review(request, lesson_id: int):
    lesson = selectors.lesson_for_review(lesson_id=lesson_id)
    if lesson is None:
        raise Http404(_("No such lesson."))
    form = ReviewForm(request.POST or None, initial={"revision": lesson.revision})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "publish":
                services.lesson_publish(lesson=lesson, user=request.user,
                                        revision=data["revision"])
                messages.success(request, _("Published: it is now in the library."))
            else:
                services.lesson_return(lesson=lesson, user=request.user,
                                       note=data["note"].strip(), revision=data["revision"])
                messages.success(request, _("Returned to the partnership with your note."))
            return redirect("lessons:review_queue")
        except services.LessonRefused as refused:
            form.add_error(None, refused.message)
            lesson = selectors.lesson_for_review(lesson_id=lesson_id)
    items = selectors.framework_items()
    return render(request, "assessments/lessons/review.html", {
        "lesson": lesson, "form": form, "description": _description(lesson.partnership),
        "who": wording.lesson_from(lesson),
        "titles": dict(items["option"] + items["factor"]),
        "awaiting": lesson.status == LessonStatus.AWAITING_REVIEW,
    })


# --------------------------------------------------------------------------- a partnership's


@role_required(is_lead, is_administrator)
@require_GET
def lesson_list(request, partnership_id: int):
    partnership = _partnership(request, partnership_id)
    return render(request, "assessments/lessons/list.html", {
        "partnership": partnership,
        "lessons": selectors.partnership_lessons(partnership=partnership),
        "can_write": is_lead(request.user) and partnership.is_partner,
    })


@role_required(is_lead, is_administrator)
@require_GET
def lesson_page(request, partnership_id: int, lesson_id: int):
    partnership = _partnership(request, partnership_id)
    lesson = _lesson(partnership, lesson_id)
    items = selectors.framework_items()
    return render(request, "assessments/lessons/partnership_lesson.html", {
        "partnership": partnership, "lesson": lesson,
        "can_write": is_lead(request.user) and partnership.is_partner,
        "description": _description_for(partnership),
        "titles": dict(items["option"] + items["factor"]),
    })


def _description_for(partnership) -> str:
    """The anonymous description of a partnership fetched without its agencies (one
    query)."""
    prefetch_related_objects([partnership], Prefetch(
        "memberships", queryset=Membership.objects.select_related("agency")))
    return _description(partnership)


def _initial(lesson) -> dict:
    codes = [c.code for c in lesson.codes.all()]
    return {"title": lesson.title, "tried": lesson.tried, "happened": lesson.happened,
            "differently": lesson.differently, "tried_from": lesson.tried_from,
            "tried_to": lesson.tried_to, "revision": lesson.revision,
            "options": [c for c in codes if c.startswith("O")],
            "factors": [c for c in codes if not c.startswith("O")]}


@role_required(is_lead, is_administrator)
@require_http_methods(["GET", "POST"])
def lesson_new(request, partnership_id: int):
    partnership = _partnership(request, partnership_id, write=True)
    form = LessonForm(request.POST or None, items=selectors.framework_items())
    if request.method == "POST" and form.is_valid():
        lesson = services.lesson_create(
            partnership=partnership, user=request.user, data=_input(form.cleaned_data),
            language="cy" if get_language() == "cy" else "en-gb")
        messages.success(request, _("Lesson saved. It is private to your partnership until "
                                    "you share it."))
        return redirect(_lesson_url(lesson))
    return render(request, "assessments/lessons/form.html", {
        "partnership": partnership, "form": form, "lesson": None})


@role_required(is_lead, is_administrator)
@require_http_methods(["GET", "POST"])
def lesson_edit(request, partnership_id: int, lesson_id: int):
    partnership = _partnership(request, partnership_id, write=True)
    lesson = _lesson(partnership, lesson_id)
    form = LessonForm(request.POST or None, initial=_initial(lesson),
                      items=selectors.framework_items())
    current = None
    if request.method == "POST" and form.is_valid():
        try:
            was_published = lesson.status == LessonStatus.PUBLISHED
            lesson = services.lesson_update(
                lesson=lesson, user=request.user, data=_input(form.cleaned_data),
                revision=form.cleaned_data["revision"] or 0)
        except services.LessonRefused as refused:
            form.add_error(None, refused.message)
            current = _lesson(partnership, lesson_id)
            # The person's typing stays; saving again (deliberately) replaces the current.
            form.data = form.data.copy()
            form.data["revision"] = current.revision
        else:
            messages.success(request, _("Saved. As you changed a published lesson, it has "
                                        "left the library and awaits review again.")
                             if was_published else _("Saved."))
            return redirect(_lesson_url(lesson))
    return render(request, "assessments/lessons/form.html", {
        "partnership": partnership, "form": form, "lesson": lesson, "current": current})


@role_required(is_lead, is_administrator)
@require_http_methods(["GET", "POST"])
def lesson_share(request, partnership_id: int, lesson_id: int):
    partnership = _partnership(request, partnership_id, write=True)
    lesson = _lesson(partnership, lesson_id)
    description = _description_for(partnership)
    form = ShareForm(request.POST or None, name=partnership.name, description=description,
                     initial={"revision": lesson.revision,
                              "show_name": "named" if lesson.show_name else "anonymous"})
    if request.method == "POST" and form.is_valid():
        try:
            services.lesson_share(lesson=lesson, user=request.user,
                                  show_name=form.cleaned_data["show_name"],
                                  revision=form.cleaned_data["revision"])
        except services.LessonRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Shared: an administrator will review it before "
                                        "it appears in the library."))
        return redirect(_lesson_url(lesson))
    return render(request, "assessments/lessons/share.html", {
        "partnership": partnership, "lesson": lesson, "form": form,
        "shareable": lesson.status in (LessonStatus.PRIVATE, LessonStatus.RETURNED)})


@role_required(is_lead, is_administrator)
@require_POST
def lesson_withdraw(request, partnership_id: int, lesson_id: int):
    partnership = _partnership(request, partnership_id, write=True)
    lesson = _lesson(partnership, lesson_id)
    try:
        revision = int(request.POST.get("revision", ""))
    except ValueError:
        revision = -1
    try:
        services.lesson_withdraw(lesson=lesson, user=request.user, revision=revision)
    except services.LessonRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Withdrawn: the lesson is private to your partnership "
                                    "again."))
    return redirect(_lesson_url(lesson))
