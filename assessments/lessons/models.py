"""Models of assessments.lessons (imported by assessments.models so Django finds them).

Their migration is assessments/migrations/0010_lessons.py (written by hand from
`makemigrations --dry-run -v 3`, this package's operations only).

A ``Lesson`` is either a partnership's own (``partnership`` set) or one of the examples
the 2015 research names (``source`` research, no partnership; loaded from
``fixtures/lessons_research.json``). A partnership's lesson moves through
private → awaiting review → published (or returned, with the reviewer's note), and back
to private when its leads withdraw it. Every change is kept in its history (who, when,
what). The options and factors a lesson concerns are ``LessonCode`` rows (one per code),
so the library filters and the dashboard counts them in the database.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

__all__ = ["Lesson", "LessonCode", "LessonSource", "LessonStatus"]

TEXT_MAX = 4000


class LessonSource(models.TextChoices):
    PARTNERSHIP = "partnership", _("A partnership's lesson")
    RESEARCH = "research", _("Example from the research")


class LessonStatus(models.TextChoices):
    PRIVATE = "private", _("Private")
    AWAITING_REVIEW = "awaiting_review", _("Awaiting review")
    RETURNED = "returned", _("Returned")
    PUBLISHED = "published", _("Published")


class Lesson(models.Model):
    """What a partnership tried, what happened and what it would do differently."""

    source = models.CharField(_("source"), max_length=20, choices=LessonSource.choices,
                              default=LessonSource.PARTNERSHIP)
    partnership = models.ForeignKey("assessments.Partnership", on_delete=models.CASCADE,
                                    null=True, blank=True, related_name="lessons",
                                    verbose_name=_("partnership"))
    title = models.CharField(_("title"), max_length=200)
    tried = models.TextField(_("what we tried"), max_length=TEXT_MAX)
    happened = models.TextField(_("what happened"), blank=True, max_length=TEXT_MAX)
    differently = models.TextField(_("what we would do differently"), blank=True,
                                   max_length=TEXT_MAX)
    tried_from = models.DateField(_("tried from"), null=True, blank=True)
    tried_to = models.DateField(_("tried until"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES,
                                default=settings.LANGUAGE_CODE)
    # Research examples only: the kind of collaboration, the area of research and the
    # citation, as the research gives them (a partnership's lesson takes its kind from
    # the partnership).
    kind = models.CharField(_("kind of collaboration"), max_length=40, blank=True)
    research_area = models.CharField(_("area of research"), max_length=200, blank=True)
    citation = models.TextField(_("citation"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=LessonStatus.choices,
                              default=LessonStatus.PRIVATE)
    show_name = models.BooleanField(_("appears under the partnership's name"), default=False)
    review_note = models.TextField(_("note from the reviewer"), blank=True,
                                   max_length=TEXT_MAX)
    shared_at = models.DateTimeField(_("shared"), null=True, blank=True)
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                  null=True, blank=True, related_name="+",
                                  verbose_name=_("shared by"))
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("reviewed by"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("written by"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    # Raised on every saved change; a save made from an older page is refused.
    revision = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        indexes = [models.Index(fields=["status", "source"], name="lesson_status_source")]
        constraints = [
            models.CheckConstraint(
                condition=Q(tried_to__isnull=True) | Q(tried_from__isnull=True)
                | Q(tried_to__gte=models.F("tried_from")),
                name="lesson_tried_to_after_from"),
            models.CheckConstraint(
                condition=Q(source="research", partnership__isnull=True)
                | Q(source="partnership", partnership__isnull=False),
                name="lesson_source_matches_partnership"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_research(self) -> bool:
        return self.source == LessonSource.RESEARCH

    @property
    def in_library(self) -> bool:
        return self.is_research or self.status == LessonStatus.PUBLISHED


class LessonCode(models.Model):
    """One option (O…) or factor (E…, B…) a lesson concerns, by its framework code."""

    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(_("code"), max_length=10)

    class Meta:
        ordering = ["lesson", "id"]
        constraints = [models.UniqueConstraint(fields=["lesson", "code"],
                                               name="lesson_code_once")]
        indexes = [models.Index(fields=["code"], name="lesson_code_code")]
        verbose_name = _("option or factor of a lesson")
        verbose_name_plural = _("options and factors of lessons")

    def __str__(self):
        return self.code
