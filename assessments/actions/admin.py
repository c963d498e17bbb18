"""Admin pages of assessments.actions (imported by assessments.admin): the actions with
their history (who changed what, when) and their progress notes."""

from django.contrib import admin
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from assessments.actions.models import Action, ActionNote


class ActionNoteInline(admin.StackedInline):
    """Progress notes are kept as written (the leads add them on the action's page)."""

    model = ActionNote
    extra = 0
    can_delete = False
    fields = ["on_day", "text", "author", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "partnership", "factor_code", "owner", "due_on", "status",
                    "done_on"]
    list_filter = ["status", "partnership"]
    search_fields = ["title", "details", "partnership__name", "factor_code"]
    list_select_related = ["partnership", "owner"]
    readonly_fields = ["created_by", "created_at", "updated_at", "revision", "from_round"]
    inlines = [ActionNoteInline]

    def save_model(self, request, obj, form, change):
        if "status" in form.changed_data:  # as on the action's page: done on the day it is done
            obj.done_on = (obj.done_on or timezone.localdate()
                           if obj.status == Action.Status.DONE else None)
        if change:
            obj.revision += 1  # an edit in a lead's open page is then refused, not lost
        elif obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
