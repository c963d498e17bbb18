"""Write the generated answer files of the golden tests (seeded: the same files every run).

    python tests/assessments/scoring/golden/make_inputs.py

Only the inputs are made here. Each ``<name>.json`` beside them was printed by
``manage.py score <name>.csv`` before the scoring core was rewritten, and must
stay byte for byte the same (``test_golden.py``).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ENABLERS = [f"E{i}" for i in range(1, 8)]
BARRIERS = [f"B{i}" for i in range(1, 7)]
OPTIONS = [f"O{i}" for i in range(1, 21)]
ITEMS = ENABLERS + BARRIERS + OPTIONS
SERVICES = ["police", "fire", "ambulance", "local_authority", "other"]


def write(name: str, rows: list[tuple[str, str, str, int | None, str]]) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["agency", "service", "item", "value", "comment"])
    for agency, service, item, value, comment in rows:
        writer.writerow([agency, service, item, "" if value is None else value, comment])
    (HERE / f"{name}.csv").write_text(out.getvalue(), encoding="utf-8")


def agency(k: int) -> tuple[str, str]:
    service = SERVICES[k % len(SERVICES)]
    return f"Agency {k + 1} ({service.replace('_', ' ')})", service


def random_round(seed: int, n_agencies: int, dont_know: float = 0.15) -> list[tuple]:
    """Every agency answers every item, 1-5, some blank ("Don't know")."""
    rng = np.random.default_rng(seed)
    rows = []
    for k in range(n_agencies):
        name, service = agency(k)
        for item in ITEMS:
            value = None if rng.random() < dont_know else int(rng.integers(1, 6))
            rows.append((name, service, item, value, ""))
    return rows


def thresholds_round() -> list[tuple]:
    """Four agencies whose answers land exactly on every threshold of the method."""
    table = {
        # enablers: mean 3.0 min 3 (developing); mean 3.0 min 2 (weak); mean 4.0 min 3
        # (strong); mean 2.0 (weak, not absent); mean 1.75 (absent); spread exactly 2.
        "E1": [3, 3, 3, 3], "E2": [4, 2, 3, 3], "E3": [4, 4, 5, 3], "E4": [2, 2, 2, 2],
        "E5": [1, 2, 2, 2], "E6": [3, 5, 4, 4], "E7": [None, 4, 4, 4],
        # barriers: mean 3.0 (significant); max 4 (significant); max 5 (key); mean 2.75 minor.
        "B1": [3, 3, 3, 3], "B2": [1, 4, 1, 2], "B3": [5, 1, 1, 1], "B4": [2, 3, 3, 3],
        "B5": [1, 2, 1, 2], "B6": [None, None, 3, 1],
        # options: share exactly 0.75; 2 of 3; exactly support 4 / oppose 2 boundaries.
        "O1": [4, 4, 4, 3], "O2": [4, 5, 3, None], "O3": [4, 4, 4, 4], "O4": [4, 4, 4, 2],
        "O5": [5, 5, 5, 5], "O6": [4, 4, 4, 4], "O7": [3, 3, 3, 3], "O8": [1, 5, 5, 5],
        "O9": [4, 4, None, None], "O10": [4, None, None, None], "O11": [5, 5, 5, 3],
        "O12": [4, 4, 4, 4], "O13": [5, 4, 5, 4], "O14": [4, 4, 4, 4], "O15": [2, 2, 2, 2],
        "O16": [4, 4, 4, 4], "O17": [5, 5, 5, 4], "O18": [4, 4, 4, 4], "O19": [3, 4, 5, 4],
        "O20": [4, 4, 5, 5],
    }
    names = ["Northshire Police", "Northshire Fire and Rescue Service",
             "North West Ambulance Service", "Northshire County Council"]
    services = ["police", "fire", "ambulance", "local_authority"]
    return [(names[k], services[k], item, values[k], "")
            for k in range(4) for item, values in table.items()]


def lone_agency() -> list[tuple]:
    return [(name, service, item, value, "") for name, service, item, value, _ in
            random_round(11, 1)]


def opposition_round() -> list[tuple]:
    """Strong support everywhere, but one agency opposes (1) and another opposes (2) options."""
    rows = []
    for k in range(5):
        name, service = agency(k)
        for item in ITEMS:
            value = 4 if item[0] == "E" else 2 if item[0] == "B" else 5
            if k == 2 and item in ("O1", "O6", "O14"):
                value = 1
            if k == 4 and item in ("O6", "O9"):
                value = 2
            rows.append((name, service, item, value, "Gwasanaeth Tân ac Achub" if k == 1 else ""))
    return rows


def dont_know_agency_round() -> list[tuple]:
    """Three agencies, one of which answered everything "Don't know"."""
    rows = random_round(21, 2, dont_know=0.05)
    name, service = agency(7)
    rows += [(name, service, item, None, "") for item in ITEMS]
    return rows


def main() -> None:
    write("gen-thresholds", thresholds_round())
    write("gen-lone-agency", lone_agency())
    write("gen-opposition", opposition_round())
    write("gen-dont-know-agency", dont_know_agency_round())
    write("gen-random-3", random_round(3, 3))
    write("gen-random-7", random_round(7, 7, dont_know=0.3))
    write("gen-random-10", random_round(10, 10))
    write("gen-random-2", random_round(2, 2, dont_know=0.5))


if __name__ == "__main__":
    main()
