"""Demo data of assessments.kpis for `manage.py load_demo` (called by
`assessments.demo.demo_load` after the partnerships, rounds and answers exist).

Each demo partnership tracks two or three KPIs started from the suggestions for options
it is working on, with a year of values (four quarters or twelve months, up to the last
complete period before today): one on track, one off track, and one value corrected (so
the history shows)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.db import transaction
from django.utils import timezone

from assessments.kpis import periods, services
from assessments.kpis.models import Kpi, KpiValue, SuggestedKpi
from assessments.kpis.status import expected_value
from assessments.kpis.suggestions import suggestions_load
from assessments.models import Membership, Partnership

# partnership -> (suggestion key, baseline, target, on track?, service that reports it)
DEMO = {
    "Northshire Shared Services": [
        ("O1-functions", 2, 8, True, "local_authority"),
        ("O2-reported", 55, 95, False, "police"),
        ("O7-datasets", 3, 10, True, "fire"),
    ],
    "Eastvale Co-responding": [
        ("O9-responses", 40, 120, True, "fire"),
        ("O9-time", 14, 9, False, "ambulance"),
    ],
    "Glanmor Tri-service Control Room": [
        ("O4-handover", 95, 45, True, "police"),
        ("O8-protocols", 4, 12, False, "fire"),
    ],
}
NOTES = {True: "Figure from the partners' monthly return.",
         False: "Below plan: see the board's action list."}


def _lead(membership):
    through = (Membership.leads.through.objects.filter(membership=membership)
               .select_related("user").order_by("id").first())
    return through.user if through else None


def _number(value: Decimal, integral: bool, sign: int) -> Decimal:
    """Rounded away from the line, so rounding never turns a value on to off track."""
    return value.quantize(Decimal("1") if integral else Decimal("0.1"),
                          rounding=ROUND_CEILING if sign > 0 else ROUND_FLOOR)


@transaction.atomic
def seed() -> None:
    """Idempotent: running it twice changes nothing (a demo KPI already there is left
    as it is, values and all)."""
    suggestions_load()
    suggestions = {s.key: s for s in SuggestedKpi.objects.filter(
        key__in=[spec[0] for specs in DEMO.values() for spec in specs])}
    today = timezone.localdate()
    for name, specs in DEMO.items():
        partnership = Partnership.objects.filter(name=name).first()
        if partnership is None:
            continue
        members = {m.agency.service: m for m in
                   partnership.memberships.select_related("agency").order_by("agency__name")}
        for key, baseline, target, on_track, service in specs:
            suggestion = suggestions.get(key)
            membership = members.get(service) or next(iter(members.values()))
            if suggestion is None or Kpi.objects.filter(partnership=partnership,
                                                       name=suggestion.name_en_gb).exists():
                continue
            _seed_kpi(partnership=partnership, suggestion=suggestion, membership=membership,
                      baseline=Decimal(baseline), target=Decimal(target), on_track=on_track,
                      today=today)


def _seed_kpi(*, partnership, suggestion, membership, baseline, target, on_track, today):
    period = suggestion.period if suggestion.period != "yearly" else "quarterly"
    count = 12 if period == "monthly" else 4
    last = periods.start_of(today, period)
    starts = []
    for _ in range(count):
        last = periods.start_of(last - timedelta(days=1), period)
        starts.insert(0, last)
    user = _lead(membership)
    baseline_on = starts[0] - timedelta(days=1)
    target_on = baseline_on.replace(year=baseline_on.year + 2)
    fields = services.kpi_initial_from(suggestion) | {
        "name": suggestion.name_en_gb, "unit": suggestion.unit_en_gb,
        "description": suggestion.description_en_gb, "period": period,
        "baseline": baseline, "baseline_on": baseline_on, "target": target,
        "target_on": target_on, "reporter": membership.agency}
    kpi = services.kpi_create(partnership=partnership, user=user, fields=fields)
    integral = baseline == baseline.to_integral() and target == target.to_integral()
    step = abs(target - baseline) * Decimal("0.08")
    better = 1 if kpi.direction == "higher" else -1
    sign = better if on_track else -better
    entries = []
    for k, start in enumerate(starts):
        end = periods.end_of(start, period)
        line = expected_value(baseline=baseline, baseline_on=baseline_on, target=target,
                              target_on=target_on, on=end)
        wobble = step * Decimal((k % 3) + 1) / 2
        value = _number(line + sign * wobble, integral, sign)
        entry = services.value_record(kpi=kpi, user=user, period_start=start, value=value,
                                      note=NOTES[on_track] if k == count - 1 else "",
                                      source=f"{membership.agency.name} performance report")
        recorded = timezone.make_aware(datetime.combine(end + timedelta(days=10), time(10)))
        KpiValue.objects.filter(pk=entry.pk).update(recorded_at=min(recorded, timezone.now()))
        entries.append(entry)
    if on_track:  # one corrected value, so the history shows on the KPI page
        first = KpiValue.objects.get(pk=entries[0].pk)
        services.value_correct(entry=first, user=user, revision=first.revision,
                               value=first.value + sign * step / 2 if not integral
                               else first.value + sign, note=first.note, source=first.source,
                               reason="Revised after the quarterly audit")
