"""Scoring method v1: agencies' answers -> item statuses, option tiers, readiness.

Pure: plain data in (pandas DataFrames and the framework as frozen dataclasses),
plain results out. No ORM, settings or request here; the dashboard, the JSON
export, ``manage.py score`` and the researchers' cross-partnership page all call
:func:`score_round` or :func:`score_rounds`. The method is specified in
``spec/scoring.md``; the decisions that spec leaves open are:

* **One role per factor.** An absent enabler is also weak, and a key barrier is
  never significant. A factor is reported once, under its most severe role: an
  absent enabler is a *key* (reason ``absent_enabler``), not also an issue.
  ``n_issues``/``issues`` therefore count weak-but-not-absent enablers and
  significant barriers. This never changes a level (any key means Level 3).
* **Unanswered factors** (n = 0) have no status and are neither issue nor key,
  and are left out of the readiness index (as is a factor of weight 0).
* **Submitted agencies.** Every agency in an option's ``n`` has submitted, so
  ``n >= min_agencies`` implies the round has enough submitted agencies; the
  round's own count is checked when it is known (``score_round``'s
  ``agencies``, ``score_rounds``' ``submitted``), and is implied otherwise. An
  agency that answered everything "Don't know" is listed and counted as
  submitted, but is in no item's ``n`` and no share's denominator.
* **Not-rated options** (level ``None``) still report n, supporters, share,
  opposed, issues and keys (facts about the answers), but carry no reasons.
* **Rounding** happens for display only (means to 2 decimals and shares to 4
  in :meth:`RoundResult.to_dict`) except readiness, which the method defines as
  ``round(0.7 * ES + 0.3 * (100 - BS), 1)``. Rounding is exactly Python's
  ``round`` as the spec writes it (correctly rounded, ties to even: 61.25 ->
  61.2), applied value by value in both entry points, so they always agree and
  anyone re-computing the spec's formula gets the same figure. All comparisons
  with thresholds use exact values: a mean is ``sum / n`` and a share
  ``supporters / n``, each one correctly rounded division, so a value that
  equals a threshold exactly compares equal.
* **One answer per (round, agency, item)** is a precondition. ``score_round``
  checks it (raises ``ValueError``); ``score_rounds`` trusts it (the database
  has a unique constraint; the CSV parser refuses duplicates), because the check
  would dominate its run time.

Speed: ``score_rounds`` never loops in Python over rounds or answers (only
over the framework's few factors). Round and item labels become integer codes
(a categorical ``item`` column is used as it is, without hashing a string per
row: the fastest input; dense integer round ids are used as offsets), then per
(round, item) counts, sums, minima, maxima, supporters and opposers come from
one weighted ``numpy.bincount`` that packs a histogram of the answers 1-5 into
each cell, or from ``bincount`` and ``fmin.at``/``fmax.at`` for other values
(same results). Links between options and factors are small matrices.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, fields, replace
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

METHOD = "v1"

ENABLER = "enabler"
BARRIER = "barrier"
KINDS = (ENABLER, BARRIER)

# Item statuses. Codes in the batch arrays: enablers 0..2, barriers 3..5; -1 = none.
WEAK, DEVELOPING, STRONG = "weak", "developing", "strong"
MINOR, SIGNIFICANT, KEY = "minor", "significant", "key"
STATUSES = (WEAK, DEVELOPING, STRONG, MINOR, SIGNIFICANT, KEY)

# Reason codes, in the order they are listed on an option.
SUPPORT_BELOW_SHARE = "support_below_share"
OPPOSED = "opposed"
ABSENT_ENABLER = "absent_enabler"
KEY_BARRIER = "key_barrier"
WEAK_ENABLER = "weak_enabler"
SIGNIFICANT_BARRIER = "significant_barrier"
ALL_CLEAR = "all_clear"

OPTION_SCALE = {1: "Strongly oppose", 2: "Oppose", 3: "Neutral", 4: "Support",
                5: "Strongly support"}

# A (round, item, value) histogram is used when values are whole numbers spanning
# at most this many levels (the answer scale); otherwise the general path (same results).
_HISTOGRAM_MAX_BINS = 5
# Above this many (round, agency) cells, distinct pairs are hashed, not counted densely.
_DENSE_PAIRS_MAX = 50_000_000


# --------------------------------------------------------------------------- framework


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

    @property
    def enablers(self) -> tuple[FactorSpec, ...]:
        return tuple(f for f in self.factors if f.kind == ENABLER)

    @property
    def barriers(self) -> tuple[FactorSpec, ...]:
        return tuple(f for f in self.factors if f.kind == BARRIER)

    @property
    def item_codes(self) -> tuple[str, ...]:
        """Every item code in result order: enablers, barriers, then options."""
        return self._layout.codes

    @cached_property
    def _layout(self) -> _Layout:
        return _Layout(self)


class _Layout:
    """Index arrays derived once per framework: item positions, links, weights."""

    def __init__(self, fw: FrameworkSpec) -> None:
        self.enablers = fw.enablers
        self.barriers = fw.barriers
        self.options = fw.options
        self.factors = self.enablers + self.barriers
        self.n_e, self.n_b, self.n_o = len(self.enablers), len(self.barriers), len(self.options)
        self.n_f = self.n_e + self.n_b
        self.codes = tuple(x.code for x in self.factors + self.options)
        self.index = pd.Index(self.codes, dtype=object)
        e_pos = {f.code: i for i, f in enumerate(self.enablers)}
        b_pos = {f.code: i for i, f in enumerate(self.barriers)}
        # links[o, f] = 1 when option o is linked to factor f (enablers, then barriers).
        self.links = np.zeros((self.n_o, self.n_f), dtype=np.float64)
        for j, o in enumerate(self.options):
            self.links[j, [e_pos[c] for c in o.enablers]] = 1
            self.links[j, [self.n_e + b_pos[c] for c in o.barriers]] = 1
        self.w_e = np.array([f.weight for f in self.enablers], dtype=np.float64)
        self.w_b = np.array([f.weight for f in self.barriers], dtype=np.float64)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Reason:
    """One cause of an option's tier: a machine code and a sentence for people."""

    code: str
    item: str | None  # the factor it is about, else None
    agency: str | None  # only for OPPOSED
    text: str

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"code": self.code, "item": self.item, "text": self.text}
        if self.code == OPPOSED:
            d["agency"] = self.agency
        return d


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
    """One option's tier (``level`` None = not rated) and why."""

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

    def to_dict(self) -> dict[str, Any]:
        return {"level": self.level, "published_level": self.published_level, "n": self.n,
                "supporters": self.supporters,
                "support_share": _display(self.support_share, 4),
                "opposed": self.opposed, "reasons": [r.to_dict() for r in self.reasons]}


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

    def to_dict(self) -> dict[str, Any]:
        return {"method": self.method, "framework": self.framework,
                "agencies": list(self.agencies), "readiness": self.readiness,
                "items": {c: r.to_dict() for c, r in self.items.items()},
                "options": {c: r.to_dict() for c, r in self.options.items()}}


