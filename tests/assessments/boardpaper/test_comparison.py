"""Partnerships like yours (issue 15, part 3): comparable partnerships' levels and readiness
beside this partnership's, suppressed under the minimum group size, never named, cached."""

from datetime import date

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.access import rounds_visible_to
from assessments.boardpaper import comparison, dashboard
from assessments.boardpaper.comparison import (
    comparison_for,
    population_compute,
    summary_from_document,
)
from assessments.models import Agency, Membership, Partnership, Round
from assessments.results.selectors import round_results
from assessments.results.snapshots import result_from_document, round_snapshot_refresh
from tests.conftest import full_answers

L1 = full_answers()  # every option at Level 1, readiness 75
L2 = full_answers(enabler=2)  # every option at Level 2, readiness 40
L2_60 = full_answers(barrier=4)  # every option at Level 2, readiness 60


@pytest.fixture(autouse=True)
def small_groups(settings):
    settings.BLUELIGHT_MIN_GROUP_SIZE = 3


@pytest.fixture
def make(world, submit_answers):
    """``make("Gamma", kind=..., services=(...), nation=..., answers=..., rounds=[...])``:
    a partnership whose rounds have results (every agency submitted), oldest first."""

    def _make(name, *, kind="shared_back_office", services=("police", "fire"),
              nation="England", answers=L1, rounds=None, snapshot=True):
        partnership = Partnership.objects.create(name=name, kind=kind)
        agencies = []
        for k, service in enumerate(services):
            agency = Agency.objects.create(name=f"{name} agency {k}", service=service,
                                           nation=nation)
            Membership.objects.create(partnership=partnership, agency=agency)
            agencies.append(agency)
        made = []
        for opens_on, round_answers in (rounds or [(date(2026, 6, 1), answers)]):
            r = Round.objects.create(partnership=partnership, framework=world.framework,
                                     title=f"{name} {opens_on.year}", opens_on=opens_on)
            if round_answers is not None:
                for agency in agencies:
                    submit_answers(r, agency, round_answers)
                if snapshot:
                    round_snapshot_refresh(round=r)
            made.append(r)
        return made[-1]

    return _make


@pytest.fixture
def alpha(world, submit_answers):
    """Alpha (shared back office; police and fire in England) has results: O1 at Level 3,
    the rest at Level 1, readiness 75."""
    r = world.rounds["Alpha"]
    submit_answers(r, world.agencies["Alpha Fire"], full_answers(O1=2))
    submit_answers(r, world.agencies["Alpha Police"], full_answers(O1=2))
    return Round.objects.select_related("partnership", "framework").get(pk=r.pk)


def levels(comparison, code):
    return next(o for o in comparison.options if o.code == code)


def page(client, round_, **params):
    response = client.get(reverse("results:round", args=[round_.pk]), params)
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('<section id="like-yours"')
    return html, html[start:html.index("</section>", start)]


# --------------------------------------------------------------------------- the figures


def test_by_kind_with_enough_partnerships(alpha, make, world, login):
    make("Gamma", answers=L1)
    make("Delta", answers=L1)
    make("Epsilon", answers=L2)
    make("Zeta", kind="prevention", answers=L2)  # another kind: not comparable
    c = comparison_for(round=alpha, basis="kind")
    assert (c.partnerships, c.suppressed, c.shown) == (3, False, True)
    assert "Shared back office" in c.description
    o2 = levels(c, "O2")
    assert (o2.rated, o2.counts, o2.suppressed) == (3, {1: 2, 2: 1, 3: 0}, False)
    assert o2.shares[1] == pytest.approx(2 / 3)
    assert (o2.published_level, o2.own_level) == (1, 1)
    assert levels(c, "O1").own_level == 3
    assert c.own_readiness == 75.0
    assert c.quartiles == pytest.approx((57.5, 75.0, 75.0))
    assert [b.partnerships for b in c.bands] == [0, 0, 1, 2, 0]
    assert [b.own for b in c.bands] == [False, False, False, True, False]
    _html, section = page(login(world.user("alice")), alpha)
    assert "3 comparable partnerships with results." in section
    assert "Partnerships with the same kind of collaboration as yours: Shared back office" \
        in section
    assert "67%" in section and "33%" in section
    assert "Your partnership is in this band" in section
    assert "data-suppressed" not in section and "data-suppression-note" not in section


