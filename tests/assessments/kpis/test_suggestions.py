"""The suggested KPIs: the shipped file, its loader command, the admin, the demo."""

import json
from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from assessments.kpis.models import Kpi, KpiValue, SuggestedKpi
from assessments.kpis.suggestions import DEFAULT_FILE

OPTION_CODES = [f"O{i}" for i in range(1, 21)]


def test_the_file_has_two_suggestions_for_each_of_the_twenty_options_in_both_languages():
    doc = json.loads(DEFAULT_FILE.read_text(encoding="utf-8"))
    assert "ours" in doc["_note"] and "not from the 2015 research" in doc["_note"]
    by_code = {}
    for entry in doc["suggestions"]:
        by_code.setdefault(entry["option_code"], []).append(entry)
        for text in ("name", "unit", "description"):
            assert entry[text]["en-gb"] and entry[text]["cy"], (entry["key"], text)
    assert sorted(by_code, key=lambda c: int(c[1:])) == OPTION_CODES
    assert all(len(entries) == 2 for entries in by_code.values())


def test_load_kpi_suggestions_is_idempotent_and_keeps_edits(db):
    out = StringIO()
    call_command("load_kpi_suggestions", stdout=out)
    assert "Loaded 40 suggested KPI(s)" in out.getvalue()
    assert SuggestedKpi.objects.filter(shipped=True).count() == 40
    edited = SuggestedKpi.objects.get(key="O1-cost")
    edited.name_en_gb = "Edited by an administrator"
    edited.save()
    out = StringIO()
    call_command("load_kpi_suggestions", stdout=out)
    assert "already loaded; nothing changed" in out.getvalue()
    assert SuggestedKpi.objects.count() == 40
    assert SuggestedKpi.objects.get(key="O1-cost").name_en_gb == "Edited by an administrator"


def test_suggestions_read_in_the_active_language(db):
    call_command("load_kpi_suggestions", verbosity=0)
    suggestion = SuggestedKpi.objects.get(key="O16-calls")
    assert suggestion.name == "Time to answer emergency calls"
    with translation.override("cy"):
        assert SuggestedKpi.objects.get(key="O16-calls").name == "Amser i ateb galwadau brys"


def test_administrators_edit_suggestions_in_the_admin(world, login):
    call_command("load_kpi_suggestions", verbosity=0)
    client = login(world.user("adam"))
    suggestion = SuggestedKpi.objects.get(key="O2-reported")
    page = client.get(reverse("admin:assessments_suggestedkpi_change", args=[suggestion.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and 'name="name_cy"' in html and 'name="shipped"' in html
    assert client.get(reverse("admin:assessments_suggestedkpi_changelist")).status_code == 200
    assert client.get(reverse("admin:assessments_kpi_changelist")).status_code == 200
    assert client.get(reverse("admin:assessments_kpivalue_changelist")).status_code == 200


def test_the_demo_seeds_kpis_with_a_year_of_values_idempotently(db, framework):
    from assessments.demo import demo_load
    from assessments.kpis.selectors import kpis_for_pack
    from assessments.models import Partnership

    demo_load()
    counts = (SuggestedKpi.objects.count(), Kpi.objects.count(), KpiValue.objects.count(),
              KpiValue.history.count())
    demo_load()
    assert (SuggestedKpi.objects.count(), Kpi.objects.count(), KpiValue.objects.count(),
            KpiValue.history.count()) == counts
    for partnership in Partnership.objects.all():
        rows = kpis_for_pack(partnership=partnership)
        assert 2 <= len(rows) <= 3, partnership.name
        statuses = {r.status for r in rows}
        assert {"on_track", "off_track"} <= statuses, partnership.name
        for row in rows:
            assert len(row.values) in (4, 12), row.name
            assert row.option_codes and row.reporter
    corrected = [v for v in KpiValue.objects.all() if v.history.count() > 1]
    assert len(corrected) >= 3  # one correction per partnership shows the history
