"""What scoring returns: one round's results (the published JSON document) or many rounds'
as DataFrames, and the rounding the spec writes."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .reasons import Reason

METHOD = "v1"

ReasonText = Callable[[Reason], str]


@dataclass(frozen=True)
class ItemResult:
    """One enabler or barrier combined across the round's agencies."""

    code: str
    kind: str
    title: str
    n: int
    mean: float | None
    min: float | None
    max: float | None
    spread: float | None
    status: str | None
    absent: bool
    divergent: bool
    values: dict[str, float | None] = field(default_factory=dict)  # agency -> answer

    def to_dict(self) -> dict[str, Any]:
        return {"n": self.n, "mean": _display(self.mean, 2), "min": _jsonnum(self.min),
                "max": _jsonnum(self.max), "spread": _jsonnum(self.spread),
                "status": self.status, "absent": self.absent, "divergent": self.divergent}


@dataclass(frozen=True)
class OptionResult:
    """One option's level (``None`` = not rated) and why."""

    code: str
    title: str
    level: int | None
    published_level: int | None
    n: int
    mean: float | None
    spread: float | None
    divergent: bool
    supporters: int
    support_share: float | None
    opposed: int
    opposed_agencies: list[str]
    issues: list[str]  # weak (not absent) enablers, significant barriers: link order
    keys: list[str]  # absent enablers, key barriers: link order
    reasons: list[Reason]
    values: dict[str, float | None] = field(default_factory=dict)  # agency -> answer

    def to_dict(self, reason_text: ReasonText | None = None) -> dict[str, Any]:
        reasons = [r.to_dict(None if reason_text is None else reason_text(r))
                   for r in self.reasons]
        return {"level": self.level, "published_level": self.published_level, "n": self.n,
                "supporters": self.supporters,
                "support_share": _display(self.support_share, 4),
                "opposed": self.opposed, "reasons": reasons}


@dataclass(frozen=True)
class RoundResult:
    """The results of one round; ``to_dict`` is the published JSON document."""

    method: str
    framework: str
    agencies: list[str]
    readiness: float | None
    enabler_score: float | None  # ES, unrounded
    barrier_score: float | None  # BS, unrounded
    items: dict[str, ItemResult]
    options: dict[str, OptionResult]

    def to_dict(self, reason_text: ReasonText | None = None) -> dict[str, Any]:
        """The results document; each reason with its ``text`` made by ``reason_text``
        (without one, reasons carry their parameters instead)."""
        return {"method": self.method, "framework": self.framework,
                "agencies": list(self.agencies), "readiness": self.readiness,
                "items": {c: r.to_dict() for c, r in self.items.items()},
                "options": {c: r.to_dict(reason_text) for c, r in self.options.items()}}


@dataclass(frozen=True)
class BatchResult:
    """Many rounds at once, as DataFrames (see :func:`score_rounds`)."""

    items: pd.DataFrame
    options: pd.DataFrame
    readiness: pd.Series


def to_json(result: RoundResult, reason_text: ReasonText | None = None) -> str:
    """The results document as deterministic, human-readable JSON."""
    return json.dumps(result.to_dict(reason_text), indent=2, ensure_ascii=False)


def spec_round(x: Any, ndigits: int) -> Any:
    """Python's ``round`` as the spec writes it, for a scalar or value by value (NaN kept)."""
    if np.ndim(x) == 0:
        return round(float(x), ndigits)
    flat = np.asarray(x, dtype=np.float64).ravel().tolist()
    out = [v if math.isnan(v) else round(v, ndigits) for v in flat]
    return np.array(out, dtype=np.float64).reshape(np.shape(x))


def _display(x: float | None, ndigits: int) -> float | None:
    return None if x is None else float(spec_round(x, ndigits))


def _jsonnum(x: float | None) -> int | float | None:
    if x is None:
        return None
    return int(x) if float(x).is_integer() else float(x)


