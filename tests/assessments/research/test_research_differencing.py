"""Differencing (issue 11 item 12): two anonymised answer downloads whose selections differ
by fewer than the minimum group size would single out the partnerships between them.

Six partnerships (research_data): Alpha, Gamma, Epsilon, Zeta in England; Beta, Delta in
Wales; every one but Beta has a police agency.
"""

import pytest
from django.urls import reverse

from assessments.models import AnswersDownload
from tests.assessments.research.data import build

SIX = ("Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta")
URL = reverse("research:answers_csv")


def _ids(world, *names):
    return sorted(world.partnerships[n].pk for n in names)


@pytest.fixture
def six(world, submit_answers, settings):
    settings.BLUELIGHT_MIN_GROUP_SIZE = 5
    return build(world, submit_answers, names=SIX)


def _rows(response) -> int:
    return len(response.content.decode("utf-8-sig").strip().splitlines()) - 1


def test_a_selection_one_partnership_short_of_a_download_is_refused(six, login):
    client = login(six.user("rita"))
    everything = client.get(URL)
    assert everything.status_code == 200 and _rows(everything) == 6 * 2 * 33
    assert [d.partnerships for d in AnswersDownload.objects.all()] == [_ids(six, *SIX)]

    # the five partnerships with a police agency: all six minus Beta
    refused = client.get(URL, {"services": "police"})
    assert refused.status_code == 302
    assert refused["Location"] == reverse("research:page") + "?services=police"
    page = client.get(refused["Location"]).content.decode()
    assert "differs by only 1 partnership from one you downloaded on" in page
    assert "would single out that partnership&#x27;s answers" in page
    assert "at least 5 partnerships" in page
    assert AnswersDownload.objects.count() == 1  # a refused selection is not recorded

    # the same selection again is allowed (it reveals nothing new), and not recorded twice
    again = client.get(URL)
    assert again.status_code == 200 and _rows(again) == 6 * 2 * 33
    assert AnswersDownload.objects.count() == 1


def test_the_record_outlives_the_session_and_belongs_to_its_researcher(six, client):
    client.force_login(six.user("rita"))
    assert client.get(URL).status_code == 200
    client.logout()
    client.force_login(six.user("rita"))
    assert client.get(URL, {"services": "police"}).status_code == 302  # still refused
    # another person has downloaded nothing: the five are allowed for them
    client.force_login(six.user("adam"))
    response = client.get(URL, {"services": "police"})
    assert response.status_code == 200 and _rows(response) == 5 * 2 * 33


def test_disjoint_and_far_enough_selections_are_allowed(world, submit_answers, login,
                                                        settings):
    settings.BLUELIGHT_MIN_GROUP_SIZE = 2
    build(world, submit_answers, names=SIX)
    client = login(world.user("rita"))
    england = client.get(URL, {"nation": "England"})
    assert england.status_code == 200 and _rows(england) == 4 * 2 * 33
    wales = client.get(URL, {"nation": "Wales"})  # disjoint from England
    assert wales.status_code == 200 and _rows(wales) == 2 * 2 * 33
    everything = client.get(URL)  # differs by 2 from England, 4 from Wales: enough
    assert everything.status_code == 200
    assert sorted(d.partnerships for d in AnswersDownload.objects.filter(
        user=world.user("rita"))) == sorted([_ids(world, "Alpha", "Gamma", "Epsilon", "Zeta"),
                                              _ids(world, "Beta", "Delta"),
                                              _ids(world, *SIX)])
    # all six minus Beta differs from "all six" by one, under 2: refused
    refused = client.get(URL, {"services": "police"}, follow=True)
    assert "differs by only 1 partnership" in refused.content.decode()
    assert "attachment" not in refused.get("Content-Disposition", "")


def test_the_rule_on_sets(world):
    from assessments.research.services import (
        DifferencingRefused,
        answers_download_record,
        differencing_check,
    )

    rita = world.user("rita")
    answers_download_record(user=rita, partnerships=[1, 2, 3, 4, 5, 6], min_group=5)
    for allowed in ([1, 2, 3, 4, 5, 6], [7, 8, 9, 10, 11], [1, 7, 8, 9, 10, 11]):
        differencing_check(user=rita, partnerships=allowed, min_group=5)
    for refused, differs_by in (([1, 2, 3, 4, 5], 1), ([2, 3, 4, 5, 6, 7], 2),
                                ([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 4)):
        with pytest.raises(DifferencingRefused) as caught:
            differencing_check(user=rita, partnerships=refused, min_group=5)
        assert caught.value.differs_by == differs_by
        assert f"differs by only {differs_by} partnership" in caught.value.message
    differencing_check(user=world.user("adam"), partnerships=[1, 2, 3, 4, 5], min_group=5)


def test_research_page_says_what_suppression_protects_and_what_it_does_not(world, login):
    html = login(world.user("rita")).get(reverse("research:page")).content.decode()
    assert "What suppression protects, and what it does not" in html
    assert "figures shared outside the research team" in html
    assert "researchers can open each round's dashboard" in html
    assert ("refuses a selection that differs by fewer than 5 partnerships from one you "
            "have already downloaded") in html
