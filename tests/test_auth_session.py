"""Idle sessions end: after BLUELIGHT_SESSION_IDLE_HOURS without a request (default 8)."""

import time

from django.conf import settings
from django.urls import reverse

from bluelight.middleware import SessionIdleTimeoutMiddleware

KEY = SessionIdleTimeoutMiddleware.KEY


def idle_for(client, seconds):
    session = client.session
    session[KEY] = int(time.time()) - seconds
    session.save()


def test_the_default_idle_limit_is_eight_hours_and_the_session_expires_with_it(world, client):
    from tests.conftest import PASSWORD

    assert settings.BLUELIGHT_SESSION_IDLE_HOURS == 8
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    client.get(reverse("home"))
    assert 8 * 3600 - 60 <= client.session.get_expiry_age() <= 8 * 3600
    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 8 * 3600


def test_a_session_idle_for_longer_than_the_limit_is_logged_out(world, login):
    client = login(world.user("rita"))
    assert client.get(reverse("research:page")).status_code == 200
    idle_for(client, 8 * 3600 + 5)
    response = client.get(reverse("research:page"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    page = response.content.decode()
    assert "You were logged out after 8 hours without activity" in page


def test_activity_keeps_the_session_alive(world, login):
    client = login(world.user("rita"))
    client.get(reverse("home"))
    idle_for(client, 7 * 3600)  # seven hours since the last request, then a request...
    assert client.get(reverse("research:page")).status_code == 200
    assert int(time.time()) - client.session[KEY] < 60  # ...which counts as activity
    assert client.get(reverse("research:page")).status_code == 200


def test_the_idle_limit_is_configurable(world, login, settings):
    settings.BLUELIGHT_SESSION_IDLE_HOURS = 1
    settings.SESSION_COOKIE_AGE = 3600
    client = login(world.user("rita"))
    client.get(reverse("home"))
    idle_for(client, 3600 + 5)
    assert client.get(reverse("research:page"))["Location"].startswith(reverse("login"))


def test_the_login_page_says_how_long_an_idle_session_lasts(client, settings):
    page = client.get(reverse("login")).content.decode()
    assert "you are logged out after 8 hours without activity" in page
    settings.BLUELIGHT_SESSION_IDLE_HOURS = 1
    page = client.get(reverse("login")).content.decode()
    assert "you are logged out after 1 hour without activity" in page


def test_the_login_page_says_so_in_welsh(client):
    client.cookies["django_language"] = "cy"
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    assert "8 awr" in page
