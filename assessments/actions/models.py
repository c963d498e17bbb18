"""Actions a partnership adopts, and their dated progress notes.

Their migration is ``assessments/migrations/0008_actions.py``. An action names the
enabler or barrier it addresses and the options it should unlock by their codes
(``E3``, ``B2``, ``O7``): codes are stable across framework versions, rows of
``survey.Item`` are not.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

__all__ = ["Action", "ActionNote"]

TEXT_MAX = 2000


class Action(models.Model):
    """Something the partnership will do about one factor. Any lead of the partnership
    may change it; every change is a history record (who, when, what)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    partnership = models.ForeignKey("assessments.Partnership", on_delete=models.CASCADE,
                                    related_name="actions", verbose_name=_("partnership"))
    title = models.CharField(_("what will be done"), max_length=300)
    details = models.TextField(_("details"), blank=True, max_length=TEXT_MAX)
    # the enabler or barrier it addresses (an item code); blank for an action on options only
    factor_code = models.CharField(_("enabler or barrier"), max_length=20, blank=True)
    option_codes = models.JSONField(_("options it should unlock"), default=list, blank=True)
    owner = models.ForeignKey("assessments.Agency", on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+", verbose_name=_("owner agency"))
    due_on = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.PLANNED)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    # the round whose action plan it was adopted from (None: written from scratch)
    from_round = models.ForeignKey("assessments.Round", on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="+",
                                   verbose_name=_("adopted from the results of"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # bumped on every save: an edit made from an older revision is refused as a conflict
    revision = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["partnership", "status"], name="action_partnership")]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.PLANNED, self.Status.IN_PROGRESS)

    def is_overdue(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.is_open and self.due_on is not None and self.due_on < today


class ActionNote(models.Model):
    """A dated progress note on an action (kept; never edited in place)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="notes")
    on_day = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("progress"), max_length=TEXT_MAX)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                               null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        ordering = ["-on_day", "-id"]
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")

    def __str__(self):
        return f"{self.on_day}: {self.text[:60]}"
