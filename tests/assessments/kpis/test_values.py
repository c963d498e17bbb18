"""Recording, correcting and editing: never a silent overwrite, history kept, stale
revisions refused."""

from datetime import date
from decimal import Decimal

import pytest

from assessments.kpis import services
from assessments.kpis.models import Kpi, KpiValue
from assessments.kpis.selectors import kpi_detail, kpis_for_pack


def test_record_a_value_per_period(world, make_kpi, record):
    kpi = make_kpi()
    entry = record(kpi, date(2026, 1, 1), "98.5", note="first", source="finance")
    assert (entry.value, entry.note, entry.source, entry.recorded_by) == (
        Decimal("98.5"), "first", "finance", world.user("alice"))


def test_recording_a_period_that_has_a_value_is_refused(world, make_kpi, record):
    kpi = make_kpi()
    record(kpi, date(2026, 1, 1), 98)
    with pytest.raises(services.PeriodTaken) as refused:
        record(kpi, date(2026, 1, 1), 50, user="bob")
    assert "2026 Q1 already has a value (98" in refused.value.message
    assert "correct that value" in refused.value.message
    assert KpiValue.objects.get(kpi=kpi).value == 98  # untouched


def test_a_period_must_start_on_its_first_day(world, make_kpi, record):
    with pytest.raises(services.KpiError):
        record(make_kpi(), date(2026, 2, 1), 98)  # not the start of a quarter


def test_a_correction_keeps_the_earlier_value_in_the_history(world, make_kpi, record):
    kpi = make_kpi()
    entry = record(kpi, date(2026, 1, 1), 98, note="first")
    services.value_correct(entry=entry, user=world.user("bob"), revision=entry.revision,
                           value=Decimal("97"), note="audited", source="audit",
                           reason="Audit found an error")
    entry.refresh_from_db()
    assert (entry.value, entry.note, entry.revision) == (97, "audited", 1)
    assert entry.recorded_by == world.user("alice")  # who first recorded it stays
    detail = kpi_detail(kpi=kpi)
    [row] = detail.values
    [correction] = row.corrections
    assert (correction.by, correction.was, correction.was_note, correction.reason) == (
        "bob", Decimal("98"), "first", "Audit found an error")


def test_a_stale_correction_is_refused_and_changes_nothing(world, make_kpi, record):
    kpi = make_kpi()
    entry = record(kpi, date(2026, 1, 1), 98)
    services.value_correct(entry=entry, user=world.user("bob"), revision=0,
                           value=Decimal("97"), note="", source="", reason="bob's fix")
    with pytest.raises(services.StaleRevision):
        services.value_correct(entry=entry, user=world.user("alice"), revision=0,
                               value=Decimal("10"), note="", source="", reason="late")
    entry.refresh_from_db()
    assert entry.value == 97
    assert entry.history.count() == 2


def test_a_stale_edit_of_the_kpi_is_refused(world, make_kpi):
    kpi = make_kpi()
    services.kpi_update(kpi=kpi, user=world.user("bob"), fields={"target": Decimal("70")},
                        revision=0)
    with pytest.raises(services.StaleRevision):
        services.kpi_update(kpi=kpi, user=world.user("alice"),
                            fields={"target": Decimal("60")}, revision=0)
    kpi.refresh_from_db()
    assert (kpi.target, kpi.revision) == (70, 1)


def test_two_kpis_of_one_partnership_cannot_share_a_name(world, make_kpi):
    make_kpi("Cost")
    with pytest.raises(services.KpiError, match="already has a KPI called"):
        make_kpi("Cost")
    make_kpi("Cost", partnership="Beta", user="carol")  # another partnership may
    assert Kpi.objects.filter(name="Cost").count() == 2


def test_pack_rows_give_status_latest_and_values(world, make_kpi, record,
                                                 django_assert_num_queries):
    cost = make_kpi("Cost")  # lower is better, 100 -> 80 over two years
    record(cost, date(2026, 1, 1), 99)
    record(cost, date(2026, 4, 1), 92)  # the line is at about 95 by June's end
    make_kpi("Nothing yet", direction="higher", baseline=1, target=5)
    with django_assert_num_queries(2):
        rows = kpis_for_pack(partnership=world.partnerships["Alpha"])
    by_name = {r.name: r for r in rows}
    assert [r.name for r in rows] == ["Cost", "Nothing yet"]
    assert by_name["Cost"].status == "on_track" and by_name["Cost"].status_label == "On track"
    assert (by_name["Cost"].latest, by_name["Cost"].latest_period) == (92, "2026 Q2")
    assert [(label, v) for label, _start, v in by_name["Cost"].values] == [
        ("2026 Q1", 99), ("2026 Q2", 92)]
    assert by_name["Cost"].reporter == "Alpha Police"
    assert by_name["Nothing yet"].status == "no_data"
    assert (by_name["Nothing yet"].latest, by_name["Nothing yet"].latest_period) == (None, "")
    record(cost, date(2026, 7, 1), 97)  # worse than the line (about 92.5)
    assert kpis_for_pack(partnership=world.partnerships["Alpha"])[0].status == "off_track"
