"""Admin pages of assessments.kpis (imported by assessments.admin).

Administrators keep the library of suggested KPIs (in English and Welsh); a
partnership's KPIs and values are its leads' to write, so here they are read, with
their history (every change: who, when, what it was).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from assessments.kpis.models import Kpi, KpiValue, SuggestedKpi


@admin.register(SuggestedKpi)
class SuggestedKpiAdmin(admin.ModelAdmin):
    list_display = ["option_code", "name", "unit", "period", "direction", "shipped", "order"]
    list_filter = ["option_code", "shipped", "period"]
    search_fields = ["name", "name_cy", "description", "key", "option_code"]
    fieldsets = [
        (None, {"fields": ["key", "option_code", "name", "unit", "description", "direction",
                           "period", "order", "shipped"]}),
        (_("Welsh"), {"fields": ["name_cy", "unit_cy", "description_cy"],
                      "description": _("Left empty, the English text is shown.")}),
    ]


class KpiValueInline(admin.TabularInline):
    model = KpiValue
    extra = 0
    fields = ["period_start", "value", "note", "source", "recorded_by", "recorded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Kpi)
class KpiAdmin(SimpleHistoryAdmin):
    list_display = ["name", "partnership", "unit", "period", "direction", "target", "target_on"]
    list_filter = ["period", "direction", "partnership"]
    search_fields = ["name", "partnership__name"]
    list_select_related = ["partnership"]
    readonly_fields = ["created_by", "created_at", "revision"]
    inlines = [KpiValueInline]


@admin.register(KpiValue)
class KpiValueAdmin(SimpleHistoryAdmin):
    list_display = ["kpi", "period_start", "value", "recorded_by", "recorded_at"]
    list_filter = ["kpi__partnership"]
    search_fields = ["kpi__name", "note", "source"]
    list_select_related = ["kpi", "recorded_by"]
    readonly_fields = ["recorded_by", "recorded_at", "revision"]
