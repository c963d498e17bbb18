"""Reads of a partnership's KPIs, shared by its pages, the dashboard and the board paper.

Who may open a partnership's KPIs (:func:`kpi_partnership_for`): the leads of its
agencies (read and write) and administrators (read only). A lead of another
partnership finds no such partnership (404); every other role is refused before
(403, in the views).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from assessments.kpis import periods
from assessments.kpis.models import Direction, Kpi, KpiValue, ReportingPeriod, SuggestedKpi
from assessments.kpis.status import NO_DATA, OFF_TRACK, ON_TRACK, expected_value, status
from assessments.models import Membership, Partnership
from bluelight.formatting import number
from bluelight.roles import is_administrator, is_lead
from survey.models import Framework, Item

# --------------------------------------------------------------------------- access


def kpi_partnership_for(user, partnership_id: int) -> Partnership | None:
    """The partnership if ``user`` may read its KPIs (one query), with ``may_edit``:
    whether they may change them (its leads; administrators only read)."""
    partner = is_lead(user) and Membership.objects.filter(
        partnership_id=partnership_id, leads=user).exists()
    if not partner and not is_administrator(user):
        return None
    found = Partnership.objects.filter(pk=partnership_id).first()
    if found is not None:
        found.may_edit = partner
    return found


def kpi_partnerships_for_lead(user) -> QuerySet[Partnership]:
    """The partnerships whose KPIs a lead keeps."""
    return Partnership.objects.filter(memberships__leads=user).distinct().order_by("name")


# --------------------------------------------------------------------------- rows


def status_label(code: str) -> str:
    return {ON_TRACK: _("On track"), OFF_TRACK: _("Off track"), NO_DATA: _("No data")}[code]


def show(value: Decimal | None) -> str:
    """A KPI's number as pages write it: without trailing zeros ("12.5", "40")."""
    return "" if value is None else number(value, 4, trim=True)


@dataclass(frozen=True)
class KpiRow:
    """One KPI as the dashboard and the board paper show it (words already made)."""

    id: int
    name: str
    unit: str
    direction: str  # "higher" | "lower"
    baseline: Decimal
    baseline_on: date
    target: Decimal
    target_on: date
    period_label: str
    option_codes: list[str]
    reporter: str
    status: str  # "on_track" | "off_track" | "no_data"
    status_label: str
    latest: Decimal | None
    latest_period: str  # e.g. "2026 Q3", "" without values
    # (period label, period start, value) oldest first
    values: list[tuple[str, date, Decimal]] = field(default_factory=list)

    @property
    def direction_label(self) -> str:
        return str(Direction(self.direction).label)

    @property
    def latest_text(self) -> str:
        return show(self.latest)

    @property
    def baseline_text(self) -> str:
        return show(self.baseline)

    @property
    def target_text(self) -> str:
        return show(self.target)


def kpi_row(kpi: Kpi, values: list[KpiValue]) -> KpiRow:
    """A KPI and its values (oldest first) as a :class:`KpiRow` (no query: ``reporter``
    selected with the KPI)."""
    last = values[-1] if values else None
    code = status(direction=kpi.direction, baseline=kpi.baseline, baseline_on=kpi.baseline_on,
                  target=kpi.target, target_on=kpi.target_on,
                  latest=last.value if last else None,
                  latest_on=periods.end_of(last.period_start, kpi.period) if last else None)
    return KpiRow(
        id=kpi.pk, name=kpi.name, unit=kpi.unit, direction=kpi.direction,
        baseline=kpi.baseline, baseline_on=kpi.baseline_on, target=kpi.target,
        target_on=kpi.target_on, period_label=str(ReportingPeriod(kpi.period).label),
        option_codes=list(kpi.option_codes or []),
        reporter=kpi.reporter.name if kpi.reporter_id else "",
        status=code, status_label=status_label(code),
        latest=last.value if last else None,
        latest_period=periods.label(last.period_start, kpi.period) if last else "",
        values=[(periods.label(v.period_start, kpi.period), v.period_start, v.value)
                for v in values])


def _kpis(partnership_id: int) -> QuerySet[Kpi]:
    return (Kpi.objects.filter(partnership_id=partnership_id).select_related("reporter")
            .prefetch_related(Prefetch("values",
                                       queryset=KpiValue.objects.order_by("period_start"))))


