"""Make a synthetic respondent file for the 2015 surveys (K1-K5), for demos and benchmarks.

    python benchmarks/survey_data.py OUT.csv [--public 1069 --service 115 --seed 1]

The shares of positive answers are those published in 2015 (98%, 90%, 72%,
84%, 76%), rounded to whole respondents: with the default sizes K3 is 770 of
1,069 (the example of ``docs/national-surveys.md``). Synthetic data: not the research's.
"""

from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path

import numpy as np

PUBLISHED = {"K1": 0.98, "K2": 0.90, "K3": 0.72, "K4": 0.84, "K5": 0.76}
SERVICE_MIX = {"police": 0.35, "fire": 0.30, "ambulance": 0.17, "local_authority": 0.11,
               "other": 0.07}


def _exact(rng, n: int, share: float, positive: list[str], negative: list[str]) -> np.ndarray:
    """n answers of which round(share * n) are positive, shuffled."""
    k = int(round(share * n))
    out = np.empty(n, dtype=object)
    out[:k] = rng.choice(positive, size=k)
    out[k:] = rng.choice(negative, size=n - k)
    rng.shuffle(out)
    return out


def make_survey_csv(*, public: int = 1069, service: int = 115, seed: int = 1) -> str:
    rng = np.random.default_rng(seed)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["respondent", "sample", "service", "nation", *PUBLISHED])
    services = rng.choice(list(SERVICE_MIX), size=service, p=list(SERVICE_MIX.values()))
    s_nation = rng.choice(["England", "Wales", ""], size=service, p=[0.85, 0.12, 0.03])
    k1 = _exact(rng, service, PUBLISHED["K1"], ["yes"], ["no"])
    k2 = _exact(rng, service, PUBLISHED["K2"], ["increased"], ["same", "decreased", "dont_know"])
    for i in range(service):
        w.writerow([f"S{i + 1:06d}", "service", services[i], s_nation[i], k1[i], k2[i], "", "",
                    ""])
    p_nation = rng.choice(["England", "Wales"], size=public, p=[0.94, 0.06])
    likert = {code: _exact(rng, public, PUBLISHED[code], ["4", "5"], ["1", "2", "3"])
              for code in ("K3", "K4", "K5")}
    for i in range(public):
        w.writerow([f"P{i + 1:06d}", "public", "", p_nation[i], "", "", likert["K3"][i],
                    likert["K4"][i], likert["K5"][i]])
    return buf.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--public", type=int, default=1069)
    parser.add_argument("--service", type=int, default=115)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    Path(args.out).write_text(make_survey_csv(public=args.public, service=args.service,
                                              seed=args.seed), encoding="utf-8")
    print(f"wrote {args.out}: {args.public} public and {args.service} service respondents")


if __name__ == "__main__":
    main()
