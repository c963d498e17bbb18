"""Framework versions (survey's instrument) as the plain specs the scoring module takes."""

from collections import defaultdict
from collections.abc import Sequence

from django.core.cache import cache
from django.db.models import Prefetch
from django.utils.translation import get_language

from survey.framework.selectors import framework_items
from survey.framework.views import framework_cache_generation
from survey.models import Framework, Item, Scale

from .scoring import FactorSpec, FrameworkSpec, OptionSpec, Thresholds

SPEC_SECONDS = 60 * 60 * 24


def framework_is_immutable(framework: Framework) -> bool:
    """Published and retired versions are immutable (their items are locked); drafts
    change, and nothing made from them is cached."""
    return framework.status != Framework.Status.DRAFT and framework.published_at is not None


_cacheable = framework_is_immutable


def _version_key(kind: str, framework: Framework, generation: str) -> str:
    return (f"bluelight:framework:{kind}:v1:{generation}:{framework.pk}:"
            f"{framework.published_at.timestamp()}")


def _key(kind: str, framework: Framework, generation: str) -> str:
    key = _version_key(kind, framework, generation)
    return f"{key}:{get_language()}"  # the spec holds titles in the active language


def framework_definitions(*, framework: Framework) -> tuple[list[Item], dict[str, Scale]]:
    """A version's items (in order) and its scales by kind, as the questionnaire shows them.

    A published (or retired) version's are kept in Django's cache, per version (see
    :func:`framework_spec`); a draft's never are, as its items can still be edited.
    One entry serves every language: the cached rows hold every language's text, and
    ``item.title`` gives the active language's when it is read. Each read returns new
    instances (the cache pickles them), so callers may annotate them freely. Without
    the cache: two queries.
    """
    if not _cacheable(framework):
        return _definitions(framework.pk)
    key = _version_key("definitions", framework, framework_cache_generation())
    found = cache.get(key)
    if found is None:
        found = _definitions(framework.pk)
        cache.set(key, found, SPEC_SECONDS)
    return found


def _definitions(framework_id: int) -> tuple[list[Item], dict[str, Scale]]:
    items = list(Item.objects.filter(framework_id=framework_id).order_by("order", "id"))
    scales = {scale.kind: scale for scale in Scale.objects.filter(framework_id=framework_id)}
    return items, scales


def framework_spec(*, framework: Framework, items: list[Item] | None = None) -> FrameworkSpec:
    """The framework version as the plain data the scoring module takes.

    A published (or retired) version's spec is kept in Django's cache, per version
    and language (titles are translated); a draft's never is.
    """
    if items is None and _cacheable(framework):
        key = _key("spec", framework, framework_cache_generation())
        spec = cache.get(key)
        if spec is None:
            spec = _spec(framework, framework_items(framework=framework))
            cache.set(key, spec, SPEC_SECONDS)
        return spec
    items = framework_items(framework=framework) if items is None else items
    return _spec(framework, items)


def _spec(framework: Framework, items: list[Item]) -> FrameworkSpec:
    factors = tuple(
        FactorSpec(code=i.code, kind=i.kind, title=i.title, weight=i.weight, theme=i.theme)
        for i in items if i.is_factor
    )
    options = tuple(
        OptionSpec(code=i.code, title=i.title, published_level=i.published_level,
                   enablers=tuple(e.code for e in i.enablers.all()),
                   barriers=tuple(b.code for b in i.barriers.all()))
        for i in items if i.kind == Item.Kind.OPTION
    )
    thresholds = Thresholds(**{f: getattr(framework, f) for f in Framework.THRESHOLD_FIELDS})
    return FrameworkSpec(code=framework.code, factors=factors, options=options,
                         thresholds=thresholds)


class LazyItems(Sequence):
    """The items of some framework versions, fetched (three queries) on first use."""

    def __init__(self, fetch):
        self._fetch, self._items = fetch, None

    def _all(self) -> list[Item]:
        if self._items is None:
            self._items = self._fetch()
        return self._items

    def __getitem__(self, index):
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())

    def __iter__(self):
        return iter(self._all())


def framework_specs(*, frameworks: dict[int, Framework]) -> tuple[dict[int, FrameworkSpec],
                                                                   Sequence[Item]]:
    """Specs of several framework versions (by id) from one fetch of their items.

    Three queries whatever the number of versions; also returns the items. The specs
    of published versions are cached (see :func:`framework_spec`): when every one is,
    no query is made, and the items are fetched only if the caller reads them.
    """
    generation = framework_cache_generation()
    keys = {fid: _key("spec", fw, generation) for fid, fw in frameworks.items()
            if _cacheable(fw)}
    if keys and len(keys) == len(frameworks):
        found = cache.get_many(list(keys.values()))
        if len(found) == len(keys):
            return ({fid: found[key] for fid, key in keys.items()},
                    LazyItems(lambda: _framework_items(frameworks)))
    items = _framework_items(frameworks)
    by_framework: dict[int, list[Item]] = defaultdict(list)
    for item in items:
        by_framework[item.framework_id].append(item)
    specs = {fid: _spec(fw, by_framework[fid]) for fid, fw in frameworks.items()}
    cache.set_many({keys[fid]: specs[fid] for fid in keys}, SPEC_SECONDS)
    return specs, items


def _framework_items(frameworks: dict[int, Framework]) -> list[Item]:
    ordered = Item.objects.order_by("order", "id")
    return list(Item.objects.filter(framework_id__in=list(frameworks))
                .order_by("framework_id", "order", "id")
                .prefetch_related(Prefetch("enablers", queryset=ordered),
                                  Prefetch("barriers", queryset=ordered)))
