"""Key findings of a national survey: shares with 95% Wilson intervals.

The findings are specified in ``docs/national-surveys.md``.

Pure: plain data in (a DataFrame of responses and the questions as
:class:`FindingSpec`), plain results out. The findings page, its JSON, CSV and
XLSX downloads (:func:`findings_table`) and ``manage.py key_findings`` all call
these functions.

``responses`` has columns ``sample``, ``service``, ``nation``, one column per
question code (the stored answer, or None/NaN when the respondent was not
asked or left it blank), and optionally ``count``: how many respondents share
that row (the database hands over counts per distinct combination, not 100,000
rows; without ``count`` every row is one respondent).

Decisions the spec leaves open:

* A finding's base is the respondents *of its sample* with an answer; a
  question answered by nobody has base 0 and no share or interval (None).
* The interval is Wilson's score interval with z = 1.959963984540054 (the
  97.5th percentile of the normal distribution), clipped to [0, 1].
* ``published_outside_ci``: the published figure is below the interval's lower
  bound or above its upper bound (a figure on a bound is inside).
* Breakdowns by ``service`` (questions of the service sample only: the public
  has no service) and by ``nation``; respondents with no service or nation
  form a "not stated" group (code ``""``), so the groups add up to the base.
* Suppression: a group whose base is under ``min_cell`` (default 10) is
  suppressed: its base, count, share and interval are never given. When only
  one group of a breakdown is suppressed, it could be worked out by
  subtracting the others from the total, so the next smallest group is
  suppressed too ("secondary" suppression). Groups nobody is in are left out.
* Rounding is for display only: :func:`findings_document` rounds shares and
  interval bounds to 4 decimals with Python's ``round`` (as the scoring module
  rounds its JSON), as ``docs/national-surveys.md``'s JSON shows.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from bluelight.choices import Nation, Service

Z95 = 1.959963984540054
MIN_CELL = 10
SERVICES = tuple(Service.values)
NATIONS = tuple(Nation.values)
NOT_STATED = ""
BREAKDOWNS = {"service": (*SERVICES, NOT_STATED), "nation": (*NATIONS, NOT_STATED)}


@dataclass(frozen=True)
class FindingSpec:
    """A question as a finding: which sample, which answers count, the published figure."""

    code: str
    text: str
    sample: str  # "service" | "public"
    positive: tuple[str, ...]
    published: float | None = None


def wilson_interval(positive: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval for ``positive`` out of ``n``; None when n is 0."""
    if n <= 0:
        return None
    if not 0 <= positive <= n:
        raise ValueError(f"positive must be between 0 and n ({n}), not {positive}")
    low, high = wilson_intervals(np.array([positive]), np.array([n]), z)
    return float(low[0]), float(high[0])


