"""Time the scoring method against a plain-numpy floor, and print each figure beside its goal.

    python benchmarks/bench_scoring.py [--rounds 10000 --agencies 5 --repeat 5
                                        --round-agencies 10 --runs 300 --seed 1]

1. ``score_rounds`` on 10,000 rounds x 5 agencies x 33 items (1.65 M answer rows, a
   long table, rows shuffled), with ``item`` categorical (as the researchers' page
   passes it) and as plain strings. Goal: under 0.5 s. Best of ``--repeat``.
2. ``score_round`` on one round of 10 agencies x 33 items (the dashboard's call,
   with reasons). Goal: under 5 ms. Median of ``--runs``.

The floor, measured in the same run, starts from a dense (rounds x agencies x items)
array that already exists and computes only n, mean, min and max per round and
item: the least work any scorer must do. Each figure is printed as a ratio to it.
Every variant's numbers are first checked against the floor's. Timings run
round-robin so that all share the machine's good and bad moments. No Django needed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assessments.scoring import (  # noqa: E402
    FactorSpec,
    FrameworkSpec,
    OptionSpec,
    score_round,
    score_rounds,
)

LINKS = {  # option: (enablers, barriers), as the method's default links
    "O1": ("E1 E3 E6", "B2 B3"), "O2": ("E1 E4 E6", "B3 B6"), "O3": ("E3 E5 E6", "B2 B5"),
    "O4": ("E2 E3 E7", "B2 B3"), "O5": ("E1 E5", "B2 B6"), "O6": ("E1 E2", "B1"),
    "O7": ("E2 E6", "B3 B5"), "O8": ("E2 E4", "B3"), "O9": ("E2 E7", "B3 B4 B5"),
    "O10": ("E2 E6 E7", "B3 B5"), "O11": ("E3 E6", "B3"), "O12": ("E2 E3", "B2 B4"),
    "O13": ("E1 E2", "B1"), "O14": ("E5", "B6"), "O15": ("E5 E6", "B5 B6"),
    "O16": ("E2 E3 E6 E7", "B2 B3 B4"), "O17": ("E3 E5 E6", "B2 B5 B6"),
    "O18": ("E2 E3", "B3 B4 B5"), "O19": ("E3 E5", "B2 B4"), "O20": ("E5 E6", "B5 B6"),
}
BATCH_GOAL = 0.5  # seconds
ROUND_GOAL = 0.005


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
    """Dense answers (R, A, I), 1-5 with ~10% "Don't know" (NaN), and the same answers as
    a long, shuffled table."""
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
    """Per (round, item) n, mean, min, max from the dense array (axis 1: agencies)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN slices
        n = np.count_nonzero(~np.isnan(dense), axis=1)
        return n, np.nanmean(dense, axis=1), np.nanmin(dense, axis=1), np.nanmax(dense, axis=1)


def timings(fns: dict, repeat: int) -> dict[str, list[float]]:
    """Each function's times, run round-robin so that they share the machine's moods."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return times


def check_batch(result, dense: np.ndarray, n_factors: int) -> None:
    """score_rounds' item numbers equal the floor's (a check, not timed)."""
    n, mean, low, high = floor(dense)
    shape = (dense.shape[0], n_factors)
    items = result.items
    assert np.array_equal(items["n"].to_numpy().reshape(shape), n[:, :n_factors])
    for name, expected in (("mean", mean), ("min", low), ("max", high)):
        got = items[name].to_numpy().reshape(shape)
        assert np.allclose(got, expected[:, :n_factors], rtol=0, atol=1e-12, equal_nan=True)
    assert np.array_equal(result.options["n"].to_numpy().reshape(dense.shape[0], -1),
                          n[:, n_factors:])


def check_round(result, dense: np.ndarray, codes: tuple[str, ...]) -> None:
    """score_round's item numbers equal the floor's for the one round."""
    n, mean, low, high = (x[0] for x in floor(dense))
    for j, code in enumerate(codes[:len(result.items)]):
        item = result.items[code]
        assert item.n == n[j]
        for got, expected in ((item.mean, mean[j]), (item.min, low[j]), (item.max, high[j])):
            assert (got is None and np.isnan(expected)) or abs(got - expected) < 1e-12


def line(label: str, seconds: float, floor_seconds: float, goal: float, width: int) -> str:
    verdict = "meets" if seconds < goal else "MISSES"
    return (f"  {label:{width}s} {seconds * 1000:8.2f} ms   goal < {goal * 1000:g} ms "
            f"({verdict})   {seconds / floor_seconds:6.1f} x the floor")


def bench_batch(fw: FrameworkSpec, args) -> None:
    dense, long = make_data(args.rounds, args.agencies, list(fw.item_codes), args.seed)
    variants = {
        "score_rounds, item categorical": long.assign(item=long["item"].astype("category")),
        "score_rounds, item as strings": long,
    }
    for frame in variants.values():
        check_batch(score_rounds(frame, fw), dense, len(fw.enablers) + len(fw.barriers))
    runs = {"floor": lambda: floor(dense)}
    for name, frame in variants.items():
        runs[name] = lambda frame=frame: score_rounds(frame, fw)
    best = {name: min(ts) for name, ts in timings(runs, args.repeat).items()}
    t_floor = best.pop("floor")
    width = max(len(n) for n in best) + 1
    print(f"{args.rounds:,} rounds x {args.agencies} agencies x {len(fw.item_codes)} items = "
          f"{len(long):,} answer rows; best of {args.repeat}")
    print(f"  {'numpy floor (dense: n, mean, min, max)':{width}s} {t_floor * 1000:8.2f} ms")
    for name, seconds in best.items():
        print(line(name, seconds, t_floor, BATCH_GOAL, width))


def bench_round(fw: FrameworkSpec, args) -> None:
    dense, long = make_data(1, args.round_agencies, list(fw.item_codes), args.seed + 1)
    answers = long.drop(columns="round").assign(service="fire", comment="")
    agencies = sorted(answers["agency"].unique())
    check_round(score_round(answers, fw, agencies=agencies), dense, fw.item_codes)
    runs = {"floor": lambda: floor(dense),
            "score_round (with reasons)": lambda: score_round(answers, fw, agencies=agencies)}
    median = {name: statistics.median(ts) for name, ts in timings(runs, args.runs).items()}
    t_floor = median.pop("floor")
    width = max(len(n) for n in median) + 12
    print(f"one round: {args.round_agencies} agencies x {len(fw.item_codes)} items = "
          f"{len(answers)} answer rows; median of {args.runs}")
    print(f"  {'numpy floor (dense: n, mean, min, max)':{width}s} {t_floor * 1000:8.3f} ms")
    for name, seconds in median.items():
        print(line(name, seconds, t_floor, ROUND_GOAL, width))


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=10_000)
    p.add_argument("--agencies", type=int, default=5)
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--round-agencies", type=int, default=10)
    p.add_argument("--runs", type=int, default=300)
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    fw = default_framework()
    bench_batch(fw, args)
    bench_round(fw, args)


if __name__ == "__main__":
    main()
