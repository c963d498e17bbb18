from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Agency, Membership, Partnership, Round, Submission


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "service", "nation", "area"]
    list_filter = ["service", "nation"]
    search_fields = ["name", "area"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["agency"]
    filter_horizontal = ["leads"]


@admin.register(Partnership)
class PartnershipAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(Round)
class RoundAdmin(SimpleHistoryAdmin):
    list_display = ["title", "partnership", "framework", "opens_on", "closes_on", "status"]
    list_filter = ["status", "framework"]
    list_select_related = ["partnership", "framework"]
    search_fields = ["title", "partnership__name"]


@admin.register(Submission)
class SubmissionAdmin(SimpleHistoryAdmin):
    list_display = ["agency", "round", "status", "submitted_at", "submitted_by"]
    list_filter = ["status"]
    list_select_related = ["agency", "round__partnership", "submitted_by"]
    readonly_fields = ["round", "agency", "status", "revision", "submitted_at", "submitted_by"]
    search_fields = ["agency__name", "round__title", "round__partnership__name"]

    def has_add_permission(self, request):
        return False
