"""Administration of partnerships, their agencies and leads, rounds, submissions, invitations.

The admin site is for Administrators only (``bluelight.admin``). Writes that
carry rules go through the services: opening and closing rounds, reopening a
submission (with a reason, recorded in its history), inviting a lead.
Submissions and answers are read-only here: only the agency's leads change
answers, in the questionnaire.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from assessments.models import (
    Agency,
    Answer,
    DeletionRecord,
    Invitation,
    Membership,
    Partnership,
    Round,
    Submission,
    SubmittedAnswer,
)
from assessments.questionnaire.forms import InviteForm, ReopenForm
from assessments.questionnaire.invitations import invitation_send
from assessments.questionnaire.services import (
    AssessmentError,
    round_close,
    round_open,
    round_reopen,
    submission_reopen,
)
from assessments.questionnaire.tokens import invitation_token_generator
from survey.admin import FrameworkVersionFilter
from survey.framework.selectors import framework_label
from survey.models import Framework


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "service", "nation", "area"]
    list_filter = ["service", "nation"]
    search_fields = ["name", "area"]


class MembershipInline(admin.StackedInline):
    """Agencies of the partnership and their leads.

    Stacked, with plain selects: every control has its label (the tabular
    layout's delete boxes and the select2 autocompletes have none).
    """

    model = Membership
    extra = 1
    fields = ["agency", "leads", "invite"]
    readonly_fields = ["invite"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "leads":
            kwargs["help_text"] = _("The people who answer for this agency. Hold Ctrl (⌘ on a "
                                    "Mac) to choose more than one, or invite someone new by "
                                    "email below once saved.")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @admin.display(description=_("invite"))
    def invite(self, obj):
        if obj is None or obj.pk is None:
            return _("Save first, then invite leads.")
        url = reverse("admin:assessments_invitation_add") + f"?membership={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, _("Invite a lead by email…"))


class DeleteDataForm(forms.Form):
    confirm_name = forms.CharField(
        label=_("Type the partnership's name to confirm"), max_length=200,
        help_text=_("This cannot be undone. Export its rounds first (manage.py export_round) "
                    "if they may be needed again."))


@admin.register(Partnership)
class PartnershipAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "created_at", "delete_data"]
    list_filter = ["kind"]
    search_fields = ["name"]
    inlines = [MembershipInline]

    def get_urls(self):
        return [path("<int:object_id>/delete-data/",
                     self.admin_site.admin_view(self.delete_data_view),
                     name="assessments_partnership_delete_data"), *super().get_urls()]

    @admin.display(description=_("delete data"))
    def delete_data(self, obj):
        return format_html('<a href="{}">{}</a>',
                           reverse("admin:assessments_partnership_delete_data", args=[obj.pk]),
                           _("Delete all its data…"))

    def delete_data_view(self, request, object_id: int):
        """Delete a partnership's data after its name is typed; recorded (deletion.py)."""
        from bluelight.roles import is_administrator

        from .deletion import DeletionRefused, partnership_delete, partnership_deletion_counts

        if not (is_administrator(request.user) and self.has_delete_permission(request)):
            raise PermissionDenied
        partnership = get_object_or_404(Partnership, pk=object_id)
        form = DeleteDataForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                record = partnership_delete(partnership=partnership, user=request.user,
                                            confirm_name=form.cleaned_data["confirm_name"])
            except DeletionRefused as exc:
                form.add_error("confirm_name", exc.message)
            else:
                self.message_user(request, _(
                    "Deleted the data of %(name)s: %(rounds)s rounds, %(submissions)s "
                    "submissions. The deletion is recorded.") % {
                    "name": record.partnership_name, "rounds": record.counts["rounds"],
                    "submissions": record.counts["submissions"]}, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:assessments_partnership_changelist"))
        context = {**self.admin_site.each_context(request),
                   "title": _("Delete the data of %(name)s") % {"name": partnership.name},
                   "opts": self.model._meta, "partnership": partnership, "form": form,
                   "counts": partnership_deletion_counts(partnership=partnership)}
        return render(request, "assessments/admin/delete_partnership.html", context)


@admin.register(DeletionRecord)
class DeletionRecordAdmin(admin.ModelAdmin):
    """Read-only: the record of deletions is kept as written."""

    list_display = ["partnership_name", "deleted_by_username", "deleted_at", "counts"]
    readonly_fields = ["partnership_name", "deleted_by", "deleted_by_username", "deleted_at",
                       "counts"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# ----------------------------------------------------------------------------- rounds


class RoundAdminForm(forms.ModelForm):
    """On add, the framework is one of the published versions, the current one by default."""

    class Meta:
        model = Round
        fields = ["partnership", "framework", "title", "opens_on", "closes_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "framework" in self.fields:
            self.fields["framework"].queryset = Framework.objects.published()
            current = Framework.objects.current()
            if current is not None and self.instance.pk is None:
                self.fields["framework"].initial = current.pk
            self.fields["framework"].help_text = _(
                "Rounds open on a published version; it cannot be changed once the round "
                "is open.")

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_on"), cleaned.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("The closing date cannot be before the opening "
                                          "date."))
        return cleaned


class SubmissionInline(admin.TabularInline):
    model = Submission
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["agency", "status", "answered", "submitted_at", "submitted_by"]
    readonly_fields = fields

    def get_queryset(self, request):
        return (super().get_queryset(request).select_related("agency", "submitted_by")
                .annotate(_answered=Count("answers")))

    @admin.display(description=_("answered"))
    def answered(self, obj):
        return obj._answered

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Round)
class RoundAdmin(SimpleHistoryAdmin):
    form = RoundAdminForm
    list_display = ["title", "partnership", "framework_version", "opens_on", "closes_on",
                    "status"]
    list_filter = ["status", ("framework", FrameworkVersionFilter)]
    list_select_related = ["partnership", "framework"]
    search_fields = ["title", "partnership__name"]
    actions = ["close_rounds", "open_rounds_again", "remind_outstanding"]
    inlines = [SubmissionInline]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["partnership", "framework", "title", "opens_on", "closes_on", "status",
                    "closed_at", "answer_files"]
        # Once open, the version is fixed: shown with its status and public page.
        return ["partnership", "framework_links", "title", "opens_on", "closes_on",
                "status", "closed_at", "answer_files"]

    def get_readonly_fields(self, request, obj=None):
        fields = ["status", "closed_at", "answer_files"]
        return ["framework_links", *fields] if obj is not None else fields

    def get_actions(self, request):
        # Deleting a round deletes its submissions and answers: not offered in bulk.
        # A round nobody has answered yet is deleted from its own page.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.submissions.exists():
            return False  # close it instead: its results depend on the submissions
        return super().has_delete_permission(request, obj)

    def get_queryset(self, request):
        open_rounds = (Round.objects.filter(framework=OuterRef("framework"),
                                            status=Round.Status.OPEN)
                       .order_by().values("framework").annotate(n=Count("id")).values("n")[:1])
        return super().get_queryset(request).annotate(_open_rounds=Subquery(open_rounds))

    @admin.display(description=_("framework version"), ordering="framework")
    def framework_version(self, obj):
        annotated = hasattr(obj, "_open_rounds")
        return framework_label(obj.framework,
                               open_rounds=(obj._open_rounds or 0) if annotated else None)

    @admin.display(description=_("framework version"))
    def framework_links(self, obj):
        framework = obj.framework
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:survey_framework_change", args=[framework.pk]),
            self.framework_version(obj),
            reverse("framework:version", args=[framework.code, framework.version]),
            _("its public page"))

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    @admin.display(description=_("answers"))
    def answer_files(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return format_html('<a href="{}">{}</a> · <a href="{}">{}</a> · <a href="{}">{}</a>',
                           reverse("progress:round", args=[obj.pk]),
                           _("Progress of each agency"),
                           reverse("rounds:answers_csv", args=[obj.pk]),
                           _("Download submitted answers (CSV)"),
                           reverse("rounds:import", args=[obj.pk]),
                           _("Import answers (CSV)…"))

    def save_model(self, request, obj, form, change):
        if change:
            obj._history_user = request.user
            super().save_model(request, obj, form, change)
            return
        try:
            opened = round_open(partnership=obj.partnership, framework=obj.framework,
                                title=obj.title, opens_on=obj.opens_on, closes_on=obj.closes_on,
                                user=request.user)
        except AssessmentError as exc:  # the form checks first; a race with a publish
            raise forms.ValidationError(exc.message) from exc
        obj.pk, obj.status, obj.closed_at = opened.pk, opened.status, opened.closed_at
        obj._state.adding = False

    @admin.action(description=_("Close selected rounds (no more answers)"),
                  permissions=["change"])
    def close_rounds(self, request, queryset):
        for round in queryset:
            round_close(round=round, user=request.user)
        self.message_user(request, ngettext(
            "Closed %(n)s round. Its leads can no longer change or submit answers.",
            "Closed %(n)s rounds. Their leads can no longer change or submit answers.",
            queryset.count()) % {"n": queryset.count()}, messages.SUCCESS)

    @admin.action(description=_("Open selected rounds again"), permissions=["change"])
    def open_rounds_again(self, request, queryset):
        for round in queryset:
            round_reopen(round=round, user=request.user)
        self.message_user(request, ngettext(
            "Opened %(n)s round again.", "Opened %(n)s rounds again.", queryset.count())
            % {"n": queryset.count()}, messages.SUCCESS)

    @admin.action(description=_("Send a reminder to agencies still to submit"),
                  permissions=["change"])
    def remind_outstanding(self, request, queryset):
        """Email the leads of each selected open round's agencies that have not submitted."""
        from assessments.notifications import notify_outstanding, outstanding_agencies

        for round in queryset.select_related("partnership", "framework"):
            agencies = outstanding_agencies(round=round)
            notification = notify_outstanding(round=round, user=request.user)
            if notification is None:
                reason = (_("it takes no answers now") if not round.is_open
                          else _("every agency has submitted") if not agencies
                          else _("its agencies still to submit have no lead with an email "
                                 "address"))
                self.message_user(request, _("No reminder sent for %(round)s: %(reason)s.")
                                  % {"round": round, "reason": reason}, messages.WARNING)
                continue
            self.message_user(request, ngettext(
                "Reminder for %(round)s sent to %(n)s lead of: %(agencies)s.",
                "Reminder for %(round)s sent to %(n)s leads of: %(agencies)s.",
                len(notification.recipients)) % {
                "round": round, "n": len(notification.recipients),
                "agencies": ", ".join(a.name for a in agencies)}, messages.SUCCESS)


# ----------------------------------------------------------------------------- submissions


class ReadOnlyAnswers(admin.TabularInline):
    extra = 0
    can_delete = False
    classes = ["collapse"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("item").order_by("item__order")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SubmittedAnswerInline(ReadOnlyAnswers):
    model = SubmittedAnswer
    fields = readonly_fields = ["item", "value", "comment"]
    verbose_name = _("submitted answer (counts in the results)")
    verbose_name_plural = _("submitted answers (count in the results)")


class AnswerInline(ReadOnlyAnswers):
    model = Answer
    fields = readonly_fields = ["item", "value", "comment", "updated_by", "updated_at"]
    verbose_name = _("working answer")
    verbose_name_plural = _("working answers (the agency's draft)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("updated_by")


@admin.register(Submission)
class SubmissionAdmin(SimpleHistoryAdmin):
    list_display = ["agency", "round", "status", "submitted_at", "submitted_by"]
    list_filter = ["status", "round__status"]
    list_select_related = ["agency", "round__partnership", "submitted_by"]
    readonly_fields = ["round", "agency", "status", "revision", "submitted_at", "submitted_by",
                       "reopen"]
    search_fields = ["agency__name", "round__title", "round__partnership__name"]
    actions = ["reopen_submissions"]
    inlines = [SubmittedAnswerInline, AnswerInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # answers are never deleted; reopen instead

    def get_urls(self):
        return [path("<int:object_id>/reopen/", self.admin_site.admin_view(self.reopen_view),
                     name="assessments_submission_reopen"), *super().get_urls()]

    @admin.display(description=_("reopen"))
    def reopen(self, obj):
        if obj is None or obj.status != Submission.Status.SUBMITTED:
            return "—"
        return format_html('<a href="{}">{}</a>',
                           reverse("admin:assessments_submission_reopen", args=[obj.pk]),
                           _("Reopen this submission…"))

    def _reopen(self, request, submissions, form):
        done = []
        for submission in submissions:
            try:
                submission_reopen(submission=submission, user=request.user,
                                  reason=form.cleaned_data["reason"])
            except AssessmentError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                done.append(str(submission))
        if done:
            self.message_user(request, _("Reopened: %(list)s. Its leads can change the answers "
                                         "and submit again; the reason is recorded.")
                              % {"list": "; ".join(done)}, messages.SUCCESS)

    def _reopen_page(self, request, submissions, form, *, action: bool):
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reopen submissions"), "opts": self.model._meta,
            "submissions": submissions, "form": form, "action": action,
        }
        return render(request, "assessments/admin/reopen.html", context)

    @admin.action(description=_("Reopen selected submissions…"), permissions=["change"])
    def reopen_submissions(self, request, queryset):
        submissions = list(queryset.select_related("agency", "round", "submitted_by"))
        form = ReopenForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            self._reopen(request, submissions, form)
            return None
        return self._reopen_page(request, submissions, form, action=True)

    def reopen_view(self, request, object_id: int):
        if not self.has_change_permission(request):
            return HttpResponseRedirect(reverse("admin:index"))
        submission = get_object_or_404(
            Submission.objects.select_related("agency", "round", "submitted_by"), pk=object_id)
        form = ReopenForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            self._reopen(request, [submission], form)
            return HttpResponseRedirect(
                reverse("admin:assessments_submission_change", args=[submission.pk]))
        return self._reopen_page(request, [submission], form, action=False)


# ----------------------------------------------------------------------------- invitations


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "membership", "invited_by", "sent_at", "state"]
    list_select_related = ["membership__agency", "membership__partnership", "invited_by",
                           "user"]
    search_fields = ["email", "membership__agency__name", "membership__partnership__name"]
    list_filter = ["accepted_at"]
    readonly_fields = ["membership", "user", "email", "invited_by", "sent_at", "accepted_at"]
    actions = ["send_again"]

    @admin.display(description=_("state"))
    def state(self, obj):
        if obj.accepted_at:
            return _("Accepted")
        if obj.sent_at + invitation_token_generator.valid_for < timezone.now():
            return _("Expired: send it again")
        return _("Waiting")

    def has_change_permission(self, request, obj=None):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            return HttpResponseRedirect(reverse("admin:index"))
        memberships = (Membership.objects.select_related("agency", "partnership")
                       .order_by("partnership__name", "agency__name"))
        initial = {}
        if request.GET.get("membership", "").isdigit():
            initial["membership"] = int(request.GET["membership"])
        form = InviteForm(request.POST or None, initial=initial, memberships=memberships)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                invitation = invitation_send(
                    membership=data["membership"], email=data["email"],
                    invited_by=request.user, request=request, first_name=data["first_name"],
                    last_name=data["last_name"])
            except AssessmentError as exc:
                form.add_error("email", exc.message)
            else:
                self.message_user(request, self._sent_message(invitation), messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:assessments_invitation_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Invite a lead"), "opts": self.model._meta, "form": form,
            "days": invitation_token_generator.valid_for.days,
        }
        return render(request, "assessments/admin/invite.html", context)

    def _sent_message(self, invitation):
        if invitation.accepted_at:
            return _("%(email)s already had an account: they are now a lead for "
                     "%(membership)s and have been told by email.") % {
                "email": invitation.email, "membership": invitation.membership}
        return _("Invitation sent to %(email)s to lead for %(membership)s. The link works once, "
                 "for %(days)s days.") % {"email": invitation.email,
                                          "membership": invitation.membership,
                                          "days": invitation_token_generator.valid_for.days}

    @admin.action(description=_("Send the invitation again (a new link)"), permissions=["add"])
    def send_again(self, request, queryset):
        for old in queryset.select_related("membership"):
            if old.accepted_at:
                self.message_user(request, _("%(email)s has already accepted.") % {
                    "email": old.email}, messages.WARNING)
                continue
            invitation = invitation_send(membership=old.membership, email=old.email,
                                         invited_by=request.user, request=request)
            self.message_user(request, self._sent_message(invitation), messages.SUCCESS)


# Admin pages of the packages by concern.
from assessments.actions import admin as actions_admin  # noqa: E402, F401
from assessments.boardpaper import admin as boardpaper_admin  # noqa: E402, F401
from assessments.kpis import admin as kpis_admin  # noqa: E402, F401
from assessments.lessons import admin as lessons_admin  # noqa: E402, F401
