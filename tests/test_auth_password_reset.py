"""Password reset by email: the same answer for every address, a working link, a throttle."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from tests.conftest import PASSWORD


@pytest.fixture(autouse=True)
def locmem_email_and_fresh_counters(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cache.clear()
    yield
    cache.clear()


def ask(client, email, **extra):
    return client.post(reverse("password_reset"), {"email": email}, follow=True, **extra)


def test_known_and_unknown_addresses_get_the_same_page(world, client):
    known = ask(client, "alice@example.org")
    unknown = ask(client, "nobody-here@example.org")
    assert known.status_code == unknown.status_code == 200
    assert known.redirect_chain == unknown.redirect_chain == [
        (reverse("password_reset_done"), 302)]

    def main(response):
        html = response.content.decode()
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "",
                      html[html.index("<main"):html.index("</main>")])

    assert main(known) == main(unknown)
    assert "If an account has that email address" in main(known)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["alice@example.org"]


def test_the_link_in_the_email_sets_a_new_password(world, client):
    ask(client, "alice@example.org")
    message = mail.outbox[0]
    assert message.subject == "Reset your bluelight password"
    link = re.search(r"https?://testserver(/accounts/password/reset/\S+/)", message.body)
    assert "alice" in message.body
    form = client.get(link.group(1), follow=True)
    assert "Choose a new password" in form.content.decode()
    url = form.redirect_chain[-1][0]
    done = client.post(url, {"new_password1": "a-brand-new-passphrase",
                             "new_password2": "a-brand-new-passphrase"}, follow=True)
    assert "Your new password is saved" in done.content.decode()
    assert client.post(reverse("login"), {"username": "alice", "password": PASSWORD}) \
        .status_code == 200  # the old password no longer works
    assert client.post(reverse("login"), {"username": "alice",
                                          "password": "a-brand-new-passphrase"}).status_code == 302
    client.post(reverse("logout"))
    # the link works once
    again = client.get(link.group(1), follow=True)
    assert "This link does not work" in again.content.decode()


def test_requests_for_one_email_address_are_throttled_without_saying_so(world, client,
                                                                        settings):
    settings.BLUELIGHT_PASSWORD_RESET_PER_EMAIL = 2
    pages = [ask(client, "alice@example.org") for _ in range(4)]
    assert len(mail.outbox) == 2
    assert {p.redirect_chain[-1][0] for p in pages} == {reverse("password_reset_done")}


def test_requests_from_one_address_are_throttled(world, client, settings):
    settings.BLUELIGHT_PASSWORD_RESET_PER_ADDRESS = 3
    for i in range(3):
        assert ask(client, f"someone{i}@example.org",
                   REMOTE_ADDR="203.0.113.5").status_code == 200
    refused = ask(client, "alice@example.org", REMOTE_ADDR="203.0.113.5")
    assert refused.status_code == 429
    assert "Too many password reset requests" in refused.content.decode()
    assert not mail.outbox
    assert ask(client, "alice@example.org", REMOTE_ADDR="198.51.100.1").status_code == 200
    assert len(mail.outbox) == 1


def test_the_login_and_lockout_pages_link_to_the_reset(client, world):
    assert reverse("password_reset") in client.get(reverse("login")).content.decode()
    for _ in range(5):
        locked = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    assert locked.status_code == 429 and reverse("password_reset") in locked.content.decode()


def test_the_reset_pages_and_email_in_welsh(world, client):
    client.cookies["django_language"] = "cy"
    page = client.get(reverse("password_reset"), HTTP_ACCEPT_LANGUAGE="cy").content.decode()
    assert "Ailosod eich cyfrinair" in page
    ask(client, "alice@example.org", HTTP_ACCEPT_LANGUAGE="cy")
    assert mail.outbox[0].subject == "Ailosod eich cyfrinair bluelight"
