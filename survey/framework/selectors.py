"""Reads on the instrument shared by several views and commands."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from survey.models import Framework, Item, Scale

# Rounds live in the assessments app, which this app never imports: they are
# reached through the reverse relation ``Framework.rounds``, whose status "open"
# means not yet closed by an administrator.
OPEN_ROUNDS = Count("rounds", filter=Q(rounds__status="open"), distinct=True)


def framework_items(*, framework: Framework) -> list[Item]:
    """All items of a framework in order, with their links, in three queries."""
    return list(
        framework.items.order_by("order", "id").prefetch_related(
            Prefetch("enablers", queryset=Item.objects.order_by("order", "id")),
            Prefetch("barriers", queryset=Item.objects.order_by("order", "id")),
        )
    )


def frameworks_with_use(queryset: QuerySet | None = None) -> QuerySet:
    """Frameworks annotated with ``open_rounds``: how many rounds not yet closed use each."""
    queryset = Framework.objects.all() if queryset is None else queryset
    return queryset.annotate(open_rounds=OPEN_ROUNDS)


def framework_open_rounds(*, framework: Framework) -> int:
    """How many rounds not yet closed use this version (annotated or counted)."""
    annotated = getattr(framework, "open_rounds", None)
    if annotated is not None:
        return annotated
    return framework.rounds.filter(status="open").count()


def framework_status_label(framework: Framework, *, open_rounds: int | None = None) -> str:
    """The version's status in words: a retired version that open rounds still use is
    "superseded" (it still scores those rounds), not "retired"."""
    if framework.status == Framework.Status.RETIRED:
        n = framework_open_rounds(framework=framework) if open_rounds is None else open_rounds
        if n:
            return ngettext("Superseded, still used by %(n)d open round",
                            "Superseded, still used by %(n)d open rounds", n) % {"n": n}
    return framework.get_status_display()


def framework_label(framework: Framework, *, open_rounds: int | None = None) -> str:
    """A version named for people: "Title (v2, Superseded, still used by 1 open round)"."""
    return _("%(title)s (v%(version)s, %(status)s)") % {
        "title": framework.title, "version": framework.version,
        "status": framework_status_label(framework, open_rounds=open_rounds)}


def framework_versions(*, code: str) -> list[Framework]:
    """The published and retired versions of a framework, newest first (drafts are not
    public), each annotated with ``open_rounds``."""
    return list(frameworks_with_use(
        Framework.objects.filter(code=code).exclude(status=Framework.Status.DRAFT)
    ).order_by("-version"))


def framework_version(*, code: str, version: int) -> Framework | None:
    """A published or retired version, or None (drafts are not public)."""
    return (frameworks_with_use(Framework.objects.filter(code=code, version=version))
            .exclude(status=Framework.Status.DRAFT).first())


# --------------------------------------------------------------------------- changes


@dataclass
class Change:
    """One changed definition: what (a field's name), before and after, as text."""

    what: str
    before: str
    after: str


@dataclass
class ItemChanges:
    code: str
    title: str
    changes: list[Change]


@dataclass
class FrameworkChanges:
    """What publishing ``draft`` changes against ``against`` (the published version)."""

    draft: Framework
    against: Framework | None
    added: list[Item] = field(default_factory=list)
    removed: list[Item] = field(default_factory=list)
    changed: list[ItemChanges] = field(default_factory=list)
    framework: list[Change] = field(default_factory=list)  # title, source, thresholds
    scales: list[Change] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.removed or self.changed or self.framework
                    or self.scales)


def _translated(name: str) -> list[tuple[str, str]]:
    """(column, language suffix for people) for each language of a translated field."""
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    columns = []
    for language in settings.MODELTRANSLATION_LANGUAGES:
        column = f"{name}_{language.replace('-', '_')}"
        columns.append((column, "" if language == default else language))
    return columns


def _label(model, name: str, language: str = "") -> str:
    label = str(model._meta.get_field(name).verbose_name)
    label = label[:1].upper() + label[1:]
    if language:
        label = _("%(field)s (%(language)s)") % {
            "field": label, "language": dict(settings.LANGUAGES).get(language, language)}
    return label


def _text(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _compare(model, old, new, names: list[str], *, translated=()) -> list[Change]:
    changes = []
    for name in names:
        choices = dict(model._meta.get_field(name).flatchoices)
        columns = _translated(name) if name in translated else [(name, "")]
        for column, language in columns:
            before, after = getattr(old, column), getattr(new, column)
            if before != after:
                changes.append(Change(_label(model, name, language),
                                      _text(choices.get(before, before)),
                                      _text(choices.get(after, after))))
    return changes


ITEM_FIELDS = ["kind", "title", "description", "help_text", "theme", "weight",
               "published_level"]
ITEM_TRANSLATED = ("title", "description", "help_text")
SCALE_FIELDS = ["question", "label_1", "label_2", "label_3", "label_4", "label_5"]


def _item_links(item: Item, name: str) -> str:
    return ", ".join(i.code for i in getattr(item, name).all()) or "—"


def framework_changes(*, draft: Framework, against: Framework | None = None) -> FrameworkChanges:
    """What changes if ``draft`` is published: items added and removed (by code), each
    kept item's changed texts, level, theme, weight and links, the framework's
    thresholds and the rating scales. ``against`` defaults to the published version of
    the same code (None: the first version, everything is new)."""
    if against is None:
        against = (Framework.objects.filter(code=draft.code, status=Framework.Status.PUBLISHED)
                   .exclude(pk=draft.pk).order_by("-published_at", "-version").first())
    result = FrameworkChanges(draft=draft, against=against)
    new_items = {i.code: i for i in framework_items(framework=draft)}
    if against is None:
        result.added = list(new_items.values())
        return result
    old_items = {i.code: i for i in framework_items(framework=against)}
    result.added = [i for code, i in new_items.items() if code not in old_items]
    result.removed = [i for code, i in old_items.items() if code not in new_items]
    for code, new in new_items.items():
        old = old_items.get(code)
        if old is None:
            continue
        changes = _compare(Item, old, new, ITEM_FIELDS, translated=ITEM_TRANSLATED)
        for name in ("enablers", "barriers"):
            before, after = _item_links(old, name), _item_links(new, name)
            if before != after:
                changes.append(Change(_label(Item, name), before, after))
        if changes:
            result.changed.append(ItemChanges(code=code, title=new.title, changes=changes))
    result.framework = _compare(Framework, against, draft,
                                ["title", "source", *Framework.THRESHOLD_FIELDS])
    old_scales = {s.kind: s for s in against.scales.all()}
    for scale in draft.scales.all():
        old = old_scales.pop(scale.kind, None)
        kind = scale.get_kind_display()
        if old is None:
            result.scales.append(Change(_("%(kind)s scale") % {"kind": kind}, "—",
                                        scale.question))
            continue
        for change in _compare(Scale, old, scale, SCALE_FIELDS, translated=SCALE_FIELDS):
            change.what = _("%(kind)s scale: %(field)s") % {"kind": kind, "field": change.what}
            result.scales.append(change)
    for old in old_scales.values():
        result.scales.append(Change(_("%(kind)s scale") % {"kind": old.get_kind_display()},
                                    old.question, "—"))
    return result
