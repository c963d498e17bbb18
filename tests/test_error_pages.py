"""Refusals and errors are branded pages that say what happened and what to do next."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_lead_opening_research_gets_a_branded_refusal(world, login):
    response = login(world.user("alice")).get(reverse("research:page"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "<h1>You cannot open this page</h1>" in page
    assert "You are logged in as alice" in page
    assert 'href="/"' in page and "bluelight" in page  # the site's own header and a way home


def test_an_unknown_address_gets_a_branded_404(world, login):
    response = login(world.user("alice")).get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Page not found</h1>" in page
    assert "Go to your home page" in page


def test_a_server_error_gets_a_branded_page_that_needs_no_database(settings):
    from django.template.loader import render_to_string

    page = render_to_string("500.html")  # no request, no context processors
    assert "Sorry, there is a problem with the service" in page
    assert "bootstrap.min.css" in page


def test_the_refusal_is_in_welsh_for_a_welsh_reader(world, login):
    client: Client = login(world.user("alice"))
    client.cookies["django_language"] = "cy"
    page = client.get(reverse("research:page")).content.decode()
    assert "You cannot open this page" not in page
    assert 'lang="cy"' in page


def test_a_refused_log_in_says_so_once_in_our_words(world, client):
    response = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    page = response.content.decode()
    message = "The username or password is not right."
    assert page.count(message) == 1
    assert "case-sensitive" not in page


def test_a_refused_log_in_in_welsh_does_not_speak_of_a_staff_account(world, client):
    client.post(reverse("set_language"), {"language": "cy", "next": "/"})
    page = client.post(reverse("login"), {"username": "alice", "password": "wrong"}
                       ).content.decode()
    assert "staff" not in page.lower()
    assert page.count("Gwiriwch y ddau: mae priflythrennau a llythrennau bach yn cyfrif.") == 1