def test_too_few_comparable_partnerships_are_suppressed_and_it_says_so(alpha, make, world,
                                                                      login):
    make("Gamma", answers=L1)
    make("Delta", answers=L2)
    c = comparison_for(round=alpha, basis="kind")
    assert (c.partnerships, c.suppressed, c.shown) == (2, True, False)
    assert all(o.counts == {} and o.shares == {} for o in c.options)
    assert c.quartiles is None and all(b.partnerships is None for b in c.bands)
    _html, section = page(login(world.user("alice")), alpha)
    assert "Fewer than 3 comparable partnerships have results: their figures are " \
        "suppressed" in section
    assert "2 comparable partnerships with results." in section
    assert "A dash (—) marks a figure computed over fewer than 3 partnerships" in section
    assert "%" not in section.split('id="like-levels-table"')[1].split("</table>")[0]
    # our own figures are still there
    assert "Level 3" in section and "75.0" in section


def test_an_option_rated_in_too_few_is_suppressed_alone(alpha, make):
    for name in ("Gamma", "Delta", "Epsilon"):
        make(name, answers=L1)
    make("Eta", answers=full_answers(O7=None))  # O7 not rated there ("Don't know")
    # O7 rated in 3 of 4: shown; now make it rated in only 2
    make("Theta", answers=full_answers(O7=None))
    c = comparison_for(round=alpha, basis="kind")
    assert c.partnerships == 5
    assert (levels(c, "O7").rated, levels(c, "O7").suppressed) == (3, False)
    Partnership.objects.get(name="Gamma").delete()
    c = comparison_for(round=alpha, basis="kind")
    assert c.partnerships == 4
    o7 = levels(c, "O7")
    assert (o7.rated, o7.suppressed, o7.counts) == (2, True, {})
    assert levels(c, "O2").counts == {1: 4, 2: 0, 3: 0}


def test_by_services_compares_the_same_set_of_services(alpha, make):
    for name in ("Gamma", "Delta", "Epsilon"):
        make(name, kind="prevention", services=("fire", "police"), answers=L2)
    make("Three", services=("police", "fire", "ambulance"), answers=L1)
    make("Solo", services=("police", "police"), answers=L1)
    c = comparison_for(round=alpha, basis="services")
    assert c.partnerships == 3
    assert "Police" in c.description and "Fire and rescue" in c.description
    assert levels(c, "O3").counts == {1: 0, 2: 3, 3: 0}
    kind = comparison_for(round=alpha, basis="kind")
    assert kind.partnerships == 2  # Three and Solo are shared back offices


def test_by_nation_compares_partnerships_in_the_same_nation(alpha, make, world,
                                                            submit_answers):
    for name in ("Gamma", "Delta", "Epsilon"):
        make(name, nation="Wales", answers=L1)
    make("Anglia", nation="England", answers=L2)
    beta = world.rounds["Beta"]  # Beta's agencies are in Wales
    submit_answers(beta, world.agencies["Beta Fire"], L2)
    submit_answers(beta, world.agencies["Beta Ambulance"], L2)
    c = comparison_for(round=Round.objects.select_related("partnership", "framework")
                       .get(pk=beta.pk), basis="nation")
    assert c.partnerships == 3 and "Wales" in c.description
    assert levels(c, "O1").counts == {1: 3, 2: 0, 3: 0}
    assert levels(c, "O1").own_level == 2
    england = comparison_for(round=alpha, basis="nation")
    assert england.partnerships == 1 and england.suppressed


def test_a_partnership_without_a_nation_has_no_comparison_by_nation(alpha, world):
    Agency.objects.filter(partnerships=alpha.partnership).update(nation="")
    c = comparison_for(round=alpha, basis="nation")
    assert not c.available and "no nation recorded" in c.description


