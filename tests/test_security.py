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
