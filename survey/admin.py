from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import Count, ProtectedError, Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from survey.framework.selectors import (
    framework_changes,
    framework_label,
    framework_status_label,
    frameworks_with_use,
)
from survey.framework.services import framework_new_draft, framework_problems, framework_publish
from survey.models import (
    Framework,
    FrameworkLocked,
    ImportBatch,
    Item,
    NationalSurvey,
    Respondent,
    Scale,
    SurveyQuestion,
)


class FrozenWhenPublished:
    """Show definitions of a published or retired framework read-only."""

    def _framework_of(self, obj):
        return obj if isinstance(obj, Framework) else getattr(obj, "framework", None)

    def is_frozen(self, obj) -> bool:
        framework = self._framework_of(obj) if obj is not None else None
        return framework is not None and not framework.is_draft

    def has_change_permission(self, request, obj=None):
        if self.is_frozen(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self.is_frozen(obj):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        try:
            super().save_model(request, obj, form, change)
        except FrameworkLocked as exc:  # a race with a publish: say so, keep nothing
            raise ValidationError(exc.messages) from exc

    def delete_queryset(self, request, queryset):
        # Bulk delete bypasses Model.delete(); check each object so nothing frozen
        # or answered goes.
        for obj in queryset:
            self.delete_model(request, obj)

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except (ProtectedError, FrameworkLocked) as exc:
            self.message_user(request, self.refusal_message(exc), level=messages.ERROR)
            return HttpResponseRedirect(request.path.rsplit("/delete/", 1)[0] + "/change/")

    def refusal_message(self, exc):
        if isinstance(exc, ProtectedError):
            return _("This cannot be deleted: it has answers in assessment rounds. Past "
                     "results depend on it. Create a new draft version without it instead.")
        return " ".join(exc.messages)

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except (ProtectedError, FrameworkLocked) as exc:
            self.message_user(request, self.refusal_message(exc), level=messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class FrameworkVersionFilter(admin.RelatedFieldListFilter):
    """Filter by framework version, each named with its status in use ("Superseded,
    still used by 2 open rounds", not "Retired")."""

    def field_choices(self, field, request, model_admin):
        return [(f.pk, framework_label(f)) for f in frameworks_with_use().order_by(
            "code", "-version")]


class ScaleInline(admin.StackedInline):
    model = Scale
    extra = 0
    fields = ["kind", "question", ("label_1", "label_2", "label_3", "label_4", "label_5"),
              # Welsh (survey/translation.py); empty falls back to English.
              "question_cy", ("label_1_cy", "label_2_cy", "label_3_cy", "label_4_cy",
                              "label_5_cy")]

    def has_change_permission(self, request, obj=None):
        return obj is None or obj.is_draft

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


@admin.register(Framework)
class FrameworkAdmin(FrozenWhenPublished, SimpleHistoryAdmin):
    list_display = ["title", "code", "version", "status_label", "published_at", "item_count"]
    list_filter = ["status", "code"]
    actions = ["create_new_draft", "publish"]
    inlines = [ScaleInline]
    readonly_fields = ["status_label", "items_link", "published_at", "created_from",
                       "created_at"]
    fieldsets = [
        (None, {"fields": ["code", "version", "title", "source", "status_label", "items_link",
                           "published_at", "created_from", "created_at"]}),
        (_("Enablers"), {"fields": ["enabler_weak_mean", "enabler_weak_min",
                                    "enabler_strong_mean", "enabler_strong_min",
                                    "enabler_absent_mean"]}),
        (_("Barriers"), {"fields": ["barrier_key_max", "barrier_significant_max",
                                    "barrier_significant_mean"]}),
        (_("Options and divergence"), {"fields": ["min_agencies", "support_value",
                                                  "oppose_value", "support_share_min",
                                                  "divergence_spread"]}),
    ]

    def get_queryset(self, request):
        return frameworks_with_use(super().get_queryset(request)).annotate(
            _items=Count("items", distinct=True))

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:  # a version's code and number never change once made
            fields = ["code", "version", *fields]
        return fields

    def get_actions(self, request):
        # Published and retired versions cannot be deleted (rounds score with them);
        # a draft is deleted from its own page, after Django lists what goes with it.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.rounds.exists():
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("items"), ordering="_items")
    def item_count(self, obj):
        return obj._items

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, obj):
        if obj is None or obj.pk is None:
            return Framework.Status.DRAFT.label
        return framework_status_label(obj)

    @admin.display(description=_("items"))
    def items_link(self, obj):
        if obj is None or obj.pk is None:
            return _("Save first, then add its items.")
        count = getattr(obj, "_items", None)
        count = obj.items.count() if count is None else count
        url = reverse("admin:survey_item_changelist") + f"?framework__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url,
                           _("Items of this version (%(n)d)") % {"n": count})

    @admin.action(description=_("Create new draft version"), permissions=["add"])
    def create_new_draft(self, request, queryset):
        for framework in queryset:
            draft = framework_new_draft(framework=framework)
            self.message_user(
                request,
                _("Created %(draft)s from version %(version)s. Edit it, then publish it.")
                % {"draft": draft, "version": framework.version}, messages.SUCCESS)

    @admin.action(description=_("Publish (becomes current for new rounds)"),
                  permissions=["add"])
    def publish(self, request, queryset):
        """Show what publishing changes against the published version; publish on "yes"."""
        frameworks = list(queryset.order_by("code", "version"))
        if request.POST.get("confirm") != "yes":
            return self._publish_confirmation(request, frameworks)
        done = 0
        for framework in frameworks:
            try:
                framework_publish(framework=framework)
                done += 1
            except ValidationError as exc:
                self.message_user(
                    request, _("%(fw)s was not published: %(why)s")
                    % {"fw": framework, "why": " ".join(exc.messages)}, messages.ERROR)
        if done:
            self.message_user(request, ngettext(
                "Published %(n)d framework. Rounds already opened keep their version.",
                "Published %(n)d frameworks. Rounds already opened keep their version.",
                done) % {"n": done}, messages.SUCCESS)
        return None

    def _publish_confirmation(self, request, frameworks):
        drafts = [f for f in frameworks if f.is_draft]
        codes = [d.code for d in drafts]
        publishable = []
        for draft in drafts:
            problems = framework_problems(framework=draft)
            if codes.count(draft.code) > 1:
                problems.append(_("Choose one draft of %(code)s at a time.")
                                % {"code": draft.code})
            publishable.append({"draft": draft, "problems": problems,
                                "changes": framework_changes(draft=draft)})
        context = {
            **self.admin_site.each_context(request),
            "title": _("Publish framework versions?"),
            "opts": self.model._meta,
            "drafts": publishable,
            "ready": bool(publishable) and not any(p["problems"] for p in publishable),
            "not_drafts": [f for f in frameworks if not f.is_draft],
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/survey/framework/publish_confirmation.html",
                                context)