def test_this_partnership_is_never_in_its_own_group(alpha, make, world, submit_answers):
    for name in ("Gamma", "Delta", "Epsilon"):
        make(name, answers=L1)
    c = comparison_for(round=alpha, basis="kind")
    assert c.partnerships == 3
    assert levels(c, "O1").counts == {1: 3, 2: 0, 3: 0}  # Alpha's Level 3 is not counted
    # and a later round of Alpha does not bring it in either
    later = Round.objects.create(partnership=alpha.partnership, framework=world.framework,
                                 title="Alpha 2027", opens_on=date(2026, 11, 1))
    submit_answers(later, world.agencies["Alpha Fire"], L2)
    submit_answers(later, world.agencies["Alpha Police"], L2)
    assert comparison_for(round=alpha, basis="kind").partnerships == 3


def test_each_partnership_counts_once_at_its_latest_round_with_results(alpha, make):
    make("Gamma", rounds=[(date(2024, 1, 1), L2), (date(2025, 1, 1), L2_60),
                          (date(2026, 1, 1), L1), (date(2026, 9, 1), None)])
    make("Delta", answers=L1)
    make("Epsilon", answers=L1)
    c = comparison_for(round=alpha, basis="kind")
    assert c.partnerships == 3
    assert levels(c, "O2").counts == {1: 3, 2: 0, 3: 0}
    assert c.readiness_base == 3 and c.quartiles == pytest.approx((75.0, 75.0, 75.0))


def test_a_round_with_too_few_submissions_is_not_a_result(alpha, make, world, submit_answers):
    for name in ("Gamma", "Delta", "Epsilon"):
        make(name, answers=L1)
    lonely = make("Lonely", services=("police", "fire"), rounds=[(date(2026, 1, 1), None)])
    agency = Agency.objects.get(name="Lonely agency 0")
    submit_answers(lonely, agency, L2)  # one agency of two: no results yet
    assert comparison_for(round=alpha, basis="kind").partnerships == 3


def test_other_partnerships_are_never_named(alpha, make, world, login):
    names = ["Gamma Shared Services", "Delta Shared Services", "Epsilon Shared Services"]
    for name in names:
        make(name, answers=L2)
    for who in ("alice", "rita", "adam"):
        html, section = page(login(world.user(who)), alpha, like="kind")
        assert "3 comparable partnerships with results." in section
        for name in names:
            assert name not in html and f"{name} agency" not in html


# --------------------------------------------------------------------------- the form


def test_the_lead_picks_the_basis_with_a_plain_get_form_that_keeps_the_page_state(
        alpha, make, world, login):
    for name in ("Gamma", "Delta", "Epsilon"):
        make(name, kind="prevention", answers=L1)
    client = login(world.user("alice"))
    _html, section = page(client, alpha)
    assert 'name="like" id="like-kind" value="kind" checked' in section
    assert "0 comparable partnerships with results." in section
    assert "No comparable partnership has results yet" in section
    _html, section = page(client, alpha, like="services", tab="x y")
    assert 'name="like" id="like-services" value="services" checked' in section
    assert '<input type="hidden" name="tab" value="x y">' in section
    assert 'action="#like-yours"' in section and 'method="get"' in section
    assert "3 comparable partnerships with results." in section
    _html, section = page(client, alpha, like="nonsense")
    assert 'name="like" id="like-kind" value="kind" checked' in section


def test_everyone_who_sees_the_dashboard_sees_the_comparison_and_others_do_not(
        alpha, make, world, client):
    for who, status in (("alice", 200), ("bob", 200), ("rita", 200), ("adam", 200),
                        ("carol", 404), ("nobody", 403)):
        client.force_login(world.user(who))
        response = client.get(reverse("results:round", args=[alpha.pk]), {"like": "nation"})
        assert response.status_code == status
        assert (b'id="like-yours"' in response.content) == (status == 200)
    client.logout()
    response = client.get(reverse("results:round", args=[alpha.pk]), {"like": "nation"})
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_no_comparison_before_the_round_has_results(world, login):
    html = login(world.user("alice")).get(
        reverse("results:round", args=[world.rounds["Alpha"].pk])).content.decode()
    assert 'id="like-yours"' not in html and "#like-yours" not in html


