"""Writes on the instrument: load the published framework, copy a draft, publish."""

import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from survey.framework.views import framework_cache_invalidate
from survey.models import Framework, Item, Scale

DEFAULT_FRAMEWORK_FILE = Path(settings.BASE_DIR) / "fixtures" / "framework-esc-2015.json"

_KINDS = (("enablers", Item.Kind.ENABLER), ("barriers", Item.Kind.BARRIER),
          ("options", Item.Kind.OPTION))


def framework_definition(framework: Framework) -> dict:
    with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        return _framework_definition(framework)


def _framework_definition(framework: Framework) -> dict:
    """A framework as the plain document the fixture file holds (for comparison)."""
    items = list(framework.items.prefetch_related("enablers", "barriers").order_by("order", "id"))
    doc = {
        "code": framework.code,
        "version": framework.version,
        "title": framework.title,
        "source": framework.source,
        "thresholds": {f: getattr(framework, f) for f in Framework.THRESHOLD_FIELDS},
        "scales": {
            s.kind: {"question": s.question, "labels": [label for _, label in s.labels]}
            for s in framework.scales.all()
        },
    }
    for key, kind in _KINDS:
        doc[key] = []
        for item in (i for i in items if i.kind == kind):
            entry = {"code": item.code, "title": item.title, "description": item.description,
                     "help_text": item.help_text}
            if kind == Item.Kind.OPTION:
                entry["published_level"] = item.published_level
                entry["enablers"] = [e.code for e in item.enablers.all()]
                entry["barriers"] = [b.code for b in item.barriers.all()]
            else:
                entry["theme"] = item.theme
                entry["weight"] = item.weight
            doc[key].append(entry)
    return doc


def _normalise(doc: dict) -> dict:
    """Fill the defaults a fixture may leave out, so two documents compare fairly."""
    doc = json.loads(json.dumps(doc))
    doc.setdefault("source", "")
    doc["thresholds"] = {f: float(doc.get("thresholds", {}).get(f, Framework._meta.get_field(f)
                                                                .default))
                         for f in Framework.THRESHOLD_FIELDS}
    for key, kind in _KINDS:
        for entry in doc.get(key, []):
            entry.setdefault("description", "")
            entry.setdefault("help_text", entry["description"] if kind == "option" else "")
            if kind == Item.Kind.OPTION:
                entry.setdefault("enablers", [])
                entry.setdefault("barriers", [])
            else:
                entry["weight"] = float(entry.get("weight", 1.0))
    return doc


@transaction.atomic
def framework_load(*, path: Path = DEFAULT_FRAMEWORK_FILE, publish: bool = True) -> tuple[
        Framework, bool]:
    """Load a framework document; returns (framework, created).

    Idempotent: when the same code and version are already stored with the same
    definitions nothing is written. A stored version whose definitions differ is
    refused, because a loaded version may already have answers.
    """
    doc = _normalise(json.loads(Path(path).read_text(encoding="utf-8")))
    existing = Framework.objects.filter(code=doc["code"], version=doc["version"]).first()
    if existing is not None:
        if _normalise(framework_definition(existing)) != doc:
            raise ValidationError(
                _("Framework %(code)s version %(version)s is already loaded with different "
                  "definitions. Give the file a new version number, or edit a new draft in "
                  "the admin.") % {"code": doc["code"], "version": doc["version"]})
        framework_translations_load(framework=existing)
        return existing, False
    # The English texts go in the English columns, whatever language is active.
    with translation.override(settings.MODELTRANSLATION_DEFAULT_LANGUAGE):
        framework = _framework_create(doc)
    framework_translations_load(framework=framework)
    if publish:
        framework = framework_publish(framework=framework)
    return framework, True


def _framework_create(doc: dict) -> Framework:
    framework = Framework(code=doc["code"], version=doc["version"], title=doc["title"],
                          source=doc["source"], **doc["thresholds"])
    framework.full_clean()
    framework.save()
    for kind, scale in doc["scales"].items():
        labels = {f"label_{i}": label for i, label in enumerate(scale["labels"], start=1)}
        Scale.objects.create(framework=framework, kind=kind, question=scale["question"],
                             **labels)
    by_code = {}
    order = 0
    for key, kind in _KINDS:
        for entry in doc[key]:
            order += 1
            item = Item(framework=framework, kind=kind, code=entry["code"],
                        title=entry["title"], description=entry["description"],
                        help_text=entry["help_text"], order=order,
                        theme=entry.get("theme", ""), weight=entry.get("weight", 1.0),
                        published_level=entry.get("published_level"))
            item.full_clean(exclude=["framework"])
            item.save()
            by_code[item.code] = item
            if kind == Item.Kind.OPTION:
                item.enablers.set([by_code[c] for c in entry["enablers"]])
                item.barriers.set([by_code[c] for c in entry["barriers"]])
    return framework


def translation_file(*, code: str, language: str) -> Path:
    """Where the texts of framework ``code`` in ``language`` are kept (may not exist)."""
    return Path(settings.BASE_DIR) / "fixtures" / f"framework-{code}.{language}.json"


