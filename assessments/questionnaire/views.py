"""Pages: each role's home, the lead's questionnaire, answer files, invitations.

Questionnaire pages are for the leads of the agency only: the round and agency
are looked up through the user's memberships, so another agency's assessment
(in the same partnership or another) is a 404, and a role that never answers
(researcher, no role) gets 403. Administrators see submissions and their
answers in the admin, read-only, and reopen them there. Every form posts and
then redirects (POST-redirect-GET); a refused post renders the page again with
what the person typed, so nothing is lost.
"""

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.forms import SetPasswordForm
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from assessments.access import assessment_for
from assessments.models import Invitation
from assessments.questionnaire.forms import (
    SectionForm,
    SubmitForm,
    comment_field,
    value_field,
)
from assessments.questionnaire.invitations import invitation_accept as accept_invitation
from assessments.questionnaire.invitations import invitation_is_valid, invitation_landing
from assessments.questionnaire.selectors import (
    SECTION_SLUGS,
    agency_submission,
    lead_rounds,
    memberships_for_lead,
    previous_submission,
    questionnaire,
    submission_reopen_note,
)
from assessments.questionnaire.services import (
    AlreadySubmitted,
    AnswerInput,
    AssessmentError,
    Incomplete,
    InvalidAnswers,
    NotEditable,
    StaleRevision,
    person,
    submission_for,
    submission_prefill,
    submission_readonly_reason,
    submission_save,
    submission_submit,
)
from bluelight import formatting
from bluelight.roles import is_lead, role_required


def home(request):
    """Tell each role what to do next; a lead sees their agencies' rounds."""
    context = {}
    if is_lead(request.user):
        memberships = list(memberships_for_lead(user=request.user))
        rows = lead_rounds(user=request.user, memberships=memberships)
        with_rounds = {(r.membership.pk) for r in rows}
        context.update(
            memberships=memberships,
            open_rows=[r for r in rows if r.editable or r.state == "not_open"],
            done_rows=[r for r in rows if not r.editable and r.state != "not_open"],
            without_rounds=[m for m in memberships if m.pk not in with_rounds],
        )
    return render(request, "assessments/home.html", context)


# ----------------------------------------------------------------------------- questionnaire


def _assessment(request, round_id: int, agency_id: int):
    found = assessment_for(user=request.user, round_id=round_id, agency_id=agency_id)
    if found is None:
        raise Http404(_("No such assessment among the agencies you lead for."))
    membership, round = found
    return membership, round, agency_submission(round=round, agency=membership.agency)


def _url(name: str, round, agency, **extra) -> str:
    return reverse(name, kwargs={"round_id": round.pk, "agency_id": agency.pk, **extra})


def _section_url(round, agency, slug: str) -> str:
    return _url("questionnaire:section", round, agency, section=slug)


def answer_text(answer, labels: dict[int, str]) -> str:
    """A stored answer in words: "4 Largely in place", "Don't know" or "Not answered"."""
    if answer is None:
        return _("Not answered")
    return formatting.answer(answer.value, labels)


@role_required(is_lead)
def questionnaire_start(request, round_id: int, agency_id: int):
    """The first section, or the review when nothing can be changed."""
    membership, round, submission = _assessment(request, round_id, agency_id)
    if submission_readonly_reason(submission, round):
        return redirect(_url("questionnaire:review", round, membership.agency))
    return redirect(_section_url(round, membership.agency, SECTION_SLUGS[0]))


