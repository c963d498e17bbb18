"""Scoring method v1 (``docs/scoring-method.md``): answers in, statuses, levels, readiness out.

Pure: plain data in (pandas DataFrames, the framework as a :class:`FrameworkSpec`),
plain results out; reasons are data (:mod:`.reasons`), never sentences. Answers are
whole numbers 1-5, or NaN for "Don't know"; anything else is refused.

How: each answer is coded 0 ("Don't know") or 1-5, and one ``numpy.bincount`` counts
the codes per (round, item): a histogram of 6 cells. Everything the method needs
follows from the histogram: ``n``, the sum (so the mean), lowest and highest answer,
supporters and opposers; then statuses, levels and readiness, by the rules of the
spec, for every round at once. :func:`score_round` (one round, with reasons) and
:func:`score_rounds` (many rounds, as DataFrames) share that one path, so they agree.

Decisions the spec leaves open:

* **One role per factor.** An absent enabler is also weak and a key barrier is never
  significant; a factor is reported once, under its most severe role: an absent
  enabler is a *key* (``absent_enabler``), not also an issue. ``issues`` holds
  weak-but-not-absent enablers and significant barriers. No level changes by this.
* **Unanswered factors** (n = 0) have no status, are neither issue nor key, and are
  left out of the readiness index (as is a factor of weight 0).
* **Submitted agencies.** Every agency in an option's ``n`` has submitted, so
  ``n >= min_agencies`` implies enough submitted agencies; the round's own count is
  checked when known (``agencies``, ``submitted``). An agency that answered
  everything "Don't know" is listed and counted as submitted but is in no ``n``.
* **Not-rated options** (level ``None``) report n, supporters, share, opposed, issues
  and keys, but carry no reasons.
* **Rounding** is for display only (means to 2 decimals, shares to 4, in the JSON),
  except readiness, ``round(0.7 * ES + 0.3 * (100 - BS), 1)`` with Python's ``round``.
  Comparisons use exact values: a mean is ``sum / n``, a share ``supporters / n``.
* **One answer per (round, agency, item)**: ``score_round`` checks it;
  ``score_rounds`` trusts it (a database constraint; the CSV parser refuses twins).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .reasons import option_reasons
from .results import METHOD, BatchResult, ItemResult, OptionResult, RoundResult, spec_round
from .spec import HIGHEST, LOWEST, FrameworkSpec

# Item statuses; as codes in arrays: their position here, -1 = none (n = 0).
WEAK, DEVELOPING, STRONG = "weak", "developing", "strong"
MINOR, SIGNIFICANT, KEY = "minor", "significant", "key"
STATUSES = (WEAK, DEVELOPING, STRONG, MINOR, SIGNIFICANT, KEY)

VALUES = np.arange(LOWEST, HIGHEST + 1)  # the answers a histogram counts, after "Don't know"

# --------------------------------------------------------------------------- the method


@dataclass(frozen=True)
class _Scores:
    """The method's figures for R rounds: items are enablers, barriers, then options."""

    n: np.ndarray  # (R, items) answers with a value
    mean: np.ndarray  # (R, items), NaN when n == 0; so are min, max, spread
    min: np.ndarray
    max: np.ndarray
    spread: np.ndarray
    divergent: np.ndarray  # (R, items)
    status: np.ndarray  # (R, factors) position in STATUSES, -1 = none
    absent: np.ndarray  # (R, enablers)
    supporters: np.ndarray  # (R, options)
    opposed: np.ndarray
    share: np.ndarray  # NaN when n == 0
    n_issues: np.ndarray
    n_keys: np.ndarray
    level: np.ndarray  # 1, 2, 3; 0 = not rated
    es: np.ndarray  # (R,) NaN when no enabler was answered
    bs: np.ndarray
    readiness: np.ndarray


def _histograms(cell: np.ndarray, code: np.ndarray, cells: int) -> np.ndarray:
    """(6, cells): row 0 counts each cell's "Don't know"s, row v its answers v (1-5)."""
    rows = len(VALUES) + 1
    return np.bincount(code * cells + cell, minlength=rows * cells).reshape(rows, cells)


