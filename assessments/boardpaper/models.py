"""Decisions a partnership records on options, and the record of each board paper.

Their migration is ``assessments/migrations/0011_board_paper.py``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

__all__ = ["Decision", "BoardPaper"]


class Decision(models.Model):
    """What the partnership decided about one option, when and why. A partnership's
    decisions are a dated record: a new decision on the same option is a new row (the
    latest is in force), so "why we did or did not pursue it" stays readable."""

    class Choice(models.TextChoices):
        NOW = "now", _("Pursue now")
        LATER = "later", _("Pursue later")
        NOT = "not", _("Not pursuing")

    partnership = models.ForeignKey("assessments.Partnership", on_delete=models.CASCADE,
                                    related_name="decisions", verbose_name=_("partnership"))
    option_code = models.CharField(_("option"), max_length=20)
    choice = models.CharField(_("decision"), max_length=10, choices=Choice.choices)
    reason = models.TextField(_("reason"), max_length=2000)
    decided_on = models.DateField(_("decided on"), default=timezone.localdate)
    # the round whose results it was made on (None: recorded outside a round)
    round = models.ForeignKey("assessments.Round", on_delete=models.SET_NULL, null=True,
                              blank=True, related_name="decisions",
                              verbose_name=_("on the results of"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["option_code", "-decided_on", "-id"]
        indexes = [models.Index(fields=["partnership", "option_code"],
                                name="decision_partnership_option")]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return f"{self.option_code}: {self.get_choice_display()} ({self.decided_on})"


class BoardPaper(models.Model):
    """One board paper produced: who, when, which round, in which language, and hashes
    that trace it to the answers it was made from (the results snapshot's answers hash)
    and to its own bytes."""

    round = models.ForeignKey("assessments.Round", on_delete=models.CASCADE,
                              related_name="board_papers", verbose_name=_("round"))
    produced_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("produced by"))
    produced_by_username = models.CharField(_("produced by (username)"), max_length=150)
    produced_at = models.DateTimeField(_("produced"), default=timezone.now)
    language = models.CharField(_("language"), max_length=10)
    provisional = models.BooleanField(_("provisional"), default=False)
    with_comments = models.BooleanField(_("with the agencies' comments"), default=False)
    answers_hash = models.CharField(_("answers hash"), max_length=64)
    content_hash = models.CharField(_("content hash (SHA-256 of the PDF)"), max_length=64)
    pages = models.PositiveIntegerField(_("pages"), default=0)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)

    class Meta:
        ordering = ["-produced_at", "-id"]
        verbose_name = _("board paper")
        verbose_name_plural = _("board papers")

    def __str__(self):
        return f"{self.round}: {self.produced_at:%Y-%m-%d %H:%M} ({self.produced_by_username})"