def kpis_for_pack(*, partnership) -> list[KpiRow]:
    """The partnership's KPIs with their values and status, by name (two queries)."""
    pk = partnership.pk if hasattr(partnership, "pk") else partnership
    return [kpi_row(kpi, list(kpi.values.all())) for kpi in _kpis(pk)]


# --------------------------------------------------------------------------- one KPI


@dataclass(frozen=True)
class Correction:
    on: datetime
    by: str
    was: Decimal
    was_note: str
    was_source: str
    reason: str

    @property
    def was_text(self) -> str:
        return show(self.was)


@dataclass(frozen=True)
class ValueRow:
    value: KpiValue
    period: str
    recorded_by: str
    corrections: list[Correction]  # oldest first

    @property
    def value_text(self) -> str:
        return show(self.value.value)


@dataclass(frozen=True)
class KpiDetail:
    kpi: Kpi
    row: KpiRow
    values: list[ValueRow]  # oldest first
    options: list[tuple[str, str]]  # (code, title) of the options it evidences
    expected_now: Decimal | None  # on the line at the end of the latest value's period


def _person(user) -> str:
    if user is None:
        return _("someone")
    return user.get_full_name() or user.get_username()


def kpi_for(*, partnership_id: int, kpi_id: int) -> Kpi | None:
    return (Kpi.objects.filter(partnership_id=partnership_id, pk=kpi_id)
            .select_related("reporter", "partnership").first())


def option_titles(codes=None) -> dict[str, str]:
    """The options of the current framework: code -> title, in framework order (one
    query)."""
    framework = Framework.objects.current()
    items = Item.objects.filter(framework=framework, kind=Item.Kind.OPTION).order_by("order",
                                                                                    "id")
    if codes is not None:
        items = items.filter(code__in=list(codes))
    return dict(items.values_list("code", "title"))


def kpi_detail(*, kpi: Kpi) -> KpiDetail:
    """One KPI with every value, who recorded it and each correction (who, when, what it
    was): a fixed number of queries."""
    values = list(kpi.values.select_related("recorded_by").order_by("period_start"))
    history = defaultdict(list)
    for record in (KpiValue.history.filter(kpi_id=kpi.pk).select_related("history_user")
                   .order_by("history_date", "history_id")):
        history[record.id].append(record)
    rows = []
    for value in values:
        corrections = []
        records = history.get(value.pk, [])
        for before, after in zip(records, records[1:], strict=False):
            if (before.value, before.note, before.source) == (after.value, after.note,
                                                               after.source):
                continue
            corrections.append(Correction(on=after.history_date, by=_person(after.history_user),
                                          was=before.value, was_note=before.note,
                                          was_source=before.source,
                                          reason=after.history_change_reason or ""))
        rows.append(ValueRow(value=value, period=periods.label(value.period_start, kpi.period),
                             recorded_by=_person(value.recorded_by), corrections=corrections))
    row = kpi_row(kpi, values)
    titles = option_titles(kpi.option_codes)
    expected = None
    if values:
        expected = expected_value(baseline=kpi.baseline, baseline_on=kpi.baseline_on,
                           target=kpi.target, target_on=kpi.target_on,
                           on=periods.end_of(values[-1].period_start, kpi.period))
    return KpiDetail(kpi=kpi, row=row, values=rows,
                     options=[(c, titles.get(c, "")) for c in kpi.option_codes],
                     expected_now=expected)


# --------------------------------------------------------------------------- suggestions


def suggestions_by_option(titles: dict[str, str] | None = None,
                          ) -> list[tuple[str, str, list[SuggestedKpi]]]:
    """The suggested KPIs per option of the current framework, in its order: (code, title,
    suggestions) for options with at least one (one query, with ``titles`` from
    :func:`option_titles`; else three)."""
    titles = option_titles() if titles is None else titles
    by_code = defaultdict(list)
    for suggestion in SuggestedKpi.objects.all():
        by_code[suggestion.option_code].append(suggestion)
    ordered = [c for c in titles if c in by_code] + sorted(set(by_code) - set(titles))
    return [(c, titles.get(c, ""), by_code[c]) for c in ordered]