@role_required(is_lead)
@require_http_methods(["GET", "POST"])
def questionnaire_section(request, round_id: int, agency_id: int, section: str):
    if section not in SECTION_SLUGS:
        raise Http404(_("No such section."))
    membership, round, submission = _assessment(request, round_id, agency_id)
    agency = membership.agency
    readonly = submission_readonly_reason(submission, round)
    if request.method == "GET" and readonly:
        return redirect(_url("questionnaire:review", round, agency))
    q = questionnaire(round=round, submission=submission)
    current = q.section(section)
    scale = q.scales.get(current.kind)
    labels = dict(scale.labels) if scale else {}
    codes = [item.code for s in q.sections for item in s.items]
    form_kwargs = {"items": current.items, "labels": labels, "all_codes": codes}
    conflict = None
    refusal = None

    if request.method == "GET":
        # (A POST does not read the stored answers unless the page is shown again: the
        # save reads them itself, under its lock.)
        stored = {item.code: _input(q.answers.get(item.pk)) for item in current.items}
        form = SectionForm(initial=SectionForm.initial_for(
            current.items, stored, submission.revision if submission else 0), **form_kwargs)
    else:
        form = SectionForm(request.POST, **form_kwargs)
        if readonly:
            refusal = _("Your changes were not saved. %(reason)s Your answers are shown below "
                        "so you can keep a copy.") % {"reason": readonly}
        elif form.is_valid():
            try:
                submission = submission or submission_for(round=round, agency=agency)
                result = submission_save(submission=submission, user=request.user,
                                         answers=form.answers(),
                                         revision=form.cleaned_data["revision"])
            except StaleRevision as exc:
                conflict = exc
                posted = form.answers()
                merged = {item.code: (posted[item.code] if item.code in exc.mine
                                      and item.code in posted else exc.current.get(item.code))
                          for item in current.items}
                form = SectionForm(initial=SectionForm.initial_for(
                    current.items, merged, exc.revision), **form_kwargs)
            except NotEditable as exc:
                readonly = exc.message
                refusal = _("Your changes were not saved. %(reason)s Your answers are shown "
                            "below so you can keep a copy.") % {"reason": exc.message}
            except InvalidAnswers as exc:
                for message in exc.errors.values():
                    form.add_error(None, message)
            else:
                return _after_save(request, result, round, agency, current)

    return render(request, "assessments/questionnaire/section.html", {
        "round": round, "agency": agency, "membership": membership, "submission": submission,
        "questionnaire": q, "section": current, "scale": scale, "form": form,
        "readonly": readonly,
        "refusal": refusal, "conflict": conflict,
        "conflict_rows": _conflict_rows(conflict, q, current) if conflict else [],
        "rows": _rows(form, current, labels, conflict),
        "errors": _error_summary(form),
        "previous": _neighbour(q, current, -1), "next": _neighbour(q, current, +1),
        **_reopen_context(submission),
        **_prefill_context(q, round, agency, readonly, current.items),
    })


def _prefill_context(q, round, agency, readonly, items) -> dict:
    """The offer to start from the last round's answers, and the answers still marked."""
    offer = None
    if not readonly and q.answered < q.total:
        offer = previous_submission(round=round, agency=agency)
    return {"prefill_from": offer,
            "prefilled": [item for item in items
                          if getattr(q.answers.get(item.pk), "prefilled", False)]}


@role_required(is_lead)
@require_POST
def questionnaire_prefill(request, round_id: int, agency_id: int):
    """Copy the agency's last submitted answers into the unanswered items, marked."""
    membership, round, _submission = _assessment(request, round_id, agency_id)
    agency = membership.agency
    try:
        _submission, copied = submission_prefill(round=round, agency=agency, user=request.user)
    except AssessmentError as exc:
        messages.error(request, exc.message)
        return redirect(_url("questionnaire:start", round, agency))
    if copied:
        messages.success(request, ngettext(
            "Copied %(n)s answer from your last round. It is marked “From your last round — "
            "confirm or change” until you save its section.",
            "Copied %(n)s answers from your last round. Each is marked “From your last round "
            "— confirm or change” until you save its section.", len(copied))
            % {"n": len(copied)})
    else:
        messages.info(request, _("Nothing to copy: every item of your last round is answered "
                                 "here already."))
    return redirect(_section_url(round, agency, SECTION_SLUGS[0]))


