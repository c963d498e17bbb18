"""Hardening: login throttling, security headers and the Content-Security-Policy."""

from django.urls import reverse

from tests.conftest import PASSWORD


def test_repeated_failed_logins_lock_the_account_out_with_a_clear_message(world, client):
    for _ in range(5):
        page = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    assert page.status_code == 429
    assert "Too many failed log-ins" in page.content.decode()
    assert "Try again in 15 minutes" in page.content.decode()
    # Even the right password is refused while locked out.
    locked = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_other_accounts_are_not_locked_by_someone_elses_failures(world, client):
    for _ in range(5):
        client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "bob", "password": PASSWORD})
    assert response.status_code == 302


def test_pages_send_a_strict_content_security_policy_and_security_headers(client, framework):
    response = client.get(reverse("framework:page"))
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    script_src = next(d for d in policy.split(";") if d.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_no_page_template_has_an_inline_script_or_event_handler():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "templates"
    offenders = []
    for template in root.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b([^>]*)>", text):
            attrs = match.group(1)
            if "src=" not in attrs and "application/json" not in attrs and "nonce" not in attrs:
                offenders.append(f"{template.relative_to(root)}: inline <script>")
        if re.search(r"\son[a-z]+=\"", text):
            offenders.append(f"{template.relative_to(root)}: inline event handler")
    assert not offenders, offenders


# --------------------------------------------------------------------------- throttle by address


def test_many_usernames_failing_from_one_address_lock_that_address_out(world, client):
    """12 different usernames failing once each from one address: the address is refused
    (the per-username limit is never reached), even for a right password."""
    from django.conf import settings

    assert settings.BLUELIGHT_LOGIN_ADDRESS_FAILURE_LIMIT < 12
    statuses = []
    for i in range(12):
        response = client.post(reverse("login"), {"username": f"guess{i}", "password": "wrong"},
                               REMOTE_ADDR="203.0.113.7")
        statuses.append(response.status_code)
    limit = settings.BLUELIGHT_LOGIN_ADDRESS_FAILURE_LIMIT
    assert statuses[:limit - 1] == [200] * (limit - 1)  # the login form again, with an error
    assert set(statuses[limit - 1:]) == {429}
    refused = client.post(reverse("login"), {"username": "bob", "password": PASSWORD},
                          REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Too many failed log-ins" in page and "from the same address" in page
    assert "_auth_user_id" not in client.session
    # another address is not affected
    elsewhere = client.post(reverse("login"), {"username": "bob", "password": PASSWORD},
                            REMOTE_ADDR="198.51.100.9")
    assert elsewhere.status_code == 302


def test_the_per_address_limit_is_configurable(world, client, settings):
    settings.BLUELIGHT_LOGIN_ADDRESS_FAILURE_LIMIT = 3
    for i in range(3):
        client.post(reverse("login"), {"username": f"guess{i}", "password": "wrong"})
    assert client.post(reverse("login"), {"username": "alice", "password": PASSWORD}) \
        .status_code == 429


def test_logging_in_to_one_account_does_not_clear_failures_against_others(world, client):
    from django.conf import settings

    limit = settings.BLUELIGHT_LOGIN_ADDRESS_FAILURE_LIMIT
    for i in range(limit - 1):
        client.post(reverse("login"), {"username": f"guess{i}", "password": "wrong"})
    assert client.post(reverse("login"), {"username": "bob", "password": PASSWORD}) \
        .status_code == 302
    client.logout()
    response = client.post(reverse("login"), {"username": "guess-last", "password": "wrong"})
    assert response.status_code == 429


def test_client_address_behind_a_proxy_is_the_one_the_proxy_saw(rf, settings):
    from bluelight.throttle import client_address

    request = rf.get("/", REMOTE_ADDR="10.0.0.2",
                     HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")
    assert client_address(request) == "10.0.0.2"  # no proxy configured: the connection
    settings.BLUELIGHT_PROXY_COUNT = 1
    assert client_address(request) == "203.0.113.7"  # not the entry the client wrote


# --------------------------------------------------------------------------- Cache-Control


def _no_store(response) -> bool:
    return "no-store" in response.headers.get("Cache-Control", "")


def test_private_pages_and_downloads_are_never_stored(world, login, submit_answers):
    from tests.conftest import full_answers

    alpha = world.rounds["Alpha"]
    submit_answers(alpha, world.agencies["Alpha Fire"], full_answers())
    submit_answers(alpha, world.agencies["Alpha Police"], full_answers())
    client = login(world.user("alice"))
    pages = {
        "dashboard": reverse("results:round", kwargs={"round_id": alpha.pk}),
        "download": reverse("results:xlsx", kwargs={"round_id": alpha.pk}),
        "answers file": reverse("rounds:answers_csv", kwargs={"round_id": alpha.pk}),
        "home": reverse("home"),
    }
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert _no_store(response), name
        assert "private" in response.headers["Cache-Control"], name


def test_the_questionnaire_is_never_stored(world, login):
    client = login(world.user("carol"))
    url = reverse("questionnaire:section", kwargs={
        "round_id": world.rounds["Beta"].pk, "agency_id": world.agencies["Beta Ambulance"].pk,
        "section": "enablers"})
    response = client.get(url)
    assert response.status_code == 200 and _no_store(response)
    saved = client.post(url, {"revision": 0, "action": "save", "E1-value": "3"})
    assert saved.status_code == 302 and _no_store(saved)


def test_research_pages_are_never_stored(world, login):
    response = login(world.user("rita")).get(reverse("research:page"))
    assert response.status_code == 200 and _no_store(response)


def test_public_pages_for_visitors_keep_their_caching(client, framework):
    response = client.get(reverse("framework:page"))
    assert response.status_code == 200 and not _no_store(response)
