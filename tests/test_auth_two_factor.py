"""Two-step verification (TOTP app + backup codes).

With BLUELIGHT_REQUIRE_2FA on, administrators and researchers must set it up before
any page (the admin site included); leads may turn it on themselves. Codes are made
in the tests as the phone app would, from the key the set-up page shows.
"""

import re
import time
from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp.oath import TOTP

from tests.conftest import PASSWORD


@pytest.fixture
def required(settings):
    settings.BLUELIGHT_REQUIRE_2FA = True


def key_on(page) -> bytes:
    """The key the set-up page shows for typing into an app."""
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', page.content.decode()).group(1)
    secret = secret.replace(" ", "")
    return b32decode(secret + "=" * (-len(secret) % 8))


def code_for(key: bytes, *, steps_ahead=0) -> str:
    """What the phone app shows (a later time step when one code was already used)."""
    totp = TOTP(key)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def log_in(client, username):
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def set_up(client, next_url="/"):
    """Open the set-up page, scan the key, confirm with a code; returns (key, codes)."""
    page = client.get(reverse("two_factor_setup"), {"next": next_url})
    key = key_on(page)
    response = client.post(reverse("two_factor_setup"),
                           {"code": code_for(key), "next": next_url})
    assert response.status_code == 302, response.content.decode()[:2000]
    codes_page = client.get(response["Location"])
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", codes_page.content.decode())
    return key, codes


