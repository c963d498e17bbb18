"""Key findings: Wilson intervals, shares, bases, breakdowns and suppression (pure)."""

import math

import numpy as np
import pandas as pd
import pytest

from survey.national.findings import (
    FindingSpec,
    breakdown,
    findings_document,
    findings_table,
    key_findings,
    wilson_interval,
)

K1 = FindingSpec("K1", "Involved in collaboration", "service", ("yes",), 0.98)
K3 = FindingSpec("K3", "Should work together more", "public", ("4", "5"), 0.72)


def by_hand(positive, n, z=1.959963984540054):
    """Wilson's score interval written out from its textbook form."""
    p = positive / n
    centre = (2 * n * p + z**2) / (2 * (n + z**2))
    half = z * math.sqrt(z**2 + 4 * n * p * (1 - p)) / (2 * (n + z**2))
    return centre - half, centre + half


@pytest.mark.parametrize(("positive", "n", "expected"), [
    (770, 1069, (0.6926, 0.7464)),  # docs/national-surveys.md
    # Newcombe (1998), Statistics in Medicine 17:857-872, table I, method 3.
    (81, 263, (0.2553, 0.3662)),
    (15, 148, (0.0624, 0.1605)),
    (0, 20, (0.0, 0.1611)),
    (1, 29, (0.0061, 0.1718)),
])
def test_wilson_interval_matches_published_values(positive, n, expected):
    low, high = wilson_interval(positive, n)
    assert (round(low, 4), round(high, 4)) == expected


@pytest.mark.parametrize(("positive", "n"), [(1, 3), (50, 100), (113, 115), (7, 1000)])
def test_wilson_interval_matches_the_formula_by_hand(positive, n):
    assert wilson_interval(positive, n) == pytest.approx(by_hand(positive, n), abs=1e-12)


def test_wilson_interval_edges():
    assert wilson_interval(0, 0) is None
    low, high = wilson_interval(0, 10)
    assert low == 0.0 and 0 < high < 0.3
    low, high = wilson_interval(10, 10)
    assert high == 1.0 and 0.7 < low < 1
    with pytest.raises(ValueError):
        wilson_interval(11, 10)


def responses(rows):
    return pd.DataFrame(rows, columns=["sample", "service", "nation", "K1", "K3"])


def test_key_findings_counts_only_the_findings_sample_with_an_answer():
    frame = responses(
        [("service", "police", "England", "yes", None)] * 3
        + [("service", "fire", "Wales", "no", None)]
        + [("service", "fire", "Wales", None, None)]  # not asked: out of the base
        + [("public", "", "England", None, "5"), ("public", "", "England", None, "4"),
           ("public", "", "Wales", None, "3"), ("public", "", "", None, None)])
    table = key_findings(frame, [K1, K3])
    assert list(table.index) == ["K1", "K3"]
    assert table.loc["K1", "base"] == 4 and table.loc["K1", "positive"] == 3
    assert table.loc["K1", "share"] == 0.75
    assert table.loc["K3", "base"] == 3 and table.loc["K3", "positive"] == 2
    assert table.loc["K3", "share"] == pytest.approx(2 / 3)
    low, high = wilson_interval(2, 3)
    assert table.loc["K3", "ci_low"] == low and table.loc["K3", "ci_high"] == high


def test_counts_column_weights_rows_like_that_many_respondents():
    one_by_one = responses([("public", "", "England", None, "4")] * 770
                           + [("public", "", "England", None, "2")] * 299)
    counted = pd.DataFrame({"sample": ["public", "public"], "service": ["", ""],
                            "nation": ["England", "England"], "K1": [None, None],
                            "K3": ["4", "2"], "count": [770, 299]})
    a, b = key_findings(one_by_one, [K3]), key_findings(counted, [K3])
    pd.testing.assert_frame_equal(a, b)
    doc = findings_document("esc-2015", b)
    assert doc == {"survey": "esc-2015", "findings": {"K3": {
        "base": 1069, "positive": 770, "share": 0.7203, "ci95": [0.6926, 0.7464],
        "published": 0.72}}}


def test_published_figure_outside_the_interval_is_flagged():
    frame = pd.DataFrame({"sample": ["service", "service"], "service": ["police", "police"],
                          "nation": ["", ""], "K1": ["yes", "no"], "K3": [None, None],
                          "count": [80, 20]})
    table = key_findings(frame, [K1, K3])
    assert table.loc["K1", "share"] == 0.8
    assert bool(table.loc["K1", "published_outside_ci"])  # 0.98 is far above [0.71, 0.87]
    assert not bool(table.loc["K3", "published_outside_ci"])  # no answers: no flag
    assert table.loc["K3", "base"] == 0 and np.isnan(table.loc["K3", "share"])
    doc = findings_document("x", table)
    assert doc["findings"]["K3"] == {"base": 0, "positive": 0, "share": None, "ci95": None,
                                     "published": 0.72}