def translation_updates(doc: dict) -> tuple[dict[str, dict], dict[str, dict]]:
    """Column values of a translation document: ({item code: {...}}, {scale kind: {...}}).

    ``{"items": {"E1": {"title": ..., "description": ..., "help_text": ...}},
    "scales": {"enabler": {"question": ..., "labels": [5 labels]}}}``; an option
    without its own help text shows its description, as in English.
    """
    language = doc["language"].replace("-", "_")
    items = {}
    for code, texts in doc.get("items", {}).items():
        texts = dict(texts)
        if "help_text" not in texts and "description" in texts:
            texts["help_text"] = texts["description"]
        items[code] = {f"{name}_{language}": texts[name]
                       for name in ("title", "description", "help_text") if name in texts}
    scales = {}
    for kind, texts in doc.get("scales", {}).items():
        values = {f"question_{language}": texts["question"]}
        if len(texts["labels"]) != 5:
            raise ValidationError(_("The %(kind)s scale needs its 5 labels in %(language)s.")
                                  % {"kind": kind, "language": doc["language"]})
        values.update({f"label_{i}_{language}": label
                       for i, label in enumerate(texts["labels"], start=1)})
        scales[kind] = values
    return items, scales


@transaction.atomic
def framework_translations_load(*, framework: Framework) -> int:
    """Store the framework's titles, help texts and scale labels in the other languages.

    Reads ``fixtures/framework-<code>.<language>.json`` for each language but
    English, where it exists. A translation adds text beside the English
    definition and changes nothing that scores or exports use (codes, kinds,
    levels, links), so it is written on a published version too: by queryset
    ``update()``, past the model's edit lock (which guards the definition) and
    without a history entry. Idempotent. Returns the number of rows written.
    """
    written = 0
    default = settings.MODELTRANSLATION_DEFAULT_LANGUAGE
    for language, _name in settings.LANGUAGES:
        path = translation_file(code=framework.code, language=language)
        if language == default or not path.exists():
            continue
        items, scales = translation_updates(json.loads(path.read_text(encoding="utf-8")))
        # A code this version does not have (a later version dropped it) is skipped.
        for code, values in items.items():
            written += framework.items.filter(code=code).update(**values)
        for kind, values in scales.items():
            written += framework.scales.filter(kind=kind).update(**values)
    if written:
        # Past the model, so past the signal that drops the cached texts of the version
        # (its page, its scoring spec, its items for the questionnaire).
        framework_cache_invalidate()
    return written


@transaction.atomic
def framework_new_draft(*, framework: Framework) -> Framework:
    """Copy a framework whole (thresholds, scales, items, links) into a new draft version."""
    latest = Framework.objects.filter(code=framework.code).order_by("-version").first()
    draft = Framework.objects.get(pk=framework.pk)
    draft.pk = None
    draft.id = None
    draft._state.adding = True
    draft.version = latest.version + 1
    draft.status = Framework.Status.DRAFT
    draft.published_at = None
    draft.created_from = framework
    draft.save()
    for scale in framework.scales.all():
        scale.pk = None
        scale.framework = draft
        scale.save()
    sources = list(framework.items.prefetch_related("enablers", "barriers"))
    copies = {}
    for item in sources:
        links = (list(item.enablers.all()), list(item.barriers.all()))
        item._prefetched_objects_cache = {}
        item.pk = None
        item.framework = draft
        item.save()
        copies[item.code] = (item, links)
    for item, (enablers, barriers) in copies.values():
        item.enablers.set([copies[e.code][0] for e in enablers])
        item.barriers.set([copies[b.code][0] for b in barriers])
    return draft


@transaction.atomic
def framework_publish(*, framework: Framework) -> Framework:
    """Publish a draft: it becomes current for new rounds; older versions are retired.

    Rounds already opened keep the version they were opened with.
    """
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    if framework.status != Framework.Status.DRAFT:
        raise ValidationError(_("Only a draft can be published."))
    problems = framework_problems(framework=framework)
    if problems:
        raise ValidationError(problems)
    for older in Framework.objects.filter(code=framework.code,
                                          status=Framework.Status.PUBLISHED):
        older.status = Framework.Status.RETIRED
        older.save()
    framework.status = Framework.Status.PUBLISHED
    framework.published_at = timezone.now()
    framework.save()
    return framework


def framework_problems(*, framework: Framework) -> list[str]:
    """What stops a draft from being published, in words an administrator can act on."""
    problems = []
    items = list(framework.items.all())
    kinds = {item.kind for item in items}
    for kind, label in Item.Kind.choices:
        if kind not in kinds:
            problems.append(_("It has no %(kind)s.") % {"kind": label.lower()})
    scales = set(framework.scales.values_list("kind", flat=True))
    for kind, label in Item.Kind.choices:
        if kind not in scales:
            problems.append(_("The rating scale for %(kind)s is missing.") % {
                "kind": label.lower()})
    try:
        framework.full_clean()
    except ValidationError as exc:
        problems.extend(exc.messages)
    for item in items:
        try:
            item.full_clean(exclude=["framework"])
        except ValidationError as exc:
            problems.extend(f"{item.code}: {m}" for m in exc.messages)
    return problems
