"""Admin pages of assessments.boardpaper (imported by assessments.admin).

Both are records, read-only here: a board paper's record is written when the paper
is produced (:mod:`assessments.boardpaper.services`), a decision by the partnership on
its dashboard (a new decision is a new row; their history is kept).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from assessments.boardpaper.models import BoardPaper, Decision


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BoardPaper)
class BoardPaperAdmin(ReadOnlyAdmin):
    """Every board paper produced: who, when, which round, and the hashes that trace it
    to the answers it was made from and to its bytes."""

    list_display = ["pk", "round", "produced_at", "produced_by_username", "language",
                    "provisional", "with_comments", "pages", "short_content_hash"]
    list_filter = ["provisional", "with_comments", "language"]
    search_fields = ["round__title", "round__partnership__name", "produced_by_username",
                     "content_hash", "answers_hash"]
    list_select_related = ["round", "round__partnership"]
    date_hierarchy = "produced_at"
    fields = readonly_fields = ["round", "produced_by", "produced_by_username", "produced_at",
                                "language", "provisional", "with_comments", "answers_hash",
                                "content_hash", "pages", "size"]

    @admin.display(description=_("content hash (SHA-256 of the PDF)"))
    def short_content_hash(self, obj):
        return obj.content_hash[:16]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin, SimpleHistoryAdmin):
    list_display = ["partnership", "option_code", "choice", "decided_on", "round",
                    "recorded_at"]
    list_filter = ["choice"]
    search_fields = ["partnership__name", "option_code", "reason"]
    list_select_related = ["partnership", "round"]
    fields = readonly_fields = ["partnership", "option_code", "choice", "reason", "decided_on",
                                "round", "recorded_by", "recorded_at"]