def _score(hist: np.ndarray, fw: FrameworkSpec, agencies: np.ndarray | None) -> _Scores:
    """Apply the method to histograms (6, R, items); ``agencies``: each round's submitted
    agencies (None: only the agencies with answers count, as the ``n`` imply them)."""
    t = fw.thresholds
    n_e, n_f = len(fw.enablers), len(fw.enablers) + len(fw.barriers)
    count = dict(zip(VALUES.tolist(), hist[1:], strict=True))  # answer -> (R, items)
    n = sum(count.values())
    answered = n > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = sum(v * c for v, c in count.items()) / n  # an exact sum, one division
    low, high, up_to = np.full(n.shape, LOWEST), np.full(n.shape, LOWEST), 0
    for v in VALUES[:-1].tolist():  # the lowest and highest answers, counted up from 1
        up_to = up_to + count[v]  # answers <= v
        low += up_to == 0  # none so far: the lowest is above v
        high += up_to < n  # some answers are above v
    low = np.where(answered, low, np.nan)
    high = np.where(answered, high, np.nan)
    spread = high - low
    divergent = (n >= 2) & (spread >= t.divergence_spread)

    e, b, o = slice(0, n_e), slice(n_e, n_f), slice(n_f, None)
    with np.errstate(invalid="ignore"):  # NaN compares False; n == 0 is masked anyway
        weak = answered[:, e] & ((mean[:, e] < t.enabler_weak_mean)
                                 | (low[:, e] <= t.enabler_weak_min))
        strong = (answered[:, e] & ~weak & (mean[:, e] >= t.enabler_strong_mean)
                  & (low[:, e] >= t.enabler_strong_min))
        absent = weak & (mean[:, e] < t.enabler_absent_mean)
        key = answered[:, b] & (high[:, b] >= t.barrier_key_max)
        significant = answered[:, b] & ~key & ((high[:, b] >= t.barrier_significant_max)
                                               | (mean[:, b] >= t.barrier_significant_mean))
    status = np.full(n.shape[:1] + (n_f,), -1, dtype=np.int8)
    status[:, e] = np.where(answered[:, e], np.where(weak, 0, np.where(strong, 2, 1)), -1)
    status[:, b] = np.where(answered[:, b], np.where(key, 5, np.where(significant, 4, 3)), -1)

    none = np.zeros_like(n[:, o])
    supporters = sum((c[:, o] for v, c in count.items() if v >= t.support_value), none)
    opposed = sum((c[:, o] for v, c in count.items() if v <= t.oppose_value), none)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = supporters / n[:, o]
    # Linked factors that are issues (weak, not absent; significant) or keys (absent; key).
    links = fw.links
    n_issues = np.concatenate([weak & ~absent, significant], axis=1).astype(np.int64) @ links.T
    n_keys = np.concatenate([absent, key], axis=1).astype(np.int64) @ links.T
    rated = n[:, o] >= t.min_agencies
    if agencies is not None:
        rated &= agencies[:, None] >= t.min_agencies
    with np.errstate(invalid="ignore"):
        backed = (share >= t.support_share_min) & (opposed == 0) & (n_keys == 0)
    level = np.where(rated, np.where(backed, np.where(n_issues == 0, 1, 2), 3), 0)

    es = _factor_score(mean[:, e], answered[:, e], [f.weight for f in fw.enablers])
    bs = _factor_score(mean[:, b], answered[:, b], [f.weight for f in fw.barriers])
    readiness = spec_round(0.7 * es + 0.3 * (100 - bs), 1)
    return _Scores(n=n, mean=mean, min=low, max=high, spread=spread, divergent=divergent,
                   status=status, absent=absent, supporters=supporters, opposed=opposed,
                   share=share, n_issues=n_issues, n_keys=n_keys, level=level.astype(np.int8),
                   es=es, bs=bs, readiness=readiness)


def _factor_score(mean: np.ndarray, answered: np.ndarray, weights: list[float]) -> np.ndarray:
    """ES or BS: weighted mean of (mean - 1) / 4 * 100 over the answered factors, NaN if
    none. Summed factor by factor, so a round's figure never depends on the others."""
    w = np.array(weights, dtype=np.float64)
    with np.errstate(invalid="ignore"):
        terms = np.where(answered, w * ((mean - 1) / 4 * 100), 0.0)
    den_terms = np.where(answered, w, 0.0)
    num = np.zeros(mean.shape[0])
    den = np.zeros(mean.shape[0])
    for j in range(len(weights)):
        num += terms[:, j]
        den += den_terms[:, j]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / den, np.nan)


# --------------------------------------------------------------------------- inputs


