"""Admin pages of assessments.lessons (imported by assessments.admin): lessons with their
history (sharing, review and every edit). The review itself is done on the review
page (``lessons:review``), which keeps the rules."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Lesson, LessonCode


class LessonCodeInline(admin.TabularInline):
    model = LessonCode
    extra = 0


@admin.register(Lesson)
class LessonAdmin(SimpleHistoryAdmin):
    list_display = ("title", "partnership", "source", "status", "show_name", "updated_at")
    list_filter = ("source", "status", "language")
    search_fields = ("title", "tried", "partnership__name")
    list_select_related = ("partnership",)
    readonly_fields = ("shared_at", "shared_by", "reviewed_at", "reviewed_by", "published_at",
                       "created_by", "created_at", "updated_at", "revision")
    inlines = [LessonCodeInline]