class ItemForm(forms.ModelForm):
    class Meta:
        model = Item
        fields = ["framework", "kind", "code", "title", "description", "help_text", "order",
                  "theme", "weight", "published_level", "enablers", "barriers",
                  "title_cy", "description_cy", "help_text_cy"]
        # Seven enablers and six barriers: checkboxes beat a dual list box, and are
        # accessible without script.
        widgets = {"enablers": forms.CheckboxSelectMultiple,
                   "barriers": forms.CheckboxSelectMultiple}
        labels = {"title_cy": _("Welsh title"), "description_cy": _("Welsh description"),
                  "help_text_cy": _("Welsh help for respondents")}

    def clean(self):
        data = super().clean()
        framework = data.get("framework")
        for name in ("enablers", "barriers"):
            linked = data.get(name) or []
            if framework and any(item.framework_id != framework.pk for item in linked):
                self.add_error(name, _("Choose only items of the same framework version."))
            if linked and data.get("kind") != Item.Kind.OPTION:
                self.add_error(name, _("Only collaboration options link to enablers and "
                                       "barriers."))
        return data


@admin.register(Item)
class ItemAdmin(FrozenWhenPublished, SimpleHistoryAdmin):
    form = ItemForm
    list_display = ["code", "title", "kind", "theme", "published_level", "framework_version"]
    list_filter = [("framework", FrameworkVersionFilter), "kind", "theme", "published_level"]
    search_fields = ["code", "title", "help_text"]
    list_select_related = ["framework"]
    fieldsets = [
        (None, {"fields": ["framework", "kind", "code", "title", "description", "help_text",
                           "order"]}),
        (_("Enablers and barriers"), {"fields": ["theme", "weight"]}),
        (_("Collaboration options"), {"fields": ["published_level", "enablers", "barriers"]}),
        (_("Welsh"), {"fields": ["title_cy", "description_cy", "help_text_cy"],
                      "description": _("Left empty, the English text is shown.")}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(
            _open_rounds=Count("framework__rounds", filter=Q(framework__rounds__status="open"),
                               distinct=True))

    @admin.display(description=_("framework version"), ordering="framework")
    def framework_version(self, obj):
        return framework_label(obj.framework, open_rounds=getattr(obj, "_open_rounds", None))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "framework":
            kwargs["queryset"] = Framework.objects.filter(status=Framework.Status.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in ("enablers", "barriers"):
            kind = Item.Kind.ENABLER if db_field.name == "enablers" else Item.Kind.BARRIER
            kwargs["queryset"] = Item.objects.filter(
                kind=kind, framework__status=Framework.Status.DRAFT).select_related("framework")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


# --------------------------------------------------------------------------- national surveys
# Surveys and their questions are data an administrator edits here. Once a survey
# has respondents, a question's code, sample and answer type are fixed (the stored
# answers are keyed and checked by them); its wording, the answers that count and
# the published figure stay editable. Every change is recorded (History).


def _has_respondents(survey) -> bool:
    return survey is not None and survey.pk is not None and survey.respondents.exists()


class SurveyQuestionInline(admin.TabularInline):
    model = SurveyQuestion
    extra = 0
    fields = ["order", "code", "sample", "text", "answer_type", "positive_answers",
              "published_figure", "published_base_note"]
    show_change_link = True

    def get_readonly_fields(self, request, obj=None):
        if _has_respondents(obj):  # edit them one by one (code etc. fixed)
            return self.fields
        return []

    def has_add_permission(self, request, obj=None):
        return not _has_respondents(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _has_respondents(obj) and super().has_delete_permission(request, obj)


@admin.register(NationalSurvey)
class NationalSurveyAdmin(SimpleHistoryAdmin):
    list_display = ["title", "code", "year", "question_count", "respondent_count"]
    search_fields = ["title", "code"]
    inlines = [SurveyQuestionInline]

    def get_queryset(self, request):
        from django.db.models import Count, OuterRef, Subquery

        respondents = (Respondent.objects.filter(survey=OuterRef("pk")).order_by()
                       .values("survey").annotate(n=Count("id")).values("n")[:1])
        return super().get_queryset(request).annotate(
            _questions=Count("questions", distinct=True), _respondents=Subquery(respondents))

    @admin.display(description=_("questions"), ordering="_questions")
    def question_count(self, obj):
        return obj._questions

    @admin.display(description=_("respondents"), ordering="_respondents")
    def respondent_count(self, obj):
        return obj._respondents or 0


@admin.register(SurveyQuestion)
class SurveyQuestionAdmin(SimpleHistoryAdmin):
    list_display = ["code", "text", "survey", "sample", "answer_type", "positive_answers",
                    "published_figure"]
    list_filter = ["survey", "sample", "answer_type"]
    list_select_related = ["survey"]
    search_fields = ["code", "text"]
    fields = ["survey", "order", "code", "sample", "text", "answer_type", "positive_answers",
              "published_figure", "published_base_note"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and _has_respondents(obj.survey):
            return ["survey", "code", "sample", "answer_type"]
        return []


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    """Imports are a record: read-only. Deleting one removes the respondents it last
    added or changed (to undo a wrong file)."""

    list_display = ["file_name", "survey", "imported_at", "imported_by", "rows", "added",
                    "updated"]
    list_filter = ["survey"]
    list_select_related = ["survey", "imported_by"]
    readonly_fields = ["survey", "file_name", "sha256", "rows", "added", "updated",
                       "imported_by", "imported_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