def _require(df: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{what} lacks column(s) {missing}")


def _unknown_items(labels: Any) -> ValueError:
    unknown = sorted({str(x) for x in labels})
    return ValueError(f"unknown item code(s) {unknown[:10]} (not in this framework)")


def _answer_codes(values: pd.Series, items: pd.Series) -> np.ndarray:
    """0 for "Don't know" (NaN), else the answer 1-5; anything else raises ValueError."""
    v = values.to_numpy(dtype=np.float64, na_value=np.nan)
    dont_know = np.isnan(v)
    bad = np.flatnonzero(~(dont_know | ((v >= LOWEST) & (v <= HIGHEST) & (v == np.floor(v)))))
    if bad.size:
        i = int(bad[0])
        raise ValueError(f"the answer {v[i]:g} to {items.iloc[i]} is not a whole number "
                         f"from {LOWEST} to {HIGHEST} (NaN for \"Don't know\")")
    return np.where(dont_know, 0, v).astype(np.intp)


def _item_positions(items: pd.Series, fw: FrameworkSpec) -> np.ndarray:
    """Each answer's item as its position in ``fw.item_codes``."""
    index = pd.Index(fw.item_codes, dtype=object)
    if isinstance(items.dtype, pd.CategoricalDtype):  # no string hashing per row
        by_category = np.append(index.get_indexer(items.cat.categories.astype(object)), -1)
        pos = by_category[items.cat.codes.to_numpy()]
    else:
        pos = index.get_indexer(items.to_numpy(dtype=object))
    if (pos < 0).any():
        raise _unknown_items(items[pos < 0].to_numpy(dtype=object))
    return pos


def _factorize(s: pd.Series, what: str) -> tuple[np.ndarray, pd.Index]:
    """Codes 0..K-1 in sorted order of the labels, and the labels."""
    codes, labels = pd.factorize(s.to_numpy(), sort=True)
    if (codes < 0).any():
        raise ValueError(f"{what} has no value")
    return codes, pd.Index(labels)


# --------------------------------------------------------------------------- many rounds


def score_rounds(answers: pd.DataFrame, framework: FrameworkSpec, *,
                 submitted: pd.DataFrame | None = None) -> BatchResult:
    """Score many rounds at once (no reasons).

    ``answers``: columns ``round``, ``agency``, ``item``, ``value`` (1-5, NaN = "Don't
    know"), one row per (round, agency, item) (not checked here). ``submitted``: columns
    ``round``, ``agency``: the agencies that submitted in each round, counted for
    ``min_agencies`` (default: those with answers); its rounds are scored even without
    answers, and a round it lacks has no submitted agency (nothing rated).

    Returns, rounds sorted: ``items``, index (round, item) over enablers then barriers,
    columns n, mean, min, max, spread (NaN when n == 0), status (categorical), absent,
    divergent; ``options``, index (round, option), columns level (Int8, <NA> = not
    rated), n, supporters, support_share, opposed, n_issues, n_keys; ``readiness``.
    """
    _require(answers, ("round", "agency", "item", "value"), "answers")
    fw = framework
    pos = _item_positions(answers["item"], fw)
    code = _answer_codes(answers["value"], answers["item"])
    agencies = None
    if submitted is None:
        rc, rounds = _factorize(answers["round"], "an answer's round")
    else:
        _require(submitted, ("round", "agency"), "submitted")
        both = pd.concat([answers["round"], submitted["round"]], ignore_index=True)
        codes, rounds = _factorize(both, "a round")
        rc, sub_rc = codes[:len(answers)], codes[len(answers):]
        ac, names = _factorize(submitted["agency"], "a submitted agency")
        pairs = np.unique(sub_rc * len(names) + ac)
        agencies = np.bincount(pairs // max(len(names), 1), minlength=len(rounds))
    n_rounds, n_items = len(rounds), len(fw.item_codes)
    hist = _histograms(rc * n_items + pos, code, n_rounds * n_items)
    s = _score(hist.reshape(len(VALUES) + 1, n_rounds, n_items), fw, agencies)
    return _frames(s, rounds.rename("round"), fw)


def _product_index(rounds: pd.Index, codes: Sequence[str], name: str) -> pd.MultiIndex:
    """(round, code) for every round and code, round-major."""
    return pd.MultiIndex(levels=[rounds, pd.Index(list(codes), dtype=object)],
                         codes=[np.repeat(np.arange(len(rounds)), len(codes)),
                                np.tile(np.arange(len(codes)), len(rounds))],
                         names=["round", name], verify_integrity=False)


def _frames(s: _Scores, rounds: pd.Index, fw: FrameworkSpec) -> BatchResult:
    n_f = len(fw.enablers) + len(fw.barriers)
    f, o = slice(0, n_f), slice(n_f, None)
    absent = np.zeros((len(rounds), n_f), dtype=bool)
    absent[:, :len(fw.enablers)] = s.absent
    items = pd.DataFrame({
        "n": s.n[:, f].ravel(), "mean": s.mean[:, f].ravel(), "min": s.min[:, f].ravel(),
        "max": s.max[:, f].ravel(), "spread": s.spread[:, f].ravel(),
        "status": pd.Categorical.from_codes(s.status.ravel(), categories=list(STATUSES)),
        "absent": absent.ravel(), "divergent": s.divergent[:, f].ravel(),
    }, index=_product_index(rounds, fw.item_codes[f], "item"))
    level = s.level.ravel()
    options = pd.DataFrame({
        "level": pd.arrays.IntegerArray(level, level == 0), "n": s.n[:, o].ravel(),
        "supporters": s.supporters.ravel(), "support_share": s.share.ravel(),
        "opposed": s.opposed.ravel(), "n_issues": s.n_issues.ravel(),
        "n_keys": s.n_keys.ravel(),
    }, index=_product_index(rounds, fw.item_codes[o], "option"))
    return BatchResult(items=items, options=options,
                       readiness=pd.Series(s.readiness, index=rounds, name="readiness"))


# --------------------------------------------------------------------------- one round


def score_round(answers: pd.DataFrame, framework: FrameworkSpec, *,
                agencies: Sequence[str] | None = None) -> RoundResult:
    """Score one round, with every rated option's reasons.

    ``answers``: columns ``agency``, ``item``, ``value`` (1-5, NaN = "Don't know");
    others are ignored. ``agencies``: those that submitted, in display order (an agency
    that answered everything "Don't know" counts toward ``min_agencies`` even with no
    rows); default: the agencies in ``answers``, sorted. Raises ``ValueError`` for an
    unknown item, a value that is not a whole number 1-5, an agency not in
    ``agencies``, or an agency answering an item twice.
    """
    _require(answers, ("agency", "item", "value"), "answers")
    fw, t = framework, framework.thresholds
    names = answers["agency"].to_numpy(dtype=object).tolist()
    if any(not isinstance(a, str) or not a for a in set(names)):
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
    labels = answers["item"].to_numpy(dtype=object).tolist()
    position = {c: j for j, c in enumerate(fw.item_codes)}
    unknown = set(labels) - position.keys()
    if unknown:
        raise _unknown_items(unknown)
    pos = [position[c] for c in labels]
    pairs = list(zip(names, pos, strict=True))
    if len(set(pairs)) < len(pairs):
        twice = next(p for k, p in enumerate(pairs) if p in pairs[:k])
        raise ValueError(f"{twice[0]} answers {fw.item_codes[twice[1]]} more than once")
    code = _answer_codes(answers["value"], answers["item"])
    n_items = len(fw.item_codes)
    hist = _histograms(np.array(pos, dtype=np.intp), code, n_items)
    s = _score(hist.reshape(len(VALUES) + 1, 1, n_items), fw, np.array([len(agency_list)]))

    values: list[dict[str, float | None]] = [dict.fromkeys(agency_list) for _ in range(n_items)]
    for name, j, c in zip(names, pos, code.tolist(), strict=True):
        values[j][name] = float(c) if c else None

    def num(a: np.ndarray, j: int) -> float | None:
        x = float(a[0, j])
        return None if math.isnan(x) else x

    items: dict[str, ItemResult] = {}
    for j, spec in enumerate(fw.enablers + fw.barriers):
        status = int(s.status[0, j])
        items[spec.code] = ItemResult(
            code=spec.code, kind=spec.kind, title=spec.title, n=int(s.n[0, j]),
            mean=num(s.mean, j), min=num(s.min, j), max=num(s.max, j),
            spread=num(s.spread, j), status=None if status < 0 else STATUSES[status],
            absent=bool(j < len(fw.enablers) and s.absent[0, j]),
            divergent=bool(s.divergent[0, j]), values=values[j])

    options: dict[str, OptionResult] = {}
    n_f = len(items)
    for k, spec in enumerate(fw.options):
        j = n_f + k
        answers_j = values[j]
        option = OptionResult(
            code=spec.code, title=spec.title, level=int(s.level[0, k]) or None,
            published_level=spec.published_level, n=int(s.n[0, j]), mean=num(s.mean, j),
            spread=num(s.spread, j), divergent=bool(s.divergent[0, j]),
            supporters=int(s.supporters[0, k]), support_share=num(s.share, k),
            opposed=int(s.opposed[0, k]),
            opposed_agencies=[a for a, x in answers_j.items()
                              if x is not None and x <= t.oppose_value],
            issues=([c for c in spec.enablers if items[c].status == WEAK and not items[c].absent]
                    + [c for c in spec.barriers if items[c].status == SIGNIFICANT]),
            keys=([c for c in spec.enablers if items[c].absent]
                  + [c for c in spec.barriers if items[c].status == KEY]),
            reasons=[], values=answers_j)
        if option.level is not None:
            option.reasons.extend(option_reasons(option, items, t))
        options[spec.code] = option

    def score(a: np.ndarray) -> float | None:
        return None if math.isnan(a[0]) else float(a[0])

    return RoundResult(method=METHOD, framework=fw.code, agencies=agency_list,
                       readiness=score(s.readiness), enabler_score=score(s.es),
                       barrier_score=score(s.bs), items=items, options=options)
