"""The starting suggestions of KPIs (``fixtures/kpi_suggestions.json``): ours, not from the
2015 research, two per option; loaded by ``manage.py load_kpi_suggestions``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import translation

from assessments.kpis.models import SuggestedKpi

DEFAULT_FILE = Path(settings.BASE_DIR) / "fixtures" / "kpi_suggestions.json"
TEXTS = ("name", "unit", "description")


@dataclass(frozen=True)
class SuggestionsLoaded:
    created: list[str]  # keys
    unchanged: int


@transaction.atomic
def suggestions_load(*, path: Path = DEFAULT_FILE) -> SuggestionsLoaded:
    """Create the suggestions of the file that are not stored yet (matched by ``key``).

    Idempotent: one already stored is left exactly as it is (an administrator may have
    edited it). Every new suggestion is validated first and marked ``shipped``.
    """
    doc = json.loads(Path(path).read_text(encoding="utf-8"))
    stored = set(SuggestedKpi.objects.values_list("key", flat=True))
    created = []
    unchanged = 0
    for entry in doc["suggestions"]:
        if entry["key"] in stored:
            unchanged += 1
            continue
        with translation.override("en-gb"):
            suggestion = SuggestedKpi(
                key=entry["key"], option_code=entry["option_code"],
                direction=entry["direction"], period=entry["period"],
                order=entry.get("order", 0), shipped=True,
                **{name: entry[name]["en-gb"] for name in TEXTS})
            for name in TEXTS:
                setattr(suggestion, f"{name}_en_gb", entry[name]["en-gb"])
                setattr(suggestion, f"{name}_cy", entry[name].get("cy") or None)
            suggestion.full_clean()
            suggestion.save()
        stored.add(suggestion.key)
        created.append(suggestion.key)
    return SuggestionsLoaded(created=created, unchanged=unchanged)
