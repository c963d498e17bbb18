"""Shared key performance indicators of a partnership and their values per period.

Their migration is ``assessments/migrations/0009_kpis.py``. A KPI names the options it
evidences by their codes (stable across framework versions). A value is one per KPI and
period; correcting it keeps the earlier value in its history (who, when, what).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

__all__ = ["Kpi", "KpiValue", "SuggestedKpi", "Direction", "ReportingPeriod"]


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class ReportingPeriod(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")


class Kpi(models.Model):
    """An indicator the partnership tracks, with its baseline and target."""

    partnership = models.ForeignKey("assessments.Partnership", on_delete=models.CASCADE,
                                    related_name="kpis", verbose_name=_("partnership"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("what it measures"), blank=True, max_length=2000)
    unit = models.CharField(_("unit"), max_length=50)
    direction = models.CharField(_("which way is better"), max_length=10,
                                 choices=Direction.choices, default=Direction.HIGHER)
    baseline = models.DecimalField(_("baseline"), max_digits=16, decimal_places=4)
    baseline_on = models.DateField(_("baseline date"))
    target = models.DecimalField(_("target"), max_digits=16, decimal_places=4)
    target_on = models.DateField(_("target date"))
    period = models.CharField(_("reporting period"), max_length=10,
                              choices=ReportingPeriod.choices,
                              default=ReportingPeriod.QUARTERLY)
    option_codes = models.JSONField(_("options it evidences"), default=list, blank=True)
    reporter = models.ForeignKey("assessments.Agency", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="+",
                                 verbose_name=_("agency that reports it"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    revision = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["partnership", "name"],
                                               name="kpi_unique_name")]
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")

    def __str__(self):
        return self.name


class KpiValue(models.Model):
    """The value of a KPI for one period (``period_start``: the first day of the month,
    quarter or year)."""

    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="values")
    period_start = models.DateField(_("period"))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=4)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    source = models.CharField(_("source"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)
    revision = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kpi", "period_start"]
        constraints = [models.UniqueConstraint(fields=["kpi", "period_start"],
                                               name="kpi_value_one_per_period")]
        verbose_name = _("KPI value")
        verbose_name_plural = _("KPI values")

    def __str__(self):
        return f"{self.kpi}: {self.period_start} = {self.value}"


class SuggestedKpi(models.Model):
    """A KPI an administrator suggests for an option, which a partnership can start from.

    ``shipped``: one of the starting suggestions that come with bluelight
    (``fixtures/kpi_suggestions.json``, loaded by ``manage.py load_kpi_suggestions``):
    ours, not from the 2015 research. ``key`` names a suggestion for that loader.
    """

    key = models.SlugField(_("key"), max_length=40, unique=True,
                           help_text=_("A short unique name, e.g. O1-cost."))
    option_code = models.CharField(_("option"), max_length=10, db_index=True,
                                   help_text=_("The code of the option it evidences, e.g. O1."))
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=50)
    description = models.TextField(_("what it measures"), blank=True, max_length=2000)
    direction = models.CharField(_("which way is better"), max_length=10,
                                 choices=Direction.choices, default=Direction.HIGHER)
    period = models.CharField(_("reporting period"), max_length=10,
                              choices=ReportingPeriod.choices,
                              default=ReportingPeriod.QUARTERLY)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    shipped = models.BooleanField(
        _("shipped suggestion"), default=False,
        help_text=_("One of the starting suggestions that come with bluelight: ours, not "
                    "from the 2015 research."))

    class Meta:
        ordering = ["option_code", "order", "id"]
        verbose_name = _("suggested KPI")
        verbose_name_plural = _("suggested KPIs")

    def __str__(self):
        return f"{self.option_code}: {self.name}"
