"""Time ``score_rounds`` against a plain-numpy floor.

    python benchmarks/bench_scoring.py [--rounds 10000 --agencies 5 --repeat 5 --seed 1]

The floor starts from a dense (rounds x agencies x items) array that already
exists and computes per (round, item) n, mean, min and max: the least work any
scorer must do. ``score_rounds`` starts from the long answers table (one row
per round, agency and item) and does the whole method (statuses, tiers,
readiness, result frames). It is timed with ``item``/``agency`` as categoricals
(the fast path: no string hashing per row) and as plain strings, on shuffled
rows and on rows in round order. Every variant's numbers are first checked
against the floor's. Timings are best-of-N, run round-robin so that all share
the machine's good and bad moments. No Django needed.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessments.scoring import (
    FactorSpec,
    FrameworkSpec,
    OptionSpec,
    score_rounds,
)  # noqa: E402

LINKS = {  # option: (enablers, barriers), as scoring.md's default links
    "O1": ("E1 E3 E6", "B2 B3"), "O2": ("E1 E4 E6", "B3 B6"), "O3": ("E3 E5 E6", "B2 B5"),
    "O4": ("E2 E3 E7", "B2 B3"), "O5": ("E1 E5", "B2 B6"), "O6": ("E1 E2", "B1"),
    "O7": ("E2 E6", "B3 B5"), "O8": ("E2 E4", "B3"), "O9": ("E2 E7", "B3 B4 B5"),
    "O10": ("E2 E6 E7", "B3 B5"), "O11": ("E3 E6", "B3"), "O12": ("E2 E3", "B2 B4"),
    "O13": ("E1 E2", "B1"), "O14": ("E5", "B6"), "O15": ("E5 E6", "B5 B6"),
    "O16": ("E2 E3 E6 E7", "B2 B3 B4"), "O17": ("E3 E5 E6", "B2 B5 B6"),
    "O18": ("E2 E3", "B3 B4 B5"), "O19": ("E3 E5", "B2 B4"), "O20": ("E5 E6", "B5 B6"),
}


def default_framework() -> FrameworkSpec:
    """The 33-item framework (7 enablers, 6 barriers, 20 options) with default links."""
    factors = tuple(FactorSpec(f"E{i}", "enabler", f"Enabler {i}") for i in range(1, 8)) + tuple(
        FactorSpec(f"B{i}", "barrier", f"Barrier {i}") for i in range(1, 7))
    options = tuple(
        OptionSpec(code, f"Option {code}", 1 + int(code[1:]) // 8, tuple(e.split()),
                   tuple(b.split()))
        for code, (e, b) in LINKS.items())
    return FrameworkSpec("bench", factors, options)


def make_data(rounds: int, agencies: int, items: list[str], seed: int):
    """Dense values (R, A, I) with ~10% NaN, and the same answers as a long, shuffled table."""
    rng = np.random.default_rng(seed)
    dense = rng.integers(1, 6, size=(rounds, agencies, len(items))).astype(np.float64)
    dense[rng.random(dense.shape) < 0.1] = np.nan
    r, a, i = (x.ravel() for x in np.indices(dense.shape))
    order = rng.permutation(r.size)
    names = np.array([f"Agency {k}" for k in range(agencies)], dtype=object)
    codes = np.array(items, dtype=object)
    long = pd.DataFrame({"round": r[order] + 1, "agency": names[a[order]],
                         "item": codes[i[order]], "value": dense.ravel()[order]})
    return dense, long


def floor(dense: np.ndarray):
    """Per (round, item) n, mean, min, max from the dense array."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN slices
        n = np.count_nonzero(~np.isnan(dense), axis=1)
        return n, np.nanmean(dense, axis=1), np.nanmin(dense, axis=1), np.nanmax(dense, axis=1)


def best_of(fns: dict, repeat: int) -> dict[str, float]:
    """Best time of each function, run round-robin so they share the machine's moods."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: min(ts) for name, ts in times.items()}


def check(result, dense: np.ndarray, n_factors: int) -> None:
    """score_rounds' item numbers equal the floor's (a check, not timed)."""
    n, mean, low, high = floor(dense)
    shape = (dense.shape[0], n_factors)
    items = result.items
    assert np.array_equal(items["n"].to_numpy().reshape(shape), n[:, :n_factors])
    for name, expected in (("mean", mean), ("min", low), ("max", high)):
        got = items[name].to_numpy().reshape(shape)
        assert np.allclose(got, expected[:, :n_factors], rtol=0, atol=1e-12, equal_nan=True)
    options = result.options["n"].to_numpy().reshape(dense.shape[0], -1)
    assert np.array_equal(options, n[:, n_factors:])


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=10_000)
    p.add_argument("--agencies", type=int, default=5)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)

    fw = default_framework()
    dense, long = make_data(args.rounds, args.agencies, list(fw.item_codes), args.seed)
    variants = {
        "categorical item/agency, shuffled rows": long.assign(
            item=long["item"].astype("category"), agency=long["agency"].astype("category")),
        "string item/agency, shuffled rows": long,
    }
    variants["categorical, rows in round order"] = variants[
        "categorical item/agency, shuffled rows"].sort_values(["round", "agency"])
    for frame in variants.values():
        check(score_rounds(frame, fw), dense, len(fw.factors))

    runs = {"floor": lambda: floor(dense)}
    for name, frame in variants.items():
        runs[name] = lambda frame=frame: score_rounds(frame, fw)
    best = best_of(runs, args.repeat)
    t_floor = best.pop("floor")
    print(f"{args.rounds:,} rounds x {args.agencies} agencies x {len(fw.item_codes)} items"
          f" = {len(long):,} answer rows; best of {args.repeat}, round-robin")
    width = max(len(name) for name in best) + len("score_rounds, ")
    print(f"{'numpy floor (dense array: n, mean, min, max)':{width}s} {t_floor * 1000:7.1f} ms")
    for name, seconds in best.items():
        print(f"{'score_rounds, ' + name:{width}s} {seconds * 1000:7.1f} ms"
              f"   ratio {seconds / t_floor:.2f}")


if __name__ == "__main__":
    main()
