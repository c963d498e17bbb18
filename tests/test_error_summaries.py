"""Every form with errors opens with a summary whose links lead to the fields at fault."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def summary_links(html):
    """The (href, text) pairs of the error summary; each href names an element on the page."""
    match = re.search(r'<div class="alert alert-danger" role="alert" id="error-summary".*?</div>',
                      html, re.S)
    assert match, "no error summary on the page"
    links = re.findall(r'<a[^>]*href="#([^"]+)"[^>]*>(.*?)</a>', match.group(0), re.S)
    assert links, "the error summary links to nothing"
    for target, _text in links:
        assert f'id="{target}"' in html, f"the summary links to #{target}, not on the page"
    return [(target, text.strip()) for target, text in links]


def test_login_with_empty_fields_links_each_error_to_its_field(client):
    response = client.post(reverse("login"), {"username": "", "password": ""})
    links = summary_links(response.content.decode())
    assert [target for target, _ in links] == ["id_username", "id_password"]
    assert links[0][1] == "Username: This field is required."


def test_login_with_a_wrong_password_links_to_the_first_field(client, world):
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    links = summary_links(response.content.decode())
    assert links[0][0] == "id_username"
    assert "The username or password is not right" in links[0][1]


def test_round_import_without_a_file_links_to_the_file_field(login, world):
    client = login(world.user("adam"))
    response = client.post(reverse("rounds:import", args=[world.rounds["Alpha"].pk]), {"file": ""})
    assert response.status_code == 200
    links = summary_links(response.content.decode())
    assert [target for target, _ in links] == ["id_file"]


def test_survey_import_without_a_file_links_to_the_file_field(login, world, national_survey):
    client = login(world.user("rita"))
    response = client.post(reverse("surveys:import", args=[national_survey.code]),
                           {"file": ""})  # as a browser sends it: a form with no file chosen
    assert response.status_code == 200
    assert [target for target, _ in summary_links(response.content.decode())] == ["id_file"]


def test_questionnaire_error_links_to_the_item_answers(login, world):
    round_, agency = world.rounds["Alpha"], world.agencies["Alpha Fire"]
    client = login(world.user("bob"))
    url = reverse("questionnaire:section", args=[round_.pk, agency.pk, "enablers"])
    page = client.get(url).content.decode()
    comment = re.search(r'name="([^"]*E1[^"]*comment[^"]*)"', page).group(1)
    revision = re.search(r'name="revision" value="(\d+)"', page).group(1)
    response = client.post(url, {"revision": revision, comment: "Signed", "action": "save"})
    links = summary_links(response.content.decode())
    assert len(links) == 1
    assert links[0][0] == "E1-value-1"
    assert links[0][1].startswith("E1: choose an answer")
