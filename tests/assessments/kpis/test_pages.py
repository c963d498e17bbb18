"""The KPI pages: what each role sees and may do, the refusals, and their query counts."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from assessments.kpis.models import Kpi, SuggestedKpi


def _alpha(world):
    return {"partnership_id": world.partnerships["Alpha"].pk}


def url(name, world, **kwargs):
    return reverse(f"kpis:{name}", kwargs=_alpha(world) | kwargs)


@pytest.fixture
def cost(make_kpi, record):
    kpi = make_kpi("Back-office cost")  # lower is better: 100 -> 80 by end 2027
    record(kpi, date(2026, 1, 1), 99, note="from the ledger", source="finance")
    record(kpi, date(2026, 4, 1), 92)
    return kpi


# --------------------------------------------------------------------------- reading


@pytest.mark.parametrize("user", ["alice", "bob", "adam"])
def test_leads_and_administrators_see_the_list_with_status(world, login, cost, make_kpi, user):
    make_kpi("Jobs shared", direction="higher", baseline=1, target=9)
    html = login(world.user(user)).get(url("list", world)).content.decode()
    assert "KPIs of Alpha" in html
    assert "2 KPIs: 1 on track, 0 off track, 1 with no data." in html
    row = html[html.index(f'id="kpi-{cost.pk}"'):]
    row = row[:row.index("</tr>")]
    assert url("detail", world, kpi_id=cost.pk) in row
    assert "92 £k" in row and "2026 Q2" in row and "On track" in row
    assert "How the status is worked out:" in html
    assert ("Add a KPI" in html) == (user != "adam")
    assert ("as an administrator" in html) == (user == "adam")


@pytest.mark.parametrize(("user", "status"), [("carol", 404), ("rita", 403), ("nobody", 403)])
def test_others_are_refused_every_page(world, login, cost, user, status):
    client = login(world.user(user))
    value = cost.values.first()
    for name, kwargs in [("list", {}), ("detail", {"kpi_id": cost.pk}), ("new", {}),
                         ("edit", {"kpi_id": cost.pk}), ("record", {"kpi_id": cost.pk}),
                         ("correct", {"kpi_id": cost.pk, "value_id": value.pk}),
                         ("import", {}), ("export", {"fmt": "csv"})]:
        assert client.get(url(name, world, **kwargs)).status_code == status, name


def test_anonymous_visitors_go_to_the_login_page(world, client, cost):
    response = client.get(url("detail", world, kpi_id=cost.pk))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", ["new", "import"])
def test_administrators_only_read(world, login, cost, name):
    client = login(world.user("adam"))
    assert client.get(url(name, world)).status_code == 403
    assert client.get(url("edit", world, kpi_id=cost.pk)).status_code == 403
    assert client.post(url("record", world, kpi_id=cost.pk),
                       {"period": "2026-07-01", "value": "1"}).status_code == 403
    assert cost.values.count() == 2


def test_a_kpi_of_another_partnership_is_not_found(world, login, make_kpi):
    beta = make_kpi("Beta's", partnership="Beta", user="carol")
    client = login(world.user("alice"))
    assert client.get(url("detail", world, kpi_id=beta.pk)).status_code == 404
    assert client.get(url("export", world, fmt="pdf")).status_code == 404


def test_the_kpi_page_shows_chart_table_status_and_history(world, login, cost):
    client = login(world.user("bob"))
    entry = cost.values.get(period_start=date(2026, 1, 1))
    client.post(url("correct", world, kpi_id=cost.pk, value_id=entry.pk),
                {"value": "98", "note": "from the ledger", "source": "finance",
                 "reason": "Ledger re-run", "revision": "0"})
    html = client.get(url("detail", world, kpi_id=cost.pk)).content.decode()
    assert "<h1>Back-office cost</h1>" in html
    assert 'data-chart="chart-kpi-data"' in html and "plotly-cartesian.min.js" in html
    assert "Expected on the line" in html  # the chart's table
    assert "On track" in html and "How the status is worked out:" in html
    assert "100 £k on 31 December 2025" in html and "80 £k by 31 December 2027" in html
    assert "O1 More single (shared) back offices" in html
    assert "Alpha Police" in html
    row = html[html.index(f'id="value-{entry.pk}"'):]
    row = row[:row.index("</tr>")]
    assert "2026 Q1" in row and "98 £k" in row and "by alice on" in row
    assert "Corrected on" in row and "by bob, was 99 £k" in row and "Ledger re-run" in row


def test_a_kpi_without_values_says_no_data(world, login, make_kpi):
    kpi = make_kpi("Empty")
    html = login(world.user("alice")).get(url("detail", world, kpi_id=kpi.pk)).content.decode()
    assert "No data" in html and "No value has been recorded yet." in html
    assert "data-chart" not in html


# --------------------------------------------------------------------------- writing


def test_a_lead_adds_a_kpi(world, login):
    client = login(world.user("alice"))
    response = client.post(url("new", world), {
        "name": "Joint stations", "unit": "stations", "direction": "higher",
        "baseline": "2", "baseline_on": "2026-01-01", "target": "6",
        "target_on": "2027-12-31", "period": "yearly", "option_codes": ["O3", "O1"],
        "reporter": world.agencies["Alpha Fire"].pk, "description": ""})
    kpi = Kpi.objects.get(name="Joint stations")
    assert response.status_code == 302 and response["Location"] == url("detail", world,
                                                                          kpi_id=kpi.pk)
    assert (kpi.partnership, kpi.created_by, kpi.reporter.name, sorted(kpi.option_codes)) == (
        world.partnerships["Alpha"], world.user("alice"), "Alpha Fire", ["O1", "O3"])


def test_a_bad_kpi_form_keeps_what_was_typed(world, login):
    client = login(world.user("alice"))
    html = client.post(url("new", world), {
        "name": "Joint stations", "unit": "", "direction": "higher", "baseline": "two",
        "baseline_on": "2026-01-01", "target": "6", "target_on": "2025-12-31",
        "period": "yearly"}).content.decode()
    assert "There is a problem" in html
    assert "The target date must be after the baseline date." in html
    assert 'value="Joint stations"' in html and 'value="two"' in html
    assert not Kpi.objects.exists()


def test_a_reporter_must_be_an_agency_of_the_partnership(world, login):
    client = login(world.user("alice"))
    client.post(url("new", world), {
        "name": "X", "unit": "u", "direction": "higher", "baseline": "1",
        "baseline_on": "2026-01-01", "target": "2", "target_on": "2027-01-01",
        "period": "yearly", "reporter": world.agencies["Beta Fire"].pk})
    assert not Kpi.objects.exists()


def test_start_from_a_suggestion(world, login):
    call_command("load_kpi_suggestions", verbosity=0)
    client = login(world.user("alice"))
    page = client.get(url("new", world)).content.decode()
    assert "Start from a suggestion" in page and "O16 Integrated control rooms (2)" in page
    assert "ours, not from the 2015 research" in page
    suggestion = SuggestedKpi.objects.get(key="O4-handover")
    assert f"?suggestion={suggestion.pk}" in page
    page = client.get(url("new", world) + f"?suggestion={suggestion.pk}").content.decode()
    assert "Started from the suggestion “Time to pass an incident between control rooms”" \
        in page
    assert 'value="Time to pass an incident between control rooms"' in page
    assert 'value="seconds"' in page
    assert 'value="lower" class="form-check-input" id="id_direction_1" checked' in page \
        or ('value="lower"' in page and "checked" in page)
    assert 'value="O4"' in page and "Start from a suggestion" not in page


def test_suggestions_in_welsh(world, login, client):
    call_command("load_kpi_suggestions", verbosity=0)
    c = login(world.user("alice"))
    c.cookies["django_language"] = "cy"
    page = c.get(url("new", world), HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    assert "Cost y swyddfa gefn a rennir" in page


def test_edit_with_a_stale_revision_is_refused_and_keeps_the_typing(world, login, cost):
    client = login(world.user("alice"))
    form = {"name": "Back-office cost", "unit": "£k", "direction": "lower",
            "baseline": "100", "baseline_on": "2025-12-31", "target": "75",
            "target_on": "2027-12-31", "period": "quarterly", "option_codes": ["O1"],
            "revision": "0"}
    assert client.post(url("edit", world, kpi_id=cost.pk), form).status_code == 302
    cost.refresh_from_db()
    assert (cost.target, cost.revision) == (75, 1)
    html = login(world.user("bob")).post(url("edit", world, kpi_id=cost.pk),
                                         form | {"target": "60"}).content.decode()
    assert "Someone else changed this while you were editing it" in html
    assert "The KPI as saved now" in html and "target 75 £k" in html
    assert 'value="60"' in html and 'name="revision" value="1"' in html
    cost.refresh_from_db()
    assert cost.target == 75


def test_record_a_value_then_a_second_for_that_period_is_refused(world, login, cost):
    client = login(world.user("bob"))
    page = client.get(url("record", world, kpi_id=cost.pk)).content.decode()
    assert "2026 Q1 — has a value" in page and ">2026 Q3<" in page
    response = client.post(url("record", world, kpi_id=cost.pk),
                           {"period": "2026-07-01", "value": "90.5", "note": "n",
                            "source": "s"})
    assert response.status_code == 302
    assert cost.values.get(period_start=date(2026, 7, 1)).value == Decimal("90.5")
    html = client.post(url("record", world, kpi_id=cost.pk),
                       {"period": "2026-07-01", "value": "50"}).content.decode()
    assert "2026 Q3 already has a value (90.5, recorded on" in html
    taken = cost.values.get(period_start=date(2026, 7, 1))
    assert url("correct", world, kpi_id=cost.pk, value_id=taken.pk) in html
    assert 'value="50"' in html  # the typing is kept
    assert taken.value == Decimal("90.5")


def test_a_stale_correction_is_refused_on_the_page(world, login, cost):
    entry = cost.values.get(period_start=date(2026, 4, 1))
    target = url("correct", world, kpi_id=cost.pk, value_id=entry.pk)
    data = {"value": "91", "note": "", "source": "", "reason": "typo", "revision": "0"}
    assert login(world.user("alice")).post(target, data).status_code == 302
    html = login(world.user("bob")).post(target, data | {"value": "70"}).content.decode()
    assert "Someone else changed this" in html and 'value="70"' in html
    entry.refresh_from_db()
    assert (entry.value, entry.revision) == (91, 1)


def test_a_correction_needs_a_reason(world, login, cost):
    entry = cost.values.first()
    html = login(world.user("alice")).post(
        url("correct", world, kpi_id=cost.pk, value_id=entry.pk),
        {"value": "1", "revision": "0"}).content.decode()
    assert "Why it is corrected: This field is required." in html
    entry.refresh_from_db()
    assert entry.value == 99


def test_import_page_lists_problems_by_line(world, login, cost):
    client = login(world.user("alice"))
    upload = SimpleUploadedFile("values.csv", b"kpi,period,value\nNope,2026-Q3,1\n"
                                b"Back-office cost,2026-Q9,1\n")
    html = client.post(url("import", world), {"file": upload}).content.decode()
    assert "The file was not imported: 2 problems. Nothing was changed." in html
    assert "Line 2: unknown KPI" in html and "Line 3: period" in html
    upload = SimpleUploadedFile("values.csv", b"kpi,period,value\nBack-office cost,2026-Q3,90\n")
    response = client.post(url("import", world), {"file": upload}, follow=True)
    assert "Imported 1 new value; 0 corrected; 0 already there, unchanged." in \
        response.content.decode()
    assert cost.values.count() == 3


def test_import_refuses_a_file_that_is_neither_csv_nor_xlsx(world, login, cost):
    client = login(world.user("alice"))
    html = client.post(url("import", world), {
        "file": SimpleUploadedFile("values.xlsx", b"not a zip")}).content.decode()
    assert "is not an Excel workbook (.xlsx)" in html
    html = client.post(url("import", world), {
        "file": SimpleUploadedFile("values.pdf", b"%PDF")}).content.decode()
    assert "does not end in .csv" in html


@pytest.mark.parametrize("user", ["alice", "adam"])
def test_export_downloads(world, login, cost, user):
    client = login(world.user(user))
    response = client.get(url("export", world, fmt="csv"))
    assert response["Content-Type"].startswith("text/csv")
    assert "bluelight-alpha-kpi-values-" in response["Content-Disposition"]
    assert response.content.decode().splitlines() == [
        "kpi,period,value,note,source", "Back-office cost,2026-Q1,99,from the ledger,finance",
        "Back-office cost,2026-Q2,92,,"]
    book = client.get(url("export", world, fmt="xlsx"))
    assert book.content[:2] == b"PK" and ".xlsx" in book["Content-Disposition"]


# --------------------------------------------------------------------------- elsewhere


def test_the_leads_home_links_to_the_kpis(world, login):
    html = login(world.user("alice")).get(reverse("home")).content.decode()
    assert f'href="{url("list", world)}"' in html and "KPIs of Alpha" in html


def test_the_dashboard_shows_the_kpis_to_leads_and_administrators(world, login, cost,
                                                                  submit_answers):
    from tests.conftest import full_answers

    alpha = world.rounds["Alpha"]
    for agency in ("Alpha Police", "Alpha Fire"):
        submit_answers(alpha, world.agencies[agency], full_answers())
    page = reverse("results:round", kwargs={"round_id": alpha.pk})
    for user in ("alice", "adam"):
        html = login(world.user(user)).get(page).content.decode()
        assert 'href="#kpis"' in html and 'id="kpis"' in html
        section = html[html.index('id="kpis"'):]
        section = section[:section.index("</section>")]
        assert url("detail", world, kpi_id=cost.pk) in section
        assert "92 £k (2026 Q2)" in section and "On track" in section
    html = login(world.user("rita")).get(page).content.decode()
    assert 'id="kpis"' not in html  # researchers cannot open the KPI pages


def test_dashboard_context_makes_at_most_two_queries(world, rf, cost,
                                                     django_assert_max_num_queries):
    from assessments.access import rounds_visible_to
    from assessments.kpis.dashboard import dashboard_context

    request = rf.get("/")
    request.user = world.user("alice")
    round = rounds_visible_to(request.user).get(pk=world.rounds["Alpha"].pk)
    request.user._bluelight_groups = {"Partnership lead"}
    with django_assert_max_num_queries(2):
        context = dashboard_context(request=request, round=round, results=None)
    assert [r.name for r in context["kpi_rows"]] == ["Back-office cost"]


# --------------------------------------------------------------------------- queries


def _more(world, make_kpi, record, n):
    for k in range(n):
        kpi = make_kpi(f"Extra {k}", direction="higher", baseline=1, target=9)
        for start in (date(2026, 1, 1), date(2026, 4, 1), date(2026, 7, 1)):
            record(kpi, start, k + 1)


def test_list_query_count_is_pinned(world, login, cost, make_kpi, record,
                                    django_assert_max_num_queries):
    client = login(world.user("alice"))
    client.get(url("list", world))
    with django_assert_max_num_queries(7):
        assert client.get(url("list", world)).status_code == 200
    _more(world, make_kpi, record, 6)
    with django_assert_max_num_queries(7):
        html = client.get(url("list", world)).content.decode()
    assert len(re.findall(r'id="kpi-\d', html)) == 7


def test_detail_query_count_is_pinned(world, login, cost, record,
                                      django_assert_max_num_queries):
    client = login(world.user("alice"))
    target = url("detail", world, kpi_id=cost.pk)
    client.get(target)
    with django_assert_max_num_queries(10):
        assert client.get(target).status_code == 200
    for start in (date(2026, 7, 1), date(2026, 10, 1), date(2027, 1, 1)):
        record(cost, start, 85)
    with django_assert_max_num_queries(10):
        html = client.get(target).content.decode()
    assert html.count('id="value-') == 5


@pytest.mark.parametrize("name", ["new", "record", "edit", "import", "export", "correct"])
def test_form_and_export_query_counts_are_pinned(world, login, cost, name,
                                                 django_assert_max_num_queries):
    call_command("load_kpi_suggestions", verbosity=0)
    client = login(world.user("alice"))
    kwargs = {"new": {}, "import": {}, "export": {"fmt": "xlsx"}}.get(name, {"kpi_id": cost.pk})
    if name == "correct":
        kwargs["value_id"] = cost.values.first().pk
    target = url(name, world, **kwargs)
    client.get(target)
    limits = {"new": 9, "record": 8, "edit": 9, "import": 6, "export": 6, "correct": 8}
    with django_assert_max_num_queries(limits[name]):
        assert client.get(target).status_code == 200