@dataclass(frozen=True)
class BatchResult:
    """Many rounds at once, as DataFrames (see :func:`score_rounds`)."""

    items: pd.DataFrame
    options: pd.DataFrame
    readiness: pd.Series


def to_json(result: RoundResult) -> str:
    """The results document as deterministic, human-readable JSON."""
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False)


# --------------------------------------------------------------------------- rounding


def spec_round(x: Any, ndigits: int) -> Any:
    """Python's ``round`` as the spec writes it, for a scalar or value by value (NaN kept)."""
    if np.ndim(x) == 0:
        return round(float(x), ndigits)
    flat = np.asarray(x, dtype=np.float64).ravel()
    out = np.array([v if math.isnan(v) else round(v, ndigits) for v in flat.tolist()],
                   dtype=np.float64)
    return out.reshape(np.shape(x))


def _display(x: float | None, ndigits: int) -> float | None:
    return None if x is None else float(spec_round(x, ndigits))


def _jsonnum(x: float | None) -> int | float | None:
    if x is None:
        return None
    return int(x) if float(x).is_integer() else float(x)


def _fmt(x: float, ndigits: int = 2) -> str:
    """A number for a sentence: '2.5', '3.67', '4'."""
    return f"{float(spec_round(x, ndigits)):.{ndigits}f}".rstrip("0").rstrip(".")


# --------------------------------------------------------------------------- core


@dataclass
class _Core:
    """Per (round, item) and (round, option) arrays shared by both entry points."""

    n: np.ndarray  # (R, I) int64, I = factors then options
    mean: np.ndarray  # (R, I) float, NaN when n == 0
    min: np.ndarray
    max: np.ndarray
    spread: np.ndarray
    divergent: np.ndarray  # (R, I) bool
    status: np.ndarray  # (R, F) int8 index into STATUSES, -1 = none
    weak: np.ndarray  # (R, E) bool
    absent: np.ndarray  # (R, E) bool
    significant: np.ndarray  # (R, B) bool
    key: np.ndarray  # (R, B) bool
    supporters: np.ndarray  # (R, O) int64
    opposed: np.ndarray  # (R, O) int64
    share: np.ndarray  # (R, O) float, NaN when n == 0
    n_issues: np.ndarray  # (R, O) int64
    n_keys: np.ndarray  # (R, O) int64
    level: np.ndarray  # (R, O) int8, 0 = not rated
    es: np.ndarray  # (R,) float, NaN when no enabler answered
    bs: np.ndarray  # (R,) float
    readiness: np.ndarray  # (R,) float, rounded, NaN when undefined
    rows: np.ndarray  # (R,) int64: answer rows (values and "Don't know"s) per round

    def subset(self, keep: np.ndarray) -> _Core:
        """Only the rounds where ``keep`` is true."""
        return replace(self, **{f.name: getattr(self, f.name)[keep] for f in fields(self)})