def _reopen_context(submission) -> dict:
    """Who reopened the assessment, when and why (while it is reopened)."""
    note = submission_reopen_note(submission=submission)
    return {"reopen_note": note,
            "reopened_by": person(note.history_user) if note is not None else ""}


def _input(answer):
    return None if answer is None else AnswerInput(answer.value, answer.comment)


def _neighbour(q, section, step: int):
    index = q.sections.index(section) + step
    return q.sections[index] if 0 <= index < len(q.sections) else None


def _after_save(request, result, round, agency, section):
    action = request.POST.get("action", "save")
    slugs = list(SECTION_SLUGS)
    index = slugs.index(section.slug)
    if action == "next" and index + 1 < len(slugs):
        target = _section_url(round, agency, slugs[index + 1])
    elif action == "back" and index > 0:
        target = _section_url(round, agency, slugs[index - 1])
    elif action == "review":
        target = _url("questionnaire:review", round, agency)
    else:
        target = _section_url(round, agency, section.slug)
    if result.others:
        names = ", ".join(sorted({change.by for change in result.others}))
        messages.info(request, _("%(names)s changed answers after you opened the page; you "
                                 "now see the latest answers.") % {"names": names})
    if result.confirmed and not result.saved:
        messages.success(request, ngettext(
            "Confirmed %(n)s answer from your last round in %(section)s.",
            "Confirmed %(n)s answers from your last round in %(section)s.",
            len(result.confirmed)) % {"n": len(result.confirmed), "section": section.title})
    if result.saved:
        messages.success(request, ngettext(
            "Saved: %(n)s answer in %(section)s changed.",
            "Saved: %(n)s answers in %(section)s changed.", len(result.saved))
            % {"n": len(result.saved), "section": section.title})
    elif action == "save" and not result.others and not result.confirmed:
        messages.info(request, _("Nothing to save: your answers are as stored."))
    return redirect(target)


def _rows(form, section, labels, conflict):
    changes = {c.item.code: c for c in conflict.changes} if conflict else {}
    mine = conflict.mine if conflict else set()
    rows = []
    for item in section.items:
        value_name, comment_name = value_field(item.code), comment_field(item.code)
        selected = form[value_name].value()
        selected = "" if selected is None else str(selected)
        choices = form.fields[value_name].choices
        change = changes.get(item.code)
        rows.append({
            "item": item,
            "value_name": value_name,
            "comment_name": comment_name,
            "choices": [{"value": v, "label": label, "id": f"{item.code}-value-{v}",
                         "checked": v == selected} for v, label in choices],
            "comment": form[comment_name].value() or "",
            "errors": [*form.errors.get(value_name, []), *form.errors.get(comment_name, [])],
            "change": change,
            "change_text": answer_text(change.answer, labels) if change else "",
            "mine": item.code in mine,
        })
    return rows


def _conflict_rows(conflict, q, current):
    """Others' changes, with where they are: "E3 Clear, shared resource plan (Enablers)"."""
    sections = {item.pk: s for s in q.sections for item in s.items}
    rows = []
    for change in conflict.changes:
        section = sections.get(change.item.pk)
        scale = q.scales.get(change.item.kind)
        rows.append({
            "change": change,
            "text": answer_text(change.answer, dict(scale.labels) if scale else {}),
            "section": section,
            "here": section is current,
            "anchor": f"item-{change.item.code}",
        })
    return rows


def _error_summary(form):
    if not form.is_bound or not form.errors:
        return []
    summary = [("#questionnaire", message) for message in form.non_field_errors()]
    for item in form.items:
        for name, anchor in ((value_field(item.code), f"{item.code}-value-1"),
                             (comment_field(item.code), f"{item.code}-comment")):
            summary += [(f"#{anchor}", message) for message in form.errors.get(name, [])]
    if "revision" in form.errors:
        summary.append(("#questionnaire", _("The page is out of date: open it again.")))
    return summary


@role_required(is_lead)
@require_http_methods(["GET"])
def questionnaire_review(request, round_id: int, agency_id: int):
    membership, round, submission = _assessment(request, round_id, agency_id)
    return _review(request, membership, round, submission)


