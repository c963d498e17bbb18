"""``manage.py score`` prints, byte for byte, the JSON it printed before the scoring core
was rewritten: the demo rounds and generated rounds (``golden/make_inputs.py``) kept
with their outputs in ``golden/``."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

GOLDEN = Path(__file__).resolve().parent / "golden"
CASES = sorted(p.stem for p in GOLDEN.glob("*.csv"))


def test_the_golden_files_are_there():
    assert {"eastvale-2026", "northshire-baseline-2025", "northshire-review-2026",
            "gen-thresholds", "gen-lone-agency", "gen-opposition",
            "gen-dont-know-agency"} <= set(CASES)
    assert all((GOLDEN / f"{name}.json").is_file() for name in CASES)


@pytest.mark.parametrize("name", CASES)
def test_score_prints_the_golden_json(framework, name):
    out = io.StringIO()
    call_command("score", str(GOLDEN / f"{name}.csv"), stdout=out, stderr=io.StringIO())
    assert out.getvalue() == (GOLDEN / f"{name}.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["eastvale-2026", "gen-thresholds"])
def test_the_json_is_english_whatever_the_language(framework, name):
    out = io.StringIO()
    with translation.override("cy"):
        call_command("score", str(GOLDEN / f"{name}.csv"), stdout=out, stderr=io.StringIO())
    assert out.getvalue() == (GOLDEN / f"{name}.json").read_text(encoding="utf-8")