def _histogram(cell: np.ndarray, v: np.ndarray, cells: int) -> tuple | None:
    """Packed counts per cell of each whole value lo..lo+4, or None if not applicable.

    One weighted ``bincount`` does it: an answer lo + b adds 256**b to its cell
    and a "Don't know" adds 256**bins, so byte b of a cell's (exact, < 2**48)
    sum counts the answers lo + b, and byte ``bins`` the "Don't know"s. Needs
    whole values spanning at most 5 levels (the answer scale); a count over 255
    would carry into the next byte, which the caller's totals check detects (it
    then takes the general path), so nothing is ever lost. Returns (lo, bins,
    packed sums as float64, each row's table index).
    """
    if not v.size:
        return None
    with np.errstate(invalid="ignore"):
        lo, hi = float(np.fmin.reduce(v)), float(np.fmax.reduce(v))  # NaN-ignoring
    if not (lo.is_integer() and hi.is_integer() and hi - lo < _HISTOGRAM_MAX_BINS
            and lo >= 0 and hi < 1000):
        return None
    bins = int(hi - lo) + 1
    # Table index = the value itself, "Don't know" (NaN) -> hi + 1, truncated to an integer
    # as fmin writes it; a value that is not a whole number fails the check in _stats.
    index = np.empty(v.size, dtype=np.intp)
    np.fmin(v, hi + 1, out=index, casting="unsafe")
    table = np.zeros(int(hi) + 2)
    table[int(lo):] = np.exp2(np.arange(bins + 1) * 8.0)
    packed = np.bincount(cell, weights=table.take(index), minlength=cells)
    if packed.size and packed.max() >= 2.0 ** (8 * (bins + 1)):
        return None
    return lo, bins, packed, index


def _bytes(packed: np.ndarray) -> np.ndarray:
    """The 8 little-endian bytes of each packed count, as a (cells, 8) uint8 array."""
    return np.ascontiguousarray(packed, dtype="<i8").view(np.uint8).reshape(-1, 8)


# Multiplying a uint64 whose 8 bytes are each 0 or 1 by this gathers byte i into
# bit 56 + i (no carries: every product term lands on its own bit or overflows).
_GATHER_BYTES = sum(1 << (56 - 7 * k) for k in range(8))


def _bit_patterns(flags: np.ndarray) -> np.ndarray:
    """Row-wise bit patterns of a (rows, 8) bool array: bit i set when column i is."""
    if np.little_endian:
        words = np.ascontiguousarray(flags).view(np.uint64)[:, 0]
        return ((words * np.uint64(_GATHER_BYTES)) >> np.uint64(56)).view(np.int64)
    return np.packbits(flags, axis=1, bitorder="little")[:, 0].astype(np.int64)


def _stats(cell: np.ndarray, v: np.ndarray, n_rounds: int, items: _Items, t: Thresholds, *,
           histogram: bool = True) -> list[np.ndarray]:
    """Per (round, framework item), each (R, I): n, sum, min, max, supporters, opposed
    (over answers with a value), and rows (with "Don't know"s). Both paths give
    identical numbers."""
    found = _histogram(cell, v, n_rounds * items.n_cols) if histogram else None
    if found is not None:
        result = _stats_from_histogram(*found, v, n_rounds, items, t)
        if result is not None:
            return result
    return _stats_general(cell, v, n_rounds, items, t)