def wilson_intervals(positive: np.ndarray, n: np.ndarray,
                     z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised :func:`wilson_interval`; NaN where n is 0."""
    positive = np.asarray(positive, dtype=np.float64)
    n = np.asarray(n, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = positive / n
        z2 = z * z
        denominator = 1 + z2 / n
        centre = (p + z2 / (2 * n)) / denominator
        half = z * np.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
        low = np.clip(centre - half, 0.0, 1.0)
        high = np.clip(centre + half, 0.0, 1.0)
    low[positive == 0] = 0.0  # exact at the ends (floating point leaves 1 - 1e-16)
    high[positive == n] = 1.0
    empty = n <= 0
    low[empty] = np.nan
    high[empty] = np.nan
    return low, high


def _counts(responses: pd.DataFrame) -> np.ndarray:
    if "count" in responses.columns:
        return responses["count"].to_numpy(dtype=np.int64)
    return np.ones(len(responses), dtype=np.int64)


def _tally(responses: pd.DataFrame, spec: FindingSpec) -> tuple[np.ndarray, np.ndarray]:
    """Per row: is it in the finding's base, and is it positive (as 0/1 arrays)."""
    if spec.code not in responses.columns:
        zero = np.zeros(len(responses), dtype=np.int64)
        return zero, zero
    answer = responses[spec.code]
    in_base = (responses["sample"].to_numpy() == spec.sample) & answer.notna().to_numpy()
    positive = in_base & answer.astype(object).isin(spec.positive).to_numpy()
    return in_base.astype(np.int64), positive.astype(np.int64)


def key_findings(responses: pd.DataFrame, questions: Sequence[FindingSpec], *,
                 z: float = Z95) -> pd.DataFrame:
    """One row per finding, indexed by code, in question order.

    Columns: text, sample, base, positive, share, ci_low, ci_high (NaN when the
    base is 0), published (NaN when none), published_outside_ci (bool).
    """
    counts = _counts(responses)
    base, positive = [], []
    for spec in questions:
        in_base, pos = _tally(responses, spec)
        base.append(int(in_base @ counts))
        positive.append(int(pos @ counts))
    base_arr, pos_arr = np.array(base, dtype=np.int64), np.array(positive, dtype=np.int64)
    low, high = wilson_intervals(pos_arr, base_arr, z)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(base_arr > 0, pos_arr / base_arr, np.nan)
    published = np.array([np.nan if q.published is None else q.published for q in questions],
                         dtype=np.float64)
    outside = ~np.isnan(published) & ~np.isnan(low) & ((published < low) | (published > high))
    return pd.DataFrame({
        "text": [q.text for q in questions], "sample": [q.sample for q in questions],
        "base": base_arr, "positive": pos_arr, "share": share, "ci_low": low, "ci_high": high,
        "published": published, "published_outside_ci": outside,
    }, index=pd.Index([q.code for q in questions], name="code", dtype=object))


def breakdown(responses: pd.DataFrame, questions: Sequence[FindingSpec], *, by: str,
              min_cell: int = MIN_CELL, z: float = Z95) -> pd.DataFrame:
    """Each finding by ``service`` or ``nation``, with small groups suppressed.

    One row per (finding, group) with anyone in it, findings in question order
    and groups in the order of ``BREAKDOWNS[by]``. Columns: code, group, base,
    positive, share, ci_low, ci_high (all NaN when suppressed), suppressed
    (bool) and suppression (``""``, ``"small"`` or ``"secondary"``).
    """
    if by not in BREAKDOWNS:
        raise ValueError(f"breakdown by {by!r}: choose from {sorted(BREAKDOWNS)}")
    groups = BREAKDOWNS[by]
    counts = _counts(responses)
    labels = responses[by].fillna(NOT_STATED).astype(object).to_numpy() if len(
        responses) else np.array([], dtype=object)
    group_index = pd.Index(groups, dtype=object).get_indexer(labels)
    if (group_index < 0).any():
        unknown = sorted({str(x) for x in labels[group_index < 0]})
        raise ValueError(f"unknown {by} values: {unknown}")
    rows: list[dict[str, Any]] = []
    for spec in questions:
        if by == "service" and spec.sample != "service":
            continue
        in_base, pos = _tally(responses, spec)
        base = np.bincount(group_index, weights=in_base * counts, minlength=len(groups))
        positive = np.bincount(group_index, weights=pos * counts, minlength=len(groups))
        present = np.flatnonzero(base > 0)
        small = set(present[base[present] < min_cell].tolist())
        secondary: set[int] = set()
        if len(small) == 1 and len(present) > 1:
            rest = [g for g in present.tolist() if g not in small]
            secondary.add(min(rest, key=lambda g: (base[g], g)))
        for g in present.tolist():
            rows.append({"code": spec.code, "group": groups[g], "base": int(base[g]),
                         "positive": int(positive[g]),
                         "suppression": ("small" if g in small
                                         else "secondary" if g in secondary else "")})
    frame = pd.DataFrame(rows, columns=["code", "group", "base", "positive", "suppression"])
    frame["suppressed"] = frame["suppression"] != ""
    b = frame["base"].to_numpy(dtype=np.float64)
    p = frame["positive"].to_numpy(dtype=np.float64)
    low, high = wilson_intervals(p, b, z)
    frame["share"] = p / np.where(b > 0, b, np.nan)
    frame["ci_low"], frame["ci_high"] = low, high
    hidden = frame["suppressed"].to_numpy()
    frame[["base", "positive"]] = frame[["base", "positive"]].astype("Int64")
    frame.loc[hidden, ["base", "positive"]] = pd.NA
    frame.loc[hidden, ["share", "ci_low", "ci_high"]] = np.nan
    return frame[["code", "group", "base", "positive", "share", "ci_low", "ci_high",
                  "suppressed", "suppression"]]


def _round4(x: float) -> float | None:
    return None if x is None or math.isnan(x) else round(float(x), 4)


def findings_document(survey: str, findings: pd.DataFrame) -> dict[str, Any]:
    """The JSON document of ``docs/national-surveys.md`` from :func:`key_findings`' table."""
    out: dict[str, Any] = {}
    for code, row in findings.iterrows():
        low, high = _round4(row["ci_low"]), _round4(row["ci_high"])
        out[str(code)] = {
            "base": int(row["base"]), "positive": int(row["positive"]),
            "share": _round4(row["share"]),
            "ci95": None if low is None else [low, high],
            "published": None if math.isnan(row["published"]) else float(row["published"]),
        }
    return {"survey": survey, "findings": out}


FINDINGS_COLUMNS = ["code", "finding", "sample", "breakdown", "group", "base", "positive",
                    "share", "ci_low", "ci_high", "published", "published_outside_ci",
                    "suppressed", "suppression"]
NOT_STATED_CODE = "not_stated"


def findings_table(findings: pd.DataFrame, breakdowns: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The key findings and their breakdowns as one long table (the CSV download).

    Per finding, in order: its ``total`` row (``breakdown`` "total", ``group`` empty),
    then its rows of each breakdown in ``breakdowns`` (``{"service": ..., "nation":
    ...}`` from :func:`breakdown`; ``group`` the code, ``not_stated`` for "not
    stated"). A suppressed group's figures are empty and ``suppressed`` is true, with
    ``suppression`` "small" (its base is under the minimum) or "secondary" (hidden so
    that a smaller group cannot be worked out from the total). Shares and bounds are
    rounded to 4 decimals, as in the JSON; the published figure and whether it lies
    outside our interval belong to the total rows only.
    """
    rows: list[dict[str, Any]] = []
    for code, f in findings.iterrows():
        common = {"code": str(code), "finding": f["text"], "sample": f["sample"]}
        rows.append({**common, "breakdown": "total", "group": "", "base": int(f["base"]),
                     "positive": int(f["positive"]), "share": _round4(f["share"]),
                     "ci_low": _round4(f["ci_low"]), "ci_high": _round4(f["ci_high"]),
                     "published": None if math.isnan(f["published"]) else f["published"],
                     "published_outside_ci": bool(f["published_outside_ci"]),
                     "suppressed": False, "suppression": ""})
        for by, frame in breakdowns.items():
            for g in frame[frame["code"] == code].itertuples():
                rows.append({**common, "breakdown": by,
                             "group": g.group or NOT_STATED_CODE,
                             "base": None if pd.isna(g.base) else int(g.base),
                             "positive": None if pd.isna(g.positive) else int(g.positive),
                             "share": _round4(g.share), "ci_low": _round4(g.ci_low),
                             "ci_high": _round4(g.ci_high), "published": None,
                             "published_outside_ci": None, "suppressed": bool(g.suppressed),
                             "suppression": g.suppression})
    table = pd.DataFrame(rows, columns=FINDINGS_COLUMNS)
    table["base"] = table["base"].astype("Int64")
    table["positive"] = table["positive"].astype("Int64")
    for column in ("share", "ci_low", "ci_high", "published"):
        table[column] = table[column].astype(float)
    table["published_outside_ci"] = table["published_outside_ci"].astype("boolean")
    table["suppressed"] = table["suppressed"].astype(bool)
    return table
