"""A round's progress: each agency, its leads, answered of 33, last saved, submitted."""

import pytest
from django.urls import reverse

from assessments.models import Agency, Membership
from tests.conftest import make_user


def progress_url(round_):
    return reverse("progress:round", kwargs={"round_id": round_.pk})


def row(html, agency):
    start = html.index(f'id="agency-{agency.pk}"')
    return html[start:html.index("</tr>", start)]


def test_leads_see_each_agency_of_their_round(world, login, answer_all, edit_draft):
    world.user("bella").first_name, world.user("bella").last_name = "Bella", "Jones"
    world.user("bella").save()
    answer_all(world, "Alpha Fire", "bob", submit=True)
    edit_draft(world.rounds["Alpha"], world.agencies["Alpha Police"], {"E1": 3, "E2": None})
    client = login(world.user("alice"))
    html = client.get(progress_url(world.rounds["Alpha"])).content.decode()
    assert "Progress of Alpha" in html
    assert "1 of 2 agencies have submitted." in html
    fire = row(html, world.agencies["Alpha Fire"])
    assert "Alpha Fire" in fire and "Bella Jones, bob" in fire
    assert "33 of 33" in fire and "Yes, on" in fire
    police = row(html, world.agencies["Alpha Police"])
    assert "alice" in police and "2 of 33" in police and "Not yet" in police
    assert "Not started" not in police  # it has a last saved time
    assert "Results appear once at least 2 agencies have submitted." in html


def test_an_agency_not_started_and_one_without_a_lead(world, login):
    Membership.objects.create(partnership=world.partnerships["Alpha"],
                              agency=Agency.objects.create(name="Alpha Ambulance",
                                                           service="ambulance"))
    client = login(world.user("bob"))
    html = client.get(progress_url(world.rounds["Alpha"])).content.decode()
    ambulance = row(html, Agency.objects.get(name="Alpha Ambulance"))
    assert "No lead yet" in ambulance and "0 of 33" in ambulance and "Not started" in ambulance
    assert "0 of 3 agencies have submitted." in html


def test_administrators_see_it_with_a_link_to_the_admin(world, login):
    client = login(world.user("adam"))
    html = client.get(progress_url(world.rounds["Beta"])).content.decode()
    assert "Beta Ambulance" in html and "carol" in html
    assert reverse("admin:assessments_round_change", args=[world.rounds["Beta"].pk]) in html


@pytest.mark.parametrize(("user", "status"), [("carol", 404), ("rita", 403), ("nobody", 403)])
def test_others_are_refused(world, login, user, status):
    client = login(world.user(user))
    assert client.get(progress_url(world.rounds["Alpha"])).status_code == status


def test_linked_from_the_leads_home_and_the_admin_round_page(world, login):
    url = progress_url(world.rounds["Alpha"])
    assert f'href="{url}"' in login(world.user("alice")).get(reverse("home")).content.decode()
    admin = login(world.user("adam")).get(
        reverse("admin:assessments_round_change", args=[world.rounds["Alpha"].pk]))
    assert f'href="{url}"' in admin.content.decode()


def test_progress_query_count_is_pinned(world, login, answer_all,
                                        django_assert_max_num_queries):
    client = login(world.user("bob"))
    url = progress_url(world.rounds["Alpha"])
    client.get(url)  # warm the session
    with django_assert_max_num_queries(9):
        assert client.get(url).status_code == 200
    # More agencies, leads and answers: the same queries.
    for n in range(5):
        agency = Agency.objects.create(name=f"Extra {n}", service="fire")
        membership = Membership.objects.create(partnership=world.partnerships["Alpha"],
                                               agency=agency)
        membership.leads.set([make_user(f"extra{n}a"), make_user(f"extra{n}b")])
    answer_all(world, "Alpha Fire", "bob", submit=True)
    answer_all(world, "Alpha Police", "alice")
    with django_assert_max_num_queries(9):
        html = client.get(url).content.decode()
    assert html.count('id="agency-') == 7