def _stats_from_histogram(lo: float, bins: int, packed: np.ndarray, index: np.ndarray,
                          v: np.ndarray, n_rounds: int, items: _Items,
                          t: Thresholds) -> list[np.ndarray] | None:
    """Unpack the packed histogram; None if a count overflowed or a value is fractional."""
    packed = _pick(packed.reshape(n_rounds, items.n_cols), items.cols)  # framework order
    shape = packed.shape
    counts = _bytes(packed)
    levels = lo + np.arange(8.0)
    is_value = np.arange(8) < bins
    # Small whole numbers, so float32 sums are exact: one (5 x 8) @ (8 x cells) product.
    weights = np.stack([is_value, is_value * levels, is_value & (levels >= t.support_value),
                        is_value & (levels <= t.oppose_value), ~is_value], axis=1)
    n, total, sup, opp, rest = weights.T.astype(np.float32) @ counts.T.astype(np.float32)
    n_values = n.sum(dtype=np.float64)
    if n_values + rest.sum(dtype=np.float64) != v.size:
        return None  # a count overflowed its byte
    if np.count_nonzero(index == v) != n_values:
        return None  # some value is not a whole number
    # Lowest and highest answer from each cell's bit pattern, by table lookup.
    seen = _bit_patterns(counts > 0)
    patterns = np.arange(256)
    lowest = np.full(256, np.nan)
    highest = np.full(256, np.nan)
    for b in range(bins - 1, -1, -1):
        lowest[(patterns >> b) & 1 == 1] = levels[b]
    for b in range(bins):
        highest[(patterns >> b) & 1 == 1] = levels[b]
    out = (n.astype(np.int64), total.astype(np.float64), lowest.take(seen), highest.take(seen),
           sup.astype(np.int64), opp.astype(np.int64), (n + rest).astype(np.int64))
    return [a.reshape(shape) for a in out]


def _stats_general(cell: np.ndarray, v: np.ndarray, n_rounds: int, items: _Items,
                   t: Thresholds) -> list[np.ndarray]:
    """Any float values: bincount for counts and sums, fmin/fmax.at for extremes."""
    cells = n_rounds * items.n_cols
    rows = np.bincount(cell, minlength=cells)
    ok = ~np.isnan(v)
    if not ok.all():
        cell, v = cell[ok], v[ok]
    n = np.bincount(cell, minlength=cells)
    total = np.bincount(cell, weights=v, minlength=cells)
    sup = np.bincount(cell, weights=v >= t.support_value, minlength=cells).astype(np.int64)
    opp = np.bincount(cell, weights=v <= t.oppose_value, minlength=cells).astype(np.int64)
    vmin = np.full(cells, np.nan)
    vmax = np.full(cells, np.nan)
    np.fmin.at(vmin, cell, v)
    np.fmax.at(vmax, cell, v)
    shape = (n_rounds, items.n_cols)
    return [_pick(a.reshape(shape), items.cols, fill=np.nan if a is vmin or a is vmax else 0)
            for a in (n, total, vmin, vmax, sup, opp, rows)]


