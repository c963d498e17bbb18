"""Writes on a partnership's KPIs: define and edit a KPI, record and correct its values.

A value is never silently overwritten: recording a value for a period that already has
one is refused (:class:`PeriodTaken`); changing it is a correction
(:func:`value_correct`), which checks the revision the person saw and keeps the earlier
value in the history (who, when, what it was, why). Edits of a KPI check its revision
too (:class:`StaleRevision`: nothing is written).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from assessments.kpis import periods
from assessments.kpis.models import Kpi, KpiValue, SuggestedKpi
from assessments.kpis.selectors import show
from bluelight.formatting import format_date

KPI_FIELDS = ("name", "description", "unit", "direction", "baseline", "baseline_on", "target",
              "target_on", "period", "option_codes", "reporter")


class KpiError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class StaleRevision(KpiError):
    """Someone else saved first: nothing was written."""


class PeriodTaken(KpiError):
    """The period already has a value: correct it instead."""


def _stale() -> StaleRevision:
    return StaleRevision(_("Someone else changed this while you were editing it, so nothing "
                           "was saved. The page now shows their version; make your change "
                           "again if it is still needed."))


def kpi_initial_from(suggestion: SuggestedKpi) -> dict:
    """What a new KPI starts with when a partnership starts from a suggestion."""
    return {"name": suggestion.name, "unit": suggestion.unit,
            "description": suggestion.description, "direction": suggestion.direction,
            "period": suggestion.period, "option_codes": [suggestion.option_code]}


@transaction.atomic
def kpi_create(*, partnership, user, fields: dict) -> Kpi:
    """A new KPI of the partnership (``fields``: the form's cleaned data)."""
    kpi = Kpi(partnership=partnership, created_by=user,
              **{k: fields[k] for k in KPI_FIELDS if k in fields})
    kpi._history_user = user
    try:
        with transaction.atomic():
            kpi.save()
    except IntegrityError as exc:
        raise KpiError(_("The partnership already has a KPI called “%(name)s”.")
                       % {"name": kpi.name}) from exc
    return kpi


@transaction.atomic
def kpi_update(*, kpi: Kpi, user, fields: dict, revision: int) -> Kpi:
    """Change a KPI's definition, if nobody else has since the person's page loaded."""
    locked = Kpi.objects.select_for_update().get(pk=kpi.pk)
    if locked.revision != revision:
        raise _stale()
    for name in KPI_FIELDS:
        if name in fields:
            setattr(locked, name, fields[name])
    locked.revision += 1
    locked._history_user = user
    try:
        with transaction.atomic():
            locked.save()
    except IntegrityError as exc:
        raise KpiError(_("The partnership already has a KPI called “%(name)s”.")
                       % {"name": locked.name}) from exc
    return locked


def _taken(existing: KpiValue, kpi: Kpi) -> PeriodTaken:
    return PeriodTaken(_(
        "%(period)s already has a value (%(value)s, recorded on %(date)s). To change it, "
        "correct that value: the earlier one is kept in its history.") % {
        "period": periods.label(existing.period_start, kpi.period),
        "value": show(existing.value), "date": format_date(existing.recorded_at)})


@transaction.atomic
def value_record(*, kpi: Kpi, user, period_start: date, value: Decimal, note: str = "",
                 source: str = "") -> KpiValue:
    """Record the KPI's value for a period that has none yet (else :class:`PeriodTaken`)."""
    kpi = Kpi.objects.select_for_update().get(pk=kpi.pk)  # one recorder at a time
    if not periods.is_start(period_start, kpi.period):
        raise KpiError(_("That is not the first day of a reporting period of this KPI."))
    existing = KpiValue.objects.filter(kpi=kpi, period_start=period_start).first()
    if existing is not None:
        raise _taken(existing, kpi)
    entry = KpiValue(kpi=kpi, period_start=period_start, value=value, note=note,
                     source=source, recorded_by=user)
    entry._history_user = user
    entry.save()
    return entry


@transaction.atomic
def value_correct(*, entry: KpiValue, user, revision: int, value: Decimal, note: str,
                  source: str, reason: str) -> KpiValue:
    """Correct a recorded value, if nobody else has since the person's page loaded; the
    history keeps what it was, who changed it, when and why."""
    locked = KpiValue.objects.select_for_update().get(pk=entry.pk)
    if locked.revision != revision:
        raise _stale()
    locked.value, locked.note, locked.source = value, note, source
    locked.revision += 1
    locked._history_user = user
    locked._change_reason = reason[:100]
    locked.save()
    return locked