def counted(groups):
    """Service-sample rows: (service, nation, yes, no) counts."""
    rows = []
    for service, nation, yes, no in groups:
        rows += [("service", service, nation, "yes", None, yes),
                 ("service", service, nation, "no", None, no)]
    return pd.DataFrame(rows, columns=["sample", "service", "nation", "K1", "K3", "count"])


def test_breakdown_suppresses_a_group_just_under_the_minimum_and_shows_one_at_it():
    frame = counted([("police", "England", 8, 2),    # base 10: at the minimum, shown
                     ("fire", "England", 9, 0),      # base 9: just under, suppressed
                     ("ambulance", "Wales", 3, 0),   # base 3: suppressed
                     ("other", "Wales", 14, 6)])     # base 20
    table = breakdown(frame, [K1, K3], by="service", min_cell=10).set_index("group")
    assert list(table.index) == ["police", "fire", "ambulance", "other"]  # K3: public only
    police = table.loc["police"]
    assert not police["suppressed"] and police["base"] == 10 and police["positive"] == 8
    assert police["share"] == 0.8
    assert (police["ci_low"], police["ci_high"]) == wilson_interval(8, 10)
    fire = table.loc["fire"]
    assert fire["suppressed"] and fire["suppression"] == "small"
    assert pd.isna(fire["base"]) and pd.isna(fire["positive"])
    assert np.isnan(fire["share"]) and np.isnan(fire["ci_low"]) and np.isnan(fire["ci_high"])
    assert table.loc["ambulance", "suppressed"] and not table.loc["other", "suppressed"]


def test_a_lone_suppressed_group_takes_the_next_smallest_with_it():
    # Fire alone under 10 could be worked out as the total minus the others, so the
    # next smallest group (police, 10) is suppressed too; the larger ones stay.
    frame = counted([("police", "England", 8, 2), ("fire", "England", 9, 0),
                     ("ambulance", "Wales", 6, 6), ("other", "Wales", 25, 5)])
    table = breakdown(frame, [K1], by="service", min_cell=10).set_index("group")
    assert table["suppression"].to_dict() == {"police": "secondary", "fire": "small",
                                              "ambulance": "", "other": ""}
    assert pd.isna(table.loc["police", "base"])
    assert table.loc["ambulance", "base"] == 12


def test_breakdown_by_nation_keeps_not_stated_and_suppression_is_settable():
    frame = counted([("police", "England", 3, 1), ("police", "", 2, 0)])
    table = breakdown(frame, [K1], by="nation", min_cell=1).set_index("group")
    assert table.loc["England", "base"] == 4 and table.loc["", "base"] == 2
    table = breakdown(frame, [K1], by="nation", min_cell=5).set_index("group")
    assert table["suppressed"].all()


def test_findings_table_has_each_total_then_its_breakdowns_figures_empty_when_suppressed():
    frame = counted([("police", "England", 8, 2), ("fire", "Wales", 9, 0),
                     ("ambulance", "", 20, 5), ("other", "Wales", 25, 5)])
    findings = key_findings(frame, [K1])
    table = findings_table(findings, {
        "service": breakdown(frame, [K1], by="service", min_cell=10),
        "nation": breakdown(frame, [K1], by="nation", min_cell=10)})
    assert list(zip(table["breakdown"], table["group"], strict=True)) == [
        ("total", ""), ("service", "police"), ("service", "fire"), ("service", "ambulance"),
        ("service", "other"), ("nation", "England"), ("nation", "Wales"),
        ("nation", "not_stated")]
    total = table.iloc[0]
    assert total["base"] == 74 and total["positive"] == 62 and total["share"] == 0.8378
    assert total["published"] == 0.98 and bool(total["published_outside_ci"])
    fire = table.iloc[2]
    assert fire["suppressed"] and fire["suppression"] == "small"
    assert pd.isna(fire["base"]) and np.isnan(fire["share"]) and np.isnan(fire["ci_low"])
    police = table.iloc[1]
    assert police["suppression"] == "secondary" and pd.isna(police["positive"])
    assert pd.isna(table.iloc[5]["published"]) and pd.isna(table.iloc[5]["published_outside_ci"])
    # Numbers stay numbers: the suppressed cells are missing values, not words.
    assert pd.api.types.is_integer_dtype(table["base"])
    assert pd.api.types.is_float_dtype(table["share"])