def _weighted_score(mean: np.ndarray, n: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted mean of (mean - 1) / 4 * 100 over answered columns; NaN if none.

    Accumulates column by column so a round's value never depends on how many
    other rounds are scored with it (identical in score_round and score_rounds).
    """
    num = np.zeros(mean.shape[0])
    den = np.zeros(mean.shape[0])
    for j in range(mean.shape[1]):
        answered = n[:, j] > 0
        num += np.where(answered, w[j] * ((mean[:, j] - 1) / 4 * 100), 0.0)
        den += np.where(answered, w[j], 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / den, np.nan)


@dataclass
class _Items:
    """An item column as integer codes: ``col`` per row, ``n_cols`` codes in all.
    ``cols`` gives each framework item's code (``n_cols``: no answer can name it),
    or is None when the codes are the framework positions already."""

    col: np.ndarray
    n_cols: int
    cols: np.ndarray | None


def _score_core(rc: np.ndarray, items: _Items, v: np.ndarray, n_rounds: int,
                submitted: np.ndarray | None, lay: _Layout, t: Thresholds, *,
                histogram: bool = True) -> _Core:
    """Score rounds given round codes (0..R-1), item codes and values; ``submitted``
    counts each round's agencies (None: only the answering agencies count).
    ``rc`` must be a fresh array: it is overwritten (one less big temporary)."""
    n_items = len(lay.codes)
    cell = rc  # cell of each answer: round * n_cols + item code
    cell *= items.n_cols
    cell += items.col
    n, total, vmin, vmax, sup, opp, rows = _stats(cell, v, n_rounds, items, t,
                                                  histogram=histogram)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = total / n
    spread = vmax - vmin
    divergent = (n >= 2) & (spread >= t.divergence_spread)

    e, b, o = slice(0, lay.n_e), slice(lay.n_e, lay.n_f), slice(lay.n_f, n_items)
    e_ans, e_mean, e_min = n[:, e] > 0, mean[:, e], vmin[:, e]
    weak = e_ans & ((e_mean < t.enabler_weak_mean) | (e_min <= t.enabler_weak_min))
    strong = e_ans & ~weak & (e_mean >= t.enabler_strong_mean) & (e_min >= t.enabler_strong_min)
    absent = weak & (e_mean < t.enabler_absent_mean)
    b_ans, b_mean, b_max = n[:, b] > 0, mean[:, b], vmax[:, b]
    key = b_ans & (b_max >= t.barrier_key_max)
    significant = b_ans & ~key & ((b_max >= t.barrier_significant_max)
                                  | (b_mean >= t.barrier_significant_mean))
    status = np.empty((n_rounds, lay.n_f), dtype=np.int8)  # index into STATUSES
    status[:, e] = np.where(e_ans, np.where(weak, 0, np.where(strong, 2, 1)), -1)
    status[:, b] = np.where(b_ans, np.where(key, 5, np.where(significant, 4, 3)), -1)

    o_n, sup, opp = n[:, o], sup[:, o], opp[:, o]
    with np.errstate(invalid="ignore", divide="ignore"):
        share = sup / o_n  # NaN when n == 0
    # One role per factor: an absent enabler is a key, not also an issue.
    # Counts of linked factors by matrix product (small whole numbers: exact in floats).
    n_issues = (np.concatenate([weak & ~absent, significant], axis=1).astype(np.float64)
                @ lay.links.T).astype(np.int64)
    n_keys = (np.concatenate([absent, key], axis=1).astype(np.float64)
              @ lay.links.T).astype(np.int64)
    rated = o_n >= t.min_agencies
    if submitted is not None:
        rated &= submitted[:, None] >= t.min_agencies
    backed = (share >= t.support_share_min) & (opp == 0) & (n_keys == 0)
    level = np.where(rated, np.where(backed, np.where(n_issues == 0, 1, 2), 3), 0)

    es = _weighted_score(mean[:, e], n[:, e], lay.w_e)
    bs = _weighted_score(mean[:, b], n[:, b], lay.w_b)
    readiness = spec_round(0.7 * es + 0.3 * (100 - bs), 1)
    return _Core(n=n, mean=mean, min=vmin, max=vmax, spread=spread, divergent=divergent,
                 status=status, weak=weak, absent=absent, significant=significant, key=key,
                 supporters=sup, opposed=opp, share=share, n_issues=n_issues, n_keys=n_keys,
                 level=level.astype(np.int8), es=es, bs=bs, readiness=readiness,
                 rows=rows.sum(axis=1))


def _pick(a: np.ndarray, cols: np.ndarray | None, fill: float = 0) -> np.ndarray:
    """Columns (axis 1) of ``a`` in framework order. ``cols`` None: already in order;
    a code equal to a.shape[1] (an item no answer names) picks a column of ``fill``."""
    if cols is None:
        return a
    if cols.max(initial=0) < a.shape[1]:
        return a[:, cols]
    pad = np.full((a.shape[0], 1, *a.shape[2:]), fill, dtype=a.dtype)
    return np.concatenate([a, pad], axis=1)[:, cols]


# --------------------------------------------------------------------------- input codes


def _require(df: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{what} lacks column(s) {missing}")


def _labels(s: pd.Series) -> np.ndarray:
    return s.to_numpy(dtype=object)


def _unknown_items(labels: Any) -> ValueError:
    unknown = sorted({str(x) for x in labels})
    return ValueError(f"unknown item code(s) {unknown[:10]} (not in this framework)")


def _item_codes(items: pd.Series, lay: _Layout) -> _Items:
    """Integer codes for the item column. Categoricals keep their own codes (no
    per-row work); their columns are put in framework order after counting."""
    if isinstance(items.dtype, pd.CategoricalDtype):
        codes = items.cat.codes.to_numpy()
        if codes.size and codes.min() < 0:
            raise ValueError("an answer has no item code")
        categories = items.cat.categories
        pos = lay.index.get_indexer(categories.astype(object))
        if (pos < 0).any():
            used = np.bincount(codes, minlength=len(categories)) > 0
            if (used & (pos < 0)).any():
                raise _unknown_items(categories[used & (pos < 0)])
        cols = np.full(len(lay.codes), len(categories), dtype=np.intp)  # default: fill column
        cols[pos[pos >= 0]] = np.flatnonzero(pos >= 0)
        return _Items(codes, len(categories), cols)
    pos = lay.index.get_indexer(items)
    if (pos < 0).any():
        raise _unknown_items(_labels(items[pos < 0]))
    return _Items(pos, len(lay.codes), None)


def _ids(s: pd.Series) -> np.ndarray:
    if isinstance(s.dtype, pd.CategoricalDtype):
        s = s.astype(s.cat.categories.dtype)
    return s.to_numpy()


def _dense_ids(arr: np.ndarray) -> tuple[int, int] | None:
    """Lowest and highest id, when integer ids are dense enough to index arrays by."""
    if arr.dtype.kind in "iu" and arr.size:
        lo, hi = int(arr.min()), int(arr.max())
        if hi - lo < 4 * arr.size + 1024:
            return lo, hi
    return None


def _round_slots(s: pd.Series, n_cols: int) -> tuple[np.ndarray, pd.Index, bool]:
    """Like ``_round_codes``, but dense integer ids are used as they are (id - lowest
    id), skipping a pass over the answers; the third value then says that ids no
    answer has are among the rounds, for the caller to drop after counting."""
    arr = _ids(s)
    span = _dense_ids(arr)
    if span is not None and (span[1] - span[0] + 1) * n_cols <= 4 * arr.size + 2**16:
        ids = pd.Index(np.arange(span[0], span[1] + 1)).astype(arr.dtype)
        return (arr - span[0]).astype(np.intp, copy=False), ids, True
    rc, rounds = _round_codes(s)
    return rc, rounds, False


def _round_codes(s: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Codes 0..R-1 in sorted round order, and the rounds; dense integer ids skip hashing."""
    arr = _ids(s)
    span = _dense_ids(arr)
    if span is not None:
        offset = (arr - span[0]).astype(np.intp, copy=False)
        present = np.bincount(offset) > 0
        return _compact(offset, present, span[0], arr.dtype)
    codes, rounds = pd.factorize(arr, sort=True)
    if (codes < 0).any():
        raise ValueError("an answer has no round")
    return codes.astype(np.intp, copy=False), pd.Index(rounds)


def _compact(offset: np.ndarray, present: np.ndarray, lo: int,
             dtype: np.dtype) -> tuple[np.ndarray, pd.Index]:
    """Codes from id offsets, skipping ids that never occur."""
    rounds = pd.Index(np.flatnonzero(present) + lo).astype(dtype)
    if present.all():  # consecutive ids: the offset is the code
        return offset, rounds
    return (np.cumsum(present) - 1)[offset], rounds


def _agency_codes(agency: pd.Series) -> tuple[np.ndarray, int]:
    if isinstance(agency.dtype, pd.CategoricalDtype):
        ac, n_agencies = agency.cat.codes.to_numpy(), len(agency.cat.categories)
    else:
        ac, uniques = pd.factorize(_labels(agency))
        n_agencies = len(uniques)
    if ac.size and ac.min() < 0:
        raise ValueError("an answer has no agency")
    return ac, n_agencies


def _distinct_agencies(rc: np.ndarray, ac: np.ndarray, n_agencies: int,
                       n_rounds: int) -> np.ndarray:
    """How many distinct agencies each round code has."""
    pair = rc * n_agencies
    pair += ac
    if n_rounds * n_agencies <= _DENSE_PAIRS_MAX:
        rows = np.bincount(pair, minlength=n_rounds * n_agencies)
        return (rows.reshape(n_rounds, n_agencies) > 0).sum(axis=1)
    return np.bincount(pd.unique(pair) // n_agencies, minlength=n_rounds)


def _values(s: pd.Series) -> np.ndarray:
    return s.to_numpy(dtype=np.float64, na_value=np.nan)


# --------------------------------------------------------------------------- batch


def score_rounds(answers: pd.DataFrame, framework: FrameworkSpec, *,
                 submitted: pd.DataFrame | None = None) -> BatchResult:
    """Score many rounds at once (vectorised; no reasons text).

    ``answers``: columns ``round``, ``agency``, ``item``, ``value`` (NaN = "Don't
    know"), one row per (round, agency, item) (not checked here). ``submitted``:
    columns ``round``, ``agency``: the agencies that submitted in each round,
    counted for ``min_agencies`` (default: the agencies present in ``answers``);
    its rounds are scored even if they have no answers, and a round it lacks has
    no submitted agency (nothing rated). A categorical ``item`` column is the
    fastest input (no string hashing per row).

    Returns, with rounds sorted:

    * ``items``: index (round, item) over enablers then barriers; columns n,
      mean, min, max, spread (NaN when n == 0), status (categorical, NaN when
      n == 0), absent, divergent.
    * ``options``: index (round, option); columns level (Int8, <NA> = not rated),
      n, supporters, support_share, opposed, n_issues, n_keys.
    * ``readiness``: by round, NaN when undefined.
    """
    _require(answers, ("round", "agency", "item", "value"), "answers")
    lay, t = framework._layout, framework.thresholds
    items = _item_codes(answers["item"], lay)
    v = _values(answers["value"])
    if submitted is None:
        # Every agency counted in an option's n is present in the answers, so with
        # one row per (round, agency, item), n >= min_agencies already implies the
        # round has that many agencies: no need to count them.
        rc, rounds, gaps = _round_slots(answers["round"], items.n_cols)
        counts = None
    else:
        gaps = False
        _require(submitted, ("round", "agency"), "submitted")
        both = pd.concat([answers["round"], submitted["round"]], ignore_index=True)
        codes, rounds = _round_codes(both)
        rc = codes[:len(answers)]
        ac, n_agencies = _agency_codes(submitted["agency"])
        counts = _distinct_agencies(codes[len(answers):], ac, n_agencies, len(rounds))
    core = _score_core(rc, items, v, len(rounds), counts, lay, t)
    if gaps and not core.rows.all():
        keep = core.rows > 0
        core, rounds = core.subset(keep), rounds[keep]
    return _batch_frames(core, rounds, lay)


def _product_index(rounds: pd.Index, codes: Sequence[str], name: str) -> pd.MultiIndex:
    """(round, code) for every round and code, round-major (rounds are unique)."""
    return pd.MultiIndex(levels=[rounds, pd.Index(list(codes), dtype=object)],
                         codes=[np.repeat(np.arange(len(rounds)), len(codes)),
                                np.tile(np.arange(len(codes)), len(rounds))],
                         names=["round", name], verify_integrity=False)


def _batch_frames(core: _Core, rounds: pd.Index, lay: _Layout) -> BatchResult:
    rounds = rounds.rename("round")
    f, o = slice(0, lay.n_f), slice(lay.n_f, None)
    item_index = _product_index(rounds, lay.codes[f], "item")
    status = core.status.ravel()
    items = pd.DataFrame({
        "n": core.n[:, f].ravel(),
        "mean": core.mean[:, f].ravel(),
        "min": core.min[:, f].ravel(),
        "max": core.max[:, f].ravel(),
        "spread": core.spread[:, f].ravel(),
        "status": pd.Categorical.from_codes(status, categories=list(STATUSES)),
        "absent": np.concatenate(
            [core.absent, np.zeros((len(rounds), lay.n_b), dtype=bool)], axis=1).ravel(),
        "divergent": core.divergent[:, f].ravel(),
    }, index=item_index)
    option_index = _product_index(rounds, lay.codes[o], "option")
    level = core.level.ravel()
    options = pd.DataFrame({
        "level": pd.arrays.IntegerArray(level, level == 0),
        "n": core.n[:, o].ravel(),
        "supporters": core.supporters.ravel(),
        "support_share": core.share.ravel(),
        "opposed": core.opposed.ravel(),
        "n_issues": core.n_issues.ravel(),
        "n_keys": core.n_keys.ravel(),
    }, index=option_index)
    readiness = pd.Series(core.readiness, index=rounds, name="readiness")
    return BatchResult(items=items, options=options, readiness=readiness)


# --------------------------------------------------------------------------- one round


def score_round(answers: pd.DataFrame, framework: FrameworkSpec, *,
                agencies: Sequence[str] | None = None) -> RoundResult:
    """Score one round, with every option's reasons.

    ``answers``: columns ``agency``, ``item``, ``value`` (NaN = "Don't know");
    other columns are ignored. ``agencies``: the agencies that submitted in the
    round, in display order; an agency that answered everything "Don't know"
    counts toward ``min_agencies`` even with no rows. Default: the agencies in
    ``answers``, sorted. Raises ``ValueError`` for an unknown item, an agency not
    in ``agencies``, or an agency answering an item twice.
    """
    _require(answers, ("agency", "item", "value"), "answers")
    lay, t = framework._layout, framework.thresholds
    names = _labels(answers["agency"])
    if any(not isinstance(a, str) or not a for a in names):
        raise ValueError("every answer needs an agency name")
    if agencies is None:
        agency_list = sorted(set(names))
    else:
        agency_list = list(agencies)
        if len(set(agency_list)) != len(agency_list):
            raise ValueError("agencies lists an agency twice")
        extra = sorted(set(names) - set(agency_list))
        if extra:
            raise ValueError(f"answers from agencies that did not submit: {extra}")
    codes = _item_codes(pd.Series(_labels(answers["item"]), dtype=object), lay)
    ic = codes.col  # framework positions
    twice = pd.DataFrame({"agency": names, "item": ic}).duplicated()
    if twice.any():
        i = int(np.flatnonzero(twice.to_numpy())[0])
        raise ValueError(f"{names[i]} answers {lay.codes[ic[i]]} more than once")
    v = _values(answers["value"])
    core = _score_core(np.zeros(len(v), dtype=np.intp), codes, v, 1,
                       np.array([len(agency_list)]), lay, t)

    values: list[dict[str, float | None]] = [dict.fromkeys(agency_list) for _ in lay.codes]
    for name, pos, value in zip(names, ic.tolist(), v.tolist(), strict=True):
        values[pos][name] = None if math.isnan(value) else value

    def num(a: np.ndarray, j: int) -> float | None:
        x = float(a[0, j])
        return None if math.isnan(x) else x

    items: dict[str, ItemResult] = {}
    for j, spec in enumerate(lay.factors):
        s = int(core.status[0, j])
        items[spec.code] = ItemResult(
            code=spec.code, kind=spec.kind, title=spec.title, n=int(core.n[0, j]),
            mean=num(core.mean, j), min=num(core.min, j), max=num(core.max, j),
            spread=num(core.spread, j), status=None if s < 0 else STATUSES[s],
            absent=bool(j < lay.n_e and core.absent[0, j]),
            divergent=bool(core.divergent[0, j]), values=values[j])

    options: dict[str, OptionResult] = {}
    for k, spec in enumerate(lay.options):
        j = lay.n_f + k
        level = int(core.level[0, k]) or None
        share = num(core.share, k)
        opposers = [a for a, x in values[j].items() if x is not None and x <= t.oppose_value]
        keys = ([c for c in spec.enablers if items[c].absent]
                + [c for c in spec.barriers if items[c].status == KEY])
        issues = ([c for c in spec.enablers if items[c].status == WEAK and not items[c].absent]
                  + [c for c in spec.barriers if items[c].status == SIGNIFICANT])
        option = OptionResult(
            code=spec.code, title=spec.title, level=level,
            published_level=spec.published_level, n=int(core.n[0, j]),
            mean=num(core.mean, j), spread=num(core.spread, j),
            divergent=bool(core.divergent[0, j]), supporters=int(core.supporters[0, k]),
            support_share=share, opposed=int(core.opposed[0, k]), opposed_agencies=opposers,
            issues=issues, keys=keys, reasons=[], values=values[j])
        if level is not None:
            option = replace(option, reasons=_reasons(option, items, t))
        options[spec.code] = option

    def score(a: np.ndarray) -> float | None:
        return None if math.isnan(a[0]) else float(a[0])

    return RoundResult(method=METHOD, framework=framework.code, agencies=agency_list,
                       readiness=score(core.readiness), enabler_score=score(core.es),
                       barrier_score=score(core.bs), items=items, options=options)


# --------------------------------------------------------------------------- reasons


def _pct(x: float) -> str:
    return _fmt(x * 100, 1) + "%"


def _reasons(option: OptionResult, items: dict[str, ItemResult], t: Thresholds) -> list[Reason]:
    """Reasons for a rated option: support, opposition, keys, issues; else all clear."""
    out: list[Reason] = []
    share = option.support_share or 0.0
    if share < t.support_share_min:
        need = f"at least {_pct(t.support_share_min)} is needed."
        if option.supporters == 0:
            text = f"None of the {option.n} agencies that answered supports this; {need}"
        else:
            verb = "supports" if option.supporters == 1 else "support"
            text = (f"Only {option.supporters} of {option.n} agencies ({_pct(share)}) "
                    f"{verb} this; {need}")
        out.append(Reason(SUPPORT_BELOW_SHARE, None, None, text))
    for agency in option.opposed_agencies:
        value = option.values[agency]
        assert value is not None
        label = OPTION_SCALE.get(int(value)) if float(value).is_integer() else None
        answered = _fmt(value) + (f": {label}" if label else "")
        out.append(Reason(OPPOSED, None, agency,
                          f"{agency} opposes this (answered {answered})."))
    for code in option.keys:
        it = items[code]
        assert it.mean is not None and it.min is not None and it.max is not None
        if it.kind == ENABLER:
            text = (f"{code} {it.title} is absent or nearly so "
                    f"(average {_fmt(it.mean)}, lowest {_fmt(it.min)}).")
            out.append(Reason(ABSENT_ENABLER, code, None, text))
        else:
            what = "blocking" if it.max >= 5 else "a key barrier"
            text = f"{code} {it.title} is {what} for at least one agency (highest {_fmt(it.max)})."
            out.append(Reason(KEY_BARRIER, code, None, text))
    for code in option.issues:
        it = items[code]
        assert it.mean is not None and it.min is not None and it.max is not None
        if it.kind == ENABLER:
            text = f"{code} {it.title} is weak (average {_fmt(it.mean)}, lowest {_fmt(it.min)})."
            out.append(Reason(WEAK_ENABLER, code, None, text))
        else:
            text = (f"{code} {it.title} is a significant barrier "
                    f"(highest {_fmt(it.max)}, average {_fmt(it.mean)}).")
            out.append(Reason(SIGNIFICANT_BARRIER, code, None, text))
    if option.level == 1:
        out.append(Reason(ALL_CLEAR, None, None,
                          f"{option.supporters} of {option.n} agencies support this, none "
                          "opposes it, and no linked enabler or barrier stands in the way."))
    return out

