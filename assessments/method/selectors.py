"""Reads for the method page: which framework version it shows, and that version's data."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext as _

from assessments.frameworks import framework_spec
from assessments.scoring import FrameworkSpec
from survey.framework.selectors import framework_items
from survey.models import Framework, Item, Scale


def method_framework(*, code: str | None, version: int | None,
                     drafts: bool = False) -> Framework | None:
    """The version the page shows: the current published one when ``code`` is None.

    Published and retired versions are public (rounds use them); a draft is shown
    only when ``drafts`` (administrators preview their changes). Unknown: 404.
    """
    if code is None:
        return Framework.objects.current()
    shown = Framework.objects.filter(code=code, version=version)
    if not drafts:
        shown = shown.exclude(status=Framework.Status.DRAFT)
    found = shown.first()
    if found is None:
        raise Http404(_("No such framework version."))
    return found


@dataclass(frozen=True)
class Threshold:
    name: str
    label: str
    value: float


@dataclass(frozen=True)
class ScaleRow:
    label: str  # the kind of item, in words
    question: str
    labels: list[str]  # of the answers 1 to 5


@dataclass(frozen=True)
class Link:
    option: Item
    enablers: list[Item]
    barriers: list[Item]


@dataclass(frozen=True)
class MethodData:
    framework: Framework
    spec: FrameworkSpec
    thresholds: list[Threshold]
    links: list[Link]
    factors: list[Item]
    scales: dict[str, dict[int, str]]  # kind -> {answer: label}
    scale_rows: list[ScaleRow]
    versions: list[Framework]  # the other public versions of the same framework

    @property
    def equal_weights(self) -> float | None:
        """The one weight every enabler and barrier has, if they all have the same."""
        weights = {f.weight for f in self.factors}
        return weights.pop() if len(weights) == 1 else None


def method_data(*, framework: Framework) -> MethodData:
    """The version's thresholds, links, weights and scales, as stored (five queries)."""
    items = framework_items(framework=framework)
    scales = {s.kind: s for s in Scale.objects.filter(framework=framework)}
    return MethodData(
        framework=framework,
        spec=framework_spec(framework=framework, items=items),
        thresholds=[Threshold(name=f, label=str(Framework._meta.get_field(f).verbose_name),
                              value=getattr(framework, f))
                    for f in Framework.THRESHOLD_FIELDS],
        links=[Link(option=i, enablers=list(i.enablers.all()), barriers=list(i.barriers.all()))
               for i in items if i.kind == Item.Kind.OPTION],
        factors=[i for i in items if i.is_factor],
        scales={kind: dict(s.labels) for kind, s in scales.items()},
        scale_rows=[ScaleRow(label=str(label), question=scales[kind].question,
                             labels=[text for _n, text in scales[kind].labels])
                    for kind, label in Item.Kind.choices if kind in scales],
        versions=list(Framework.objects.filter(code=framework.code)
                      .exclude(status=Framework.Status.DRAFT).exclude(pk=framework.pk)
                      .order_by("-version")),
    )
