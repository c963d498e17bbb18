"""Framework versions (survey's instrument) as the plain specs the scoring module takes."""

from collections import defaultdict

from django.db.models import Prefetch

from survey.framework.selectors import framework_items
from survey.models import Framework, Item

from .scoring import FactorSpec, FrameworkSpec, OptionSpec, Thresholds


def framework_spec(*, framework: Framework, items: list[Item] | None = None) -> FrameworkSpec:
    """The framework version as the plain data the scoring module takes."""
    items = framework_items(framework=framework) if items is None else items
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


def framework_specs(*, frameworks: dict[int, Framework]) -> tuple[dict[int, FrameworkSpec],
                                                                   list[Item]]:
    """Specs of several framework versions (by id) from one fetch of their items.

    Three queries whatever the number of versions; also returns the items.
    """
    ordered = Item.objects.order_by("order", "id")
    items = list(Item.objects.filter(framework_id__in=list(frameworks))
                 .order_by("framework_id", "order", "id")
                 .prefetch_related(Prefetch("enablers", queryset=ordered),
                                   Prefetch("barriers", queryset=ordered)))
    by_framework: dict[int, list[Item]] = defaultdict(list)
    for item in items:
        by_framework[item.framework_id].append(item)
    specs = {fid: framework_spec(framework=fw, items=by_framework[fid])
             for fid, fw in frameworks.items()}
    return specs, items
