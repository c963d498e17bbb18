"""The public framework pages: the current version, and each earlier version.

The page changes only when a version is published (or retired), so its content is
rendered once per version and language and kept in Django's cache (shared between
hosts with Redis). The key carries a generation token that every save or delete of a
framework replaces (again when the change commits), and, with the default
local-memory cache (one per process), a stamp of the public versions read in one
small query, so that a publication made in another process is seen too:
publishing invalidates every cached page. Drafts are never public, so never
cached. The header and footer (who is logged in, the CSRF token) are rendered on
each request around the cached content.
"""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max, Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template import engines
from django.template.context import make_context
from django.template.loader_tags import BlockNode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from survey.models import Framework, Item

from .selectors import (
    framework_items,
    framework_status_label,
    framework_version,
    framework_versions,
)

GENERATION_KEY = "bluelight:framework:generation"
PAGE_SECONDS = 60 * 60 * 24
TEMPLATE = "survey/framework.html"
# The page template itself, with its content block replaced by the cached content.
_WRAPPER = ('{% extends "survey/framework.html" %}'
            '{% block content %}{{ framework_content }}{% endblock %}')
_wrapper = None


def framework_cache_generation() -> str:
    """A token that changes whenever a framework version is saved or deleted."""
    token = cache.get(GENERATION_KEY)
    if token is None:
        token = uuid.uuid4().hex
        if not cache.add(GENERATION_KEY, token, None):
            token = cache.get(GENERATION_KEY) or token
    return token


@receiver(post_save, sender=Framework, dispatch_uid="bluelight_framework_generation_save")
@receiver(post_delete, sender=Framework, dispatch_uid="bluelight_framework_generation_del")
def _framework_changed(sender, **kwargs):
    framework_cache_invalidate()


def framework_cache_invalidate() -> None:
    """Drop what is cached of every framework version (a new generation token): for a
    save or delete of a framework, and for texts written past the model (translations)."""
    _bump()
    # Again once committed: a page rendered meanwhile from the old state is not kept.
    transaction.on_commit(_bump)


def _bump():
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def _shared_cache() -> bool:
    """Redis (or any cache every process shares) sees every bump of the token."""
    return "locmem" not in settings.CACHES["default"]["BACKEND"].lower()


def _published_stamp() -> str:
    """What the public versions are, in one small query: it changes when a version is
    published or retired, in any process, and after a rolled-back publication."""
    facts = Framework.objects.exclude(status=Framework.Status.DRAFT).aggregate(
        n=Count("id"), top=Max("id"), last=Max("published_at"),
        published=Count("id", filter=Q(status=Framework.Status.PUBLISHED)))
    last = facts["last"].timestamp() if facts["last"] else 0
    return f"{facts['n']}.{facts['published']}.{facts['top']}.{last}"


def _page_key(which: str) -> str:
    stamp = "shared" if _shared_cache() else _published_stamp()
    return (f"bluelight:framework:page:{framework_cache_generation()}:{stamp}:"
            f"{which}:{get_language()}")


def framework_page(request):
    """Public page explaining the current published framework."""
    key = _page_key("current")
    content = cache.get(key)
    if content is not None:
        return _wrapped(request, content)
    return _render(request, Framework.objects.current(), key=key)


def framework_version_page(request, code: str, version: int):
    """One published or retired version, as it was published (rounds opened on it
    keep scoring with it). Drafts are not public."""
    key = _page_key(f"{code}:{version}")
    content = cache.get(key)
    if content is not None:
        return _wrapped(request, content)
    framework = framework_version(code=code, version=version)
    if framework is None:
        raise Http404
    return _render(request, framework, key=key)


def _wrapped(request, content: str):
    global _wrapper
    if _wrapper is None:
        _wrapper = engines["django"].from_string(_WRAPPER)
    content = mark_safe(content)  # noqa: S308 - rendered by our own template above
    return HttpResponse(_wrapper.render({"framework_content": content}, request=request))


def _render(request, framework: Framework | None, *, key: str):
    if framework is None:  # nothing published yet: not cached
        return render(request, TEMPLATE, {"framework": None})
    content = _content(request, _context(framework))
    cache.set(key, content, PAGE_SECONDS)
    return _wrapped(request, content)


def _content(request, context: dict) -> str:
    """The page's content block alone (it reads no request or user)."""
    template = engines["django"].get_template(TEMPLATE).template
    block = next(n for n in template.nodelist.get_nodes_by_type(BlockNode)
                 if n.name == "content")
    ctx = make_context(context, request)
    with ctx.bind_template(template):
        return block.nodelist.render(ctx)


def _context(framework: Framework) -> dict:
    context = {"framework": framework}
    if framework is not None:
        current = Framework.objects.current()
        items = framework_items(framework=framework)
        options = [i for i in items if i.kind == Item.Kind.OPTION]
        context.update(
            current=current,
            is_current=current is not None and current.pk == framework.pk,
            versions=_versions(framework.code),
            enablers=[i for i in items if i.kind == Item.Kind.ENABLER],
            barriers=[i for i in items if i.kind == Item.Kind.BARRIER],
            themes=[
                (label, [i for i in items if i.is_factor and i.theme == value])
                for value, label in Item.Theme.choices
            ],
            levels=[
                (level, [o for o in options if o.published_level == level])
                for level in (1, 2, 3)
            ],
            scales={s.kind: s for s in framework.scales.all()},
        )
    return context


def _versions(code: str) -> list[dict]:
    """Each public version, newest first, with its status in words and the date the
    next version replaced it for new rounds."""
    versions = framework_versions(code=code)
    rows = []
    for newer, version in zip([None, *versions], versions, strict=False):
        rows.append({"framework": version, "status": framework_status_label(version),
                     "superseded_at": newer.published_at if newer is not None else None})
    return rows
