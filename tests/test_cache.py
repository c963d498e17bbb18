"""The cache (issue 13): local memory by default, Redis when REDIS_URL is set.

Cached: the public framework page per version and language, the spec of a published
framework version, and (per request, on the user object) a user's roles. Publishing a
new version must change the page at once. Run against a real Redis too:
``REDIS_URL=redis://127.0.0.1:6379/1 .venv/bin/python -m pytest tests/test_cache.py``.
"""

import os
import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from assessments.frameworks import framework_spec
from survey.framework.services import framework_new_draft, framework_publish
from survey.models import Framework, Item


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()
    translation.deactivate()


def test_the_backend_follows_redis_url():
    backend = settings.CACHES["default"]["BACKEND"]
    if os.environ.get("REDIS_URL"):
        assert backend == "django.core.cache.backends.redis.RedisCache"
        assert settings.CACHES["default"]["LOCATION"] == os.environ["REDIS_URL"]
    else:
        assert backend == "django.core.cache.backends.locmem.LocMemCache"
    cache.set("bluelight:test", {"a": [1, 2.5, None]}, 30)
    assert cache.get("bluelight:test") == {"a": [1, 2.5, None]}


def unmasked(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def version_shown(html):
    return re.search(r"version (\d+)\.", html).group(1)


def test_the_framework_page_is_served_from_the_cache(world, client):
    url = reverse("framework:page")
    first = client.get(url).content.decode()
    with CaptureQueriesContext(connection) as ctx:
        second = client.get(url).content.decode()
    assert unmasked(second) == unmasked(first)  # the same page but its CSRF token
    # None with Redis; with local memory, the stamp of the public versions.
    assert len(ctx) <= (0 if os.environ.get("REDIS_URL") else 1), [q["sql"] for q in ctx]
    assert version_shown(second) == "1"


def test_publishing_a_new_version_changes_the_page(world, client):
    url = reverse("framework:page")
    old_url = reverse("framework:version", args=["esc-2015", 1])
    assert version_shown(client.get(url).content.decode()) == "1"
    assert 'id="earlier-version"' not in client.get(old_url).content.decode()

    draft = framework_new_draft(framework=world.framework)
    # A draft is not public: the page and its cache are unchanged.
    assert version_shown(client.get(url).content.decode()) == "1"
    framework_publish(framework=draft)

    html = client.get(url).content.decode()
    assert version_shown(html) == "2"
    assert 'id="earlier-version"' in client.get(old_url).content.decode()


@pytest.mark.skipif(bool(os.environ.get("REDIS_URL")),
                    reason="with a shared cache every process sees the token change")
def test_a_publication_from_another_process_is_seen(world, client):
    """Another host publishing (here: the generation token left as it was) still
    changes the page: the key holds a stamp of the public versions."""
    url = reverse("framework:page")
    assert version_shown(client.get(url).content.decode()) == "1"
    draft = framework_new_draft(framework=world.framework)
    token = cache.get("bluelight:framework:generation")
    framework_publish(framework=draft)
    cache.set("bluelight:framework:generation", token, None)  # as if no signal ran here
    assert version_shown(client.get(url).content.decode()) == "2"


def test_the_page_is_cached_per_language(world, client):
    url = reverse("framework:page")
    english = client.get(url).content.decode()
    client.post(reverse("set_language"), {"language": "cy", "next": "/"})
    welsh = client.get(url).content.decode()
    assert '<html lang="cy">' in welsh
    assert welsh != english


def test_the_header_is_rendered_for_each_visitor(world, client, login):
    url = reverse("framework:page")
    anonymous = client.get(url).content.decode()
    assert "Log out" not in anonymous
    signed_in = login(world.user("alice")).get(url).content.decode()
    assert "Log out alice" in signed_in


def test_a_published_spec_is_cached_and_a_draft_never(world, django_assert_num_queries):
    framework = Framework.objects.get(pk=world.framework.pk)
    spec = framework_spec(framework=framework)
    with django_assert_num_queries(0):
        assert framework_spec(framework=framework) == spec
    draft = framework_new_draft(framework=framework)
    before = framework_spec(framework=draft)
    item = Item.objects.get(framework=draft, code="E1")
    item.weight = 7
    item.save()
    after = framework_spec(framework=draft)
    assert after != before
    assert {f.code: f.weight for f in after.factors}["E1"] == 7


def test_the_spec_is_cached_per_language(world):
    framework = Framework.objects.get(pk=world.framework.pk)
    with translation.override("en-gb"):
        english = {f.code: f.title for f in framework_spec(framework=framework).factors}
    with translation.override("cy"):
        welsh = {f.code: f.title for f in framework_spec(framework=framework).factors}
    assert english["E1"] != welsh["E1"]


def test_roles_are_read_once_per_request(world, login):
    """The role checks (view decorators, the navigation's context processor, the home
    page) share one query for the user's groups."""
    client = login(world.user("alice"))
    client.get(reverse("home"))  # the session's first request
    for name in ("home", "framework:page"):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(name)).status_code == 200
        groups = [q["sql"] for q in ctx if "auth_group" in q["sql"]]
        assert len(groups) == 1, (name, groups)
