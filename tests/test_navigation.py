"""The menu marks the page you are on (aria-current), for every namespaced page."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("name", "label"), [
    ("framework:page", "The framework"),
    ("results:list", "Results"),
    ("research:page", "Across partnerships"),
    ("surveys:list", "National surveys"),
    ("rounds:list", "Rounds and answer files"),
])
def test_the_current_page_is_marked_in_the_menu(world, login, name, label):
    page = login(world.user("adam")).get(reverse(name)).content.decode()
    current = re.findall(
        r'<a class="(?:nav-link|dropdown-item)" href="([^"]+)" aria-current="page">([^<]+)</a>',
        page)
    assert current == [(reverse(name), label)]