# --------------------------------------------------------------------------- speed


def test_a_warm_comparison_costs_one_query(alpha, make, django_assert_num_queries):
    for name in ("Gamma", "Delta", "Epsilon"):
        make(name, answers=L1)
    result = round_results(round=alpha).result
    for basis in ("kind", "services", "nation"):
        comparison_for(round=alpha, basis=basis, result=result)
        with django_assert_num_queries(1):
            again = comparison_for(round=alpha, basis=basis, result=result)
        assert again.partnerships == 3


def test_the_dashboard_part_costs_two_queries_when_warm(alpha, make, world,
                                                       django_assert_num_queries):
    for name in ("Gamma", "Delta", "Epsilon"):
        make(name, answers=L1)
    request = RequestFactory().get("/", {"like": "services"})
    request.user = world.user("alice")
    round_ = rounds_visible_to(request.user).get(pk=alpha.pk)
    results = round_results(round=round_)
    dashboard.dashboard_context(request=request, round=round_, results=results)
    with django_assert_num_queries(2):
        context = dashboard.dashboard_context(request=request, round=round_, results=results)
    assert context["boardpaper_like"].partnerships == 3
    assert context["boardpaper_may_decide"] is True


def test_a_new_snapshot_changes_the_cached_figures(alpha, make, world, submit_answers):
    for name in ("Gamma", "Delta", "Epsilon"):
        make(name, answers=L1)
    before = comparison_for(round=alpha, basis="kind")
    assert levels(before, "O2").counts == {1: 3, 2: 0, 3: 0}
    # Gamma's new round with results: a snapshot is written when it is submitted
    gamma = Partnership.objects.get(name="Gamma")
    later = Round.objects.create(partnership=gamma, framework=world.framework,
                                 title="Gamma 2027", opens_on=date(2026, 11, 1))
    for agency in Agency.objects.filter(partnerships=gamma):
        submit_answers(later, agency, L2)
    round_snapshot_refresh(round=later)
    after = comparison_for(round=alpha, basis="kind")
    assert levels(after, "O2").counts == {1: 2, 2: 1, 3: 0}
    # a new partnership (with its snapshot) joins the group
    make("Kappa", answers=L2)
    assert comparison_for(round=alpha, basis="kind").partnerships == 4


def test_a_changed_membership_changes_the_cached_group(alpha, make):
    for name in ("Gamma", "Delta", "Epsilon"):
        make(name, kind="prevention", services=("police", "fire"), answers=L1)
    assert comparison_for(round=alpha, basis="services").partnerships == 3
    gamma = Partnership.objects.get(name="Gamma")
    Membership.objects.create(partnership=gamma, agency=Agency.objects.create(
        name="Gamma ambulance", service="ambulance", nation="England"))
    assert comparison_for(round=alpha, basis="services").partnerships == 2


def test_the_population_reads_snapshots_in_a_fixed_number_of_queries(alpha, make):
    round_snapshot_refresh(round=alpha)
    for name in ("Gamma", "Delta"):
        make(name, answers=L1)
    with CaptureQueriesContext(connection) as few:
        small = population_compute()
    for name in ("Epsilon", "Zeta", "Eta", "Theta"):
        make(name, rounds=[(date(2025, 1, 1), L2), (date(2026, 1, 1), L1)])
    with CaptureQueriesContext(connection) as many:
        large = population_compute()
    # rounds with results, their latest snapshots, the snapshots not read before, members
    assert len(few) == len(many) == 4
    assert (len(small.partnerships), len(large.partnerships)) == (3, 7)
    with CaptureQueriesContext(connection) as known:  # every snapshot's summary is cached
        again = population_compute()
    assert len(known) == 3
    assert again.levels.tolist() == large.levels.tolist()


def test_the_quick_reading_of_a_snapshot_agrees_with_the_full_one(alpha, world,
                                                                  submit_answers):
    beta = world.rounds["Beta"]
    submit_answers(beta, world.agencies["Beta Fire"], full_answers(O3=None, O5=1, E1=1))
    submit_answers(beta, world.agencies["Beta Ambulance"], full_answers(O3=None, B2=5))
    for r in (alpha, beta):
        snapshot = round_snapshot_refresh(round=r)
        result = result_from_document(snapshot.document)
        readiness, by_code = summary_from_document(snapshot.document)
        assert readiness == pytest.approx(result.readiness)
        assert by_code == {c: o.level for c, o in result.options.items()
                           if o.level is not None}
    assert "O3" not in summary_from_document(snapshot.document)[1]


