"""The framework as the scoring method sees it: factors, options, links and thresholds.

Plain frozen dataclasses, validated on creation (``assessments.frameworks`` builds
them from a framework version in the database).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np

ENABLER = "enabler"
BARRIER = "barrier"
KINDS = (ENABLER, BARRIER)

# Every answer is a whole number on this scale, or "Don't know" (no value).
LOWEST, HIGHEST = 1, 5


@dataclass(frozen=True)
class Thresholds:
    """Every threshold of the method; defaults are the published values."""

    divergence_spread: float = 2
    enabler_weak_mean: float = 3.0
    enabler_weak_min: float = 2
    enabler_strong_mean: float = 4.0
    enabler_strong_min: float = 3
    enabler_absent_mean: float = 2.0
    barrier_key_max: float = 5
    barrier_significant_max: float = 4
    barrier_significant_mean: float = 3.0
    min_agencies: int = 2
    support_value: float = 4
    oppose_value: float = 2
    support_share_min: float = 0.75


@dataclass(frozen=True)
class FactorSpec:
    """An enabler or a barrier of the framework."""

    code: str
    kind: str  # ENABLER | BARRIER
    title: str
    weight: float = 1.0
    theme: str = ""


@dataclass(frozen=True)
class OptionSpec:
    """A collaboration option with the factors it is linked to (in link order)."""

    code: str
    title: str
    published_level: int | None
    enablers: tuple[str, ...] = ()
    barriers: tuple[str, ...] = ()


@dataclass(frozen=True)
class FrameworkSpec:
    """One framework version: factors, options, links and thresholds.

    Validated on creation (unique codes, known kinds, links to factors of the
    right kind, weights >= 0), so a bad fixture fails loudly, not in a result.
    """

    code: str
    factors: tuple[FactorSpec, ...]
    options: tuple[OptionSpec, ...]
    thresholds: Thresholds = Thresholds()

    def __post_init__(self) -> None:
        codes = [f.code for f in self.factors] + [o.code for o in self.options]
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        if dupes:
            raise ValueError(f"framework {self.code}: duplicate codes {dupes}")
        kinds = {f.code: f.kind for f in self.factors}
        for f in self.factors:
            if f.kind not in KINDS:
                raise ValueError(f"factor {f.code}: kind must be one of {KINDS}, not {f.kind!r}")
            if not (math.isfinite(f.weight) and f.weight >= 0):
                raise ValueError(f"factor {f.code}: weight must be >= 0, not {f.weight!r}")
        for o in self.options:
            for kind, linked in ((ENABLER, o.enablers), (BARRIER, o.barriers)):
                for code in linked:
                    if kinds.get(code) != kind:
                        raise ValueError(f"option {o.code}: {code!r} is not one of the "
                                         f"framework's {kind}s")
                if len(set(linked)) != len(linked):
                    raise ValueError(f"option {o.code}: an {kind} is linked twice")

    @cached_property
    def enablers(self) -> tuple[FactorSpec, ...]:
        return tuple(f for f in self.factors if f.kind == ENABLER)

    @cached_property
    def barriers(self) -> tuple[FactorSpec, ...]:
        return tuple(f for f in self.factors if f.kind == BARRIER)

    @cached_property
    def item_codes(self) -> tuple[str, ...]:
        """Every item code in result order: enablers, barriers, then options."""
        return tuple(x.code for x in self.enablers + self.barriers + self.options)

    @cached_property
    def links(self) -> np.ndarray:
        """(options, enablers then barriers): 1 where the option is linked to the factor."""
        factors = {f.code: j for j, f in enumerate(self.enablers + self.barriers)}
        links = np.zeros((len(self.options), len(factors)), dtype=np.int64)
        for k, option in enumerate(self.options):
            links[k, [factors[c] for c in option.enablers + option.barriers]] = 1
        links.flags.writeable = False
        return links
