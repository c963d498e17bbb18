"""Each role reaches its pages and is refused the others."""

import pytest
from django.urls import reverse


@pytest.mark.parametrize("name", ["home", "framework:page", "login"])
def test_public_pages_are_open_to_anonymous_users(client, framework, name):
    assert client.get(reverse(name)).status_code == 200


def test_framework_page_explains_the_framework(client, framework):
    page = client.get(reverse("framework:page")).content.decode()
    for text in ["Clear and shared vision", "Inconsistent direction from government departments",
                 "Clear vision", "Consistency", "Culture", "Level 1", "Level 3",
                 "Police devolution", "as published",
                 "from 1 (Not in place) to 5 (Fully in place)",
                 "from 1 (Strongly oppose) to 5 (Strongly support)"]:
        assert text in page


def test_password_change_needs_login(client, framework):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ["alice", "rita", "nobody"])
def test_admin_site_refuses_everyone_but_administrators(world, login, name):
    response = login(world.user(name)).get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_admin_site_refuses_staff_without_the_administrator_role(world, login):
    staff = world.user("rita")
    staff.is_staff = True
    staff.save()
    assert login(staff).get(reverse("admin:index")).status_code == 302


def test_administrator_reaches_the_admin_and_sees_definitions(world, login):
    page = login(world.user("adam")).get(reverse("admin:index"))
    assert page.status_code == 200
    assert "Frameworks" in page.content.decode()


def test_home_tells_each_role_what_to_do_next(world, login, client):
    alice = login(world.user("alice")).get(reverse("home")).content.decode()
    assert "Alpha Police in Alpha" in alice
    assert "Open the administration" not in alice
    rita = login(world.user("rita")).get(reverse("home")).content.decode()
    assert "review submitted results across partnerships" in rita
    assert "Alpha Police" not in rita
    adam = login(world.user("adam")).get(reverse("home")).content.decode()
    assert "Open the administration" in adam
    nobody = login(world.user("nobody")).get(reverse("home")).content.decode()
    assert "Your account has no role yet" in nobody


def test_login_with_a_demo_style_account_lands_home(world, client):
    from tests.conftest import PASSWORD

    response = client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    client.logout()
    bad = client.post(reverse("login"), {"username": "alice", "password": "wrong"})
    assert "The username or password is not right" in bad.content.decode()