def test_a_researcher_without_a_device_must_set_one_up_before_reading_research(
        world, client, required):
    log_in(client, "rita")
    response = client.get(reverse("research:page"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('two_factor_setup')}?next=%2Fresearch%2F"
    for url in (reverse("research:answers_csv"), reverse("rounds:list"), reverse("home")):
        assert client.get(url).status_code == 302, url

    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200
    assert '<svg role="img" aria-label="QR code' in html  # drawn here: no image service
    assert "<img" not in html.split('<main', 1)[1]
    key = key_on(page)

    wrong = client.post(reverse("two_factor_setup"), {"code": "000000", "next": "/research/"})
    assert wrong.status_code == 200 and "That code is not right" in wrong.content.decode()
    assert client.get(reverse("research:page")).status_code == 302
    time.sleep(1.1)  # django-otp makes the next try after a wrong code wait a second

    done = client.post(reverse("two_factor_setup"), {"code": code_for(key), "next": "/research/"})
    assert done.status_code == 302 and done["Location"].startswith(
        reverse("two_factor_backup_codes"))
    codes_page = client.get(done["Location"]).content.decode()
    assert len(re.findall(r"<li>[a-z2-7]{8}</li>", codes_page)) == 10
    assert 'href="/research/"' in codes_page
    assert client.get(reverse("research:page")).status_code == 200
    # the codes are shown once only
    assert not re.findall(r"<li>[a-z2-7]{8}</li>",
                          client.get(done["Location"]).content.decode())


def test_after_the_password_the_code_is_asked_for_at_every_log_in(world, client, required):
    log_in(client, "rita")
    key, _ = set_up(client)
    client.post(reverse("logout"))

    log_in(client, "rita")
    response = client.get(reverse("research:page"))
    assert response["Location"] == f"{reverse('two_factor_verify')}?next=%2Fresearch%2F"
    wrong = client.post(reverse("two_factor_verify"), {"code": "123456", "next": "/research/"})
    assert wrong.status_code == 200 and "That code is not right" in wrong.content.decode()
    assert client.get(reverse("research:page")).status_code == 302
    time.sleep(1.1)  # the next try after a wrong code waits a second
    # the code used at set-up cannot be replayed: the app's next one
    ok = client.post(reverse("two_factor_verify"),
                     {"code": code_for(key, steps_ahead=1), "next": "/research/"})
    assert ok.status_code == 302 and ok["Location"] == "/research/"
    assert client.get(reverse("research:page")).status_code == 200


def test_a_backup_code_works_once(world, client, required):
    log_in(client, "rita")
    _, codes = set_up(client)
    assert len(codes) == 10
    client.post(reverse("logout"))

    log_in(client, "rita")
    used = client.post(reverse("two_factor_verify"), {"code": codes[0].upper(), "next": "/"},
                       follow=True)
    assert "You used a backup code: 9 are left" in used.content.decode()
    assert client.get(reverse("research:page")).status_code == 200
    client.post(reverse("logout"))

    log_in(client, "rita")
    again = client.post(reverse("two_factor_verify"), {"code": codes[0], "next": "/"})
    assert again.status_code == 200 and "That code is not right" in again.content.decode()
    assert client.get(reverse("research:page")).status_code == 302
    # after a wrong code, django-otp makes the next try wait (1 s, then 2, 4...)
    assert client.post(reverse("two_factor_verify"),
                       {"code": codes[1], "next": "/"}).status_code == 200
    time.sleep(1.1)
    assert client.post(reverse("two_factor_verify"),
                       {"code": codes[1], "next": "/"}).status_code == 302


def test_new_backup_codes_replace_the_old_ones(world, client, required):
    log_in(client, "rita")
    _, codes = set_up(client)
    client.post(reverse("two_factor_backup_codes"))
    fresh = re.findall(r"<li>([a-z2-7]{8})</li>",
                       client.get(reverse("two_factor_backup_codes")).content.decode())
    assert len(fresh) == 10 and not set(fresh) & set(codes)
    client.post(reverse("logout"))
    log_in(client, "rita")
    assert client.post(reverse("two_factor_verify"), {"code": fresh[2]}).status_code == 302
    client.post(reverse("logout"))
    log_in(client, "rita")
    assert client.post(reverse("two_factor_verify"), {"code": codes[2]}).status_code == 200


def test_the_admin_site_needs_the_second_step_too(world, client, required):
    log_in(client, "adam")
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_setup"))
    assert client.get("/admin/assessments/partnership/").status_code == 302
    set_up(client)
    assert client.get("/admin/").status_code == 200


def test_a_lead_is_not_forced_but_may_turn_it_on(world, client, required):
    log_in(client, "alice")
    assert client.get(reverse("home")).status_code == 200
    account = client.get(reverse("two_factor")).content.decode()
    assert "Two-step verification is off" in account
    key, _ = set_up(client)
    client.post(reverse("logout"))
    log_in(client, "alice")
    assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor_verify"))
    client.post(reverse("two_factor_verify"), {"code": code_for(key, steps_ahead=1)})
    assert client.get(reverse("home")).status_code == 200


def test_a_lead_can_turn_it_off_with_their_password(world, client, required):
    from bluelight.twofactor import has_second_factor

    log_in(client, "alice")
    set_up(client)
    wrong = client.post(reverse("two_factor_disable"), {"password": "not-my-password"})
    assert wrong.status_code == 400 and has_second_factor(world.user("alice"))
    client.post(reverse("two_factor_disable"), {"password": PASSWORD})
    assert not has_second_factor(world.user("alice"))
    assert client.get(reverse("home")).status_code == 200


def test_a_session_opened_before_the_set_up_is_asked_for_the_code_within_a_minute(world, settings):
    from django.test import Client

    from bluelight.twofactor import CHECKED_KEY

    earlier, phone = Client(), Client()
    log_in(earlier, "alice")
    assert earlier.get(reverse("home")).status_code == 200
    log_in(phone, "alice")
    set_up(phone)
    session = earlier.session
    user_id, checked_at, found = session[CHECKED_KEY]
    later = settings.BLUELIGHT_SECOND_FACTOR_RECHECK_SECONDS + 1
    session[CHECKED_KEY] = [user_id, checked_at - later, found]  # a recheck is due
    session.save()
    assert earlier.get(reverse("home"))["Location"].startswith(reverse("two_factor_verify"))


def test_a_researcher_cannot_turn_it_off_while_it_is_required(world, client, required):
    from bluelight.twofactor import has_second_factor

    log_in(client, "rita")
    set_up(client)
    client.post(reverse("two_factor_disable"), {"password": PASSWORD})
    assert has_second_factor(world.user("rita"))


def test_off_in_development_the_demo_accounts_log_in_with_a_password(world, client, settings):
    settings.BLUELIGHT_REQUIRE_2FA = False
    log_in(client, "rita")
    assert client.get(reverse("research:page")).status_code == 200
    client.post(reverse("logout"))
    log_in(client, "adam")
    assert client.get("/admin/").status_code == 200


def test_the_set_up_and_verify_pages_have_no_inline_script(world, client, required):
    log_in(client, "rita")
    for url in (reverse("two_factor_setup"), reverse("two_factor")):
        html = client.get(url).content.decode()
        for attrs in re.findall(r"<script\b([^>]*)>", html):
            assert "src=" in attrs, url