def test_a_round_without_a_snapshot_is_scored(alpha, make):
    for name in ("Gamma", "Delta", "Epsilon"):
        make(name, answers=L2, snapshot=False)
    c = comparison_for(round=alpha, basis="kind")
    assert levels(c, "O2").counts == {1: 0, 2: 3, 3: 0}
    assert c.quartiles == pytest.approx((40.0, 40.0, 40.0))


def test_an_empty_group_says_so_and_shows_no_empty_tables(alpha, world, login):
    """With no comparable partnership there is nothing to set beside: one sentence, not
    twenty rows of "not rated"."""
    _html, section = page(login(world.user("alice")), alpha)
    assert "No comparable partnership has results yet" in section
    assert 'id="like-levels-table"' not in section and 'id="like-bands-table"' not in section


def test_rounds_without_a_snapshot_are_scored_in_one_batch_like_one_by_one(
        alpha, make, django_assert_max_num_queries):
    """Data written around the services has no snapshot: such rounds are scored together
    (a fixed number of queries), to exactly what the dashboard's scoring gives."""
    from assessments.boardpaper.comparison import _scored_in_batch, _summary
    from assessments.results.selectors import round_scored

    rounds = [make("Gamma", answers=L1, snapshot=False),
              make("Delta", answers=L2, snapshot=False),
              make("Epsilon", answers=full_answers(O3=None, B2=5), snapshot=False), alpha]
    # rounds, answers, submissions, frameworks; the framework spec (items and links)
    with django_assert_max_num_queries(7):
        batch = _scored_in_batch([r.pk for r in rounds])
    for r in rounds:
        one = _summary(round_scored(round=r).result)
        assert batch[r.pk][1] == one[1]
        assert batch[r.pk][0] == pytest.approx(one[0], nan_ok=True)


# --------------------------------------------------------------------------- the section's cache


def test_the_section_is_cached_and_a_warm_view_does_not_compare_again(alpha, make, world,
                                                                      login, monkeypatch):
    for name in ("Gamma", "Delta", "Epsilon"):
        make(name, answers=L1)
    client = login(world.user("alice"))
    _html, first = page(client, alpha)
    assert "3 comparable partnerships with results." in first
    monkeypatch.setattr(comparison, "comparison_for",
                        lambda **k: pytest.fail("compared again though nothing changed"))
    monkeypatch.setattr(dashboard, "comparison_for",
                        lambda **k: pytest.fail("compared again though nothing changed"))
    _html, again = page(client, alpha)
    assert again == first


def test_the_cached_section_follows_new_results_elsewhere_and_the_basis(alpha, make, world,
                                                                        login, submit_answers):
    for name in ("Gamma", "Delta", "Epsilon"):
        make(name, answers=L1)
    client = login(world.user("alice"))
    _html, before = page(client, alpha)
    assert "3 comparable partnerships with results." in before
    make("Kappa", answers=L2)  # a new partnership with results (and its snapshot)
    _html, after = page(client, alpha)
    assert "4 comparable partnerships with results." in after
    _html, by_nation = page(client, alpha, like="nation")
    assert 'id="like-nation" value="nation" checked' in by_nation
    assert "same nation" in by_nation.lower() or "England" in by_nation
    _html, by_kind = page(client, alpha)
    assert by_kind == after  # each basis keeps its own copy


def test_the_cached_section_is_in_the_readers_language(alpha, make, world, login):
    for name in ("Gamma", "Delta", "Epsilon"):
        make(name, answers=L1)
    client = login(world.user("alice"))
    _html, english = page(client, alpha)
    client.cookies["django_language"] = "cy"
    _html, welsh = page(client, alpha)
    assert "Partnerships like yours" in english and "Partnerships like yours" not in welsh