def _review(request, membership, round, submission, *, form=None):
    q = questionnaire(round=round, submission=submission)
    sections = []
    for section in q.sections:
        scale = q.scales.get(section.kind)
        labels = dict(scale.labels) if scale else {}
        sections.append({"section": section, "rows": [
            {"item": item, "answer": q.answers.get(item.pk),
             "text": answer_text(q.answers.get(item.pk), labels)}
            for item in section.items]})
    form = form or SubmitForm(initial={"revision": submission.revision if submission else 0})
    return render(request, "assessments/questionnaire/review.html", {
        "round": round, "agency": membership.agency, "membership": membership,
        "submission": submission, "questionnaire": q, "sections": sections,
        "unanswered": [(item, section.slug) for section in q.sections for item in section.items
                       if item.pk not in q.answers],
        "form": form,
        "readonly": submission_readonly_reason(submission, round),
        "submitted_by": person(submission.submitted_by) if submission else "",
        **_reopen_context(submission),
        **_prefill_context(q, round, membership.agency,
                           submission_readonly_reason(submission, round),
                           [item for section in q.sections for item in section.items]),
    })


@role_required(is_lead)
@require_POST
def questionnaire_submit(request, round_id: int, agency_id: int):
    membership, round, submission = _assessment(request, round_id, agency_id)
    agency = membership.agency
    review = _url("questionnaire:review", round, agency)
    form = SubmitForm(request.POST)
    already = submission is not None and submission.status == submission.Status.SUBMITTED
    readonly = submission_readonly_reason(submission, round)
    if readonly and not already:
        messages.error(request, _("Not submitted: %(reason)s") % {"reason": readonly})
        return redirect(review)
    if not already and not form.is_valid():
        return _review(request, membership, round, submission, form=form)
    if submission is None:
        q = questionnaire(round=round, submission=None)
        messages.error(request, Incomplete(q.unanswered()).message)
        return redirect(review)
    try:
        submission_submit(submission=submission, user=request.user,
                          revision=form.cleaned_data.get("revision", -1) if form.is_valid()
                          else -1)
    except AlreadySubmitted as exc:
        messages.info(request, exc.message)
    except StaleRevision as exc:
        names = ", ".join(sorted({c.by for c in exc.changes})) or _("someone")
        codes = ", ".join(c.item.code for c in exc.changes)
        messages.warning(request, _(
            "Not submitted: %(names)s changed %(codes)s after you opened this page. Check the "
            "answers below and submit again.") % {"names": names, "codes": codes or "—"})
    except AssessmentError as exc:  # Incomplete, NotEditable
        messages.error(request, _("Not submitted: %(reason)s") % {"reason": exc.message})
    else:
        messages.success(request, _("Submitted. Thank you: %(agency)s's answers now count in "
                                    "the partnership's results.") % {"agency": agency})
    return redirect(review)


# ----------------------------------------------------------------------------- invitations


@require_http_methods(["GET", "POST"])
def invitation_accept(request, invitation_id: int, token: str):
    """Set a password from an invitation link, then land on the questionnaire."""
    invitation = (Invitation.objects.select_related("user", "membership__agency",
                                                    "membership__partnership")
                  .filter(pk=invitation_id).first())
    if not invitation_is_valid(invitation=invitation, token=token):
        return render(request, "registration/invitation_invalid.html", status=400)
    form = SetPasswordForm(invitation.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = accept_invitation(invitation=invitation, token=token,
                                     password=form.cleaned_data["new_password1"])
        except AssessmentError:
            return render(request, "registration/invitation_invalid.html", status=400)
        auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome, %(name)s: your password is set and you are "
                                    "logged in.") % {"name": user.get_username()})
        return redirect(invitation_landing(invitation=invitation))
    return render(request, "registration/invitation_accept.html", {
        "invitation": invitation, "form": form,
    })
