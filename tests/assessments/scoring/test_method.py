"""The scoring method (docs/scoring-method.md), rule by rule, on hand-made tables.

Pure: no database. The framework here mirrors the published codes, titles and
default links; the production framework comes from the fixture file. Reasons are
checked as data here; their sentences in ``test_wording.py``.
"""

import json
import math
import warnings
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.scoring import (
    METHOD,
    BatchResult,
    FactorSpec,
    FrameworkSpec,
    OptionSpec,
    Reason,
    RoundResult,
    Thresholds,
    score_round,
    score_rounds,
    spec_round,
    to_json,
)

ENABLERS = {
    "E1": "Clear and shared vision",
    "E2": "Trust at all levels",
    "E3": "Clear, shared resource plan",
    "E4": "Agreed, realistic timeline and delivery pathway",
    "E5": "Local cross-party political buy-in",
    "E6": "Robust governance architecture",
    "E7": "Retaining service identity",
}
BARRIERS = {
    "B1": "Narrow focus of collaboration",
    "B2": "Funding streams and cycles",
    "B3": "Organisational differences",
    "B4": "Staff engagement and representative bodies",
    "B5": "Legislation",
    "B6": "Inconsistent direction from government departments",
}
# option: (published level, enablers, barriers) — the default links of docs/scoring-method.md
LINKS = {
    "O1": (1, "E1 E3 E6", "B2 B3"), "O2": (1, "E1 E4 E6", "B3 B6"),
    "O3": (1, "E3 E5 E6", "B2 B5"), "O4": (1, "E2 E3 E7", "B2 B3"),
    "O5": (1, "E1 E5", "B2 B6"), "O6": (1, "E1 E2", "B1"), "O7": (1, "E2 E6", "B3 B5"),
    "O8": (1, "E2 E4", "B3"), "O9": (2, "E2 E7", "B3 B4 B5"), "O10": (2, "E2 E6 E7", "B3 B5"),
    "O11": (2, "E3 E6", "B3"), "O12": (2, "E2 E3", "B2 B4"), "O13": (2, "E1 E2", "B1"),
    "O14": (2, "E5", "B6"), "O15": (2, "E5 E6", "B5 B6"), "O16": (3, "E2 E3 E6 E7", "B2 B3 B4"),
    "O17": (3, "E3 E5 E6", "B2 B5 B6"), "O18": (3, "E2 E3", "B3 B4 B5"),
    "O19": (3, "E3 E5", "B2 B4"), "O20": (3, "E5 E6", "B5 B6"),
}
ITEM_CODES = [*ENABLERS, *BARRIERS, *LINKS]

FIRE = "Northshire Fire and Rescue Service"
POLICE = "Northshire Police"
AMBULANCE = "North West Ambulance Service"
COUNCIL = "Northshire County Council"


def make_framework(thresholds: Thresholds | None = None, weights: dict | None = None,
                   code: str = "esc-2015") -> FrameworkSpec:
    weights = weights or {}
    factors = tuple(FactorSpec(c, "enabler", t, weights.get(c, 1.0))
                    for c, t in ENABLERS.items())
    factors += tuple(FactorSpec(c, "barrier", t, weights.get(c, 1.0))
                     for c, t in BARRIERS.items())
    options = tuple(OptionSpec(c, f"Option {c}", level, tuple(e.split()), tuple(b.split()))
                    for c, (level, e, b) in LINKS.items())
    return FrameworkSpec(code, factors, options, thresholds or Thresholds())


FW = make_framework()


def answers(table: dict[str, dict[str, float | None]]) -> pd.DataFrame:
    """{agency: {item: value or None for "Don't know"}} -> the long answers table."""
    rows = [(agency, item, math.nan if value is None else float(value))
            for agency, items in table.items() for item, value in items.items()]
    return pd.DataFrame(rows, columns=["agency", "item", "value"])


def by_item(values: dict[str, list[float | None]]) -> pd.DataFrame:
    """{item: [agency 1's value, agency 2's, ...]} -> answers from agencies A1, A2, ..."""
    table: dict[str, dict[str, float | None]] = {}
    for item, column in values.items():
        for i, value in enumerate(column):
            table.setdefault(f"A{i + 1}", {})[item] = value
    return answers(table)


def score(values: dict[str, list[float | None]], fw: FrameworkSpec = FW, **kw) -> RoundResult:
    return score_round(by_item(values), fw, **kw)


def codes(result: RoundResult, option: str) -> list[str]:
    return [r.code for r in result.options[option].reasons]


# Everything linked to O6 (E1 E2 | B1) in good shape, for option tests.
O6_CLEAR = {"E1": [4, 4, 4, 4], "E2": [5, 4, 4, 5], "B1": [1, 2, 1, 2]}


# --------------------------------------------------------------------------- framework


def test_framework_mirrors_the_published_shape():
    assert len(FW.enablers) == 7 and len(FW.barriers) == 6 and len(FW.options) == 20
    assert FW.item_codes[:3] == ("E1", "E2", "E3") and FW.item_codes[7] == "B1"
    assert FW.item_codes[-1] == "O20"


@pytest.mark.parametrize("mutate, message", [
    (lambda f: replace(f, factors=f.factors + (FactorSpec("E1", "enabler", "Again"),)),
     "duplicate codes"),
    (lambda f: replace(f, options=(OptionSpec("O1", "x", 1, ("B1",), ()),)),
     "'B1' is not one of the framework's enablers"),
    (lambda f: replace(f, options=(OptionSpec("O1", "x", 1, (), ("E9",)),)),
     "'E9' is not one of the framework's barriers"),
    (lambda f: replace(f, options=(OptionSpec("O1", "x", 1, ("E1", "E1"), ()),)),
     "linked twice"),
    (lambda f: replace(f, factors=(FactorSpec("E1", "enabler", "x", -1.0),)), "weight"),
    (lambda f: replace(f, factors=(FactorSpec("E1", "driver", "x"),)), "kind"),
])
def test_framework_refuses_inconsistent_specs(mutate, message):
    with pytest.raises(ValueError, match=message):
        mutate(FW)


# --------------------------------------------------------------------------- one item


def test_item_statistics_leave_out_dont_know():
    item = score({"E1": [4, None, 2, 3]}).items["E1"]
    assert (item.n, item.mean, item.min, item.max, item.spread) == (3, 3.0, 2, 4, 2)
    assert item.values == {"A1": 4.0, "A2": None, "A3": 2.0, "A4": 3.0}


def test_unanswered_item_has_no_status():
    result = score({"E1": [None, None], "B2": [3, 3]})
    e1 = result.items["E1"]
    assert (e1.n, e1.mean, e1.min, e1.max, e1.spread, e1.status) == (0, None, None, None,
                                                                      None, None)
    assert not e1.absent and not e1.divergent
    assert result.items["E7"].n == 0 and result.items["E7"].status is None


@pytest.mark.parametrize("values, status, absent", [
    ([3, 3, 3], "developing", False),  # mean exactly 3.0, min 3: not weak
    ([4, 2, 3], "weak", False),  # mean 3.0 but min exactly 2
    ([5, 5, 5, 2], "weak", False),  # mean 4.25 but min exactly 2
    ([3, 5, 4], "strong", False),  # mean exactly 4.0 and min exactly 3
    ([4, 4, 3], "developing", False),  # min 3 but mean 3.67 < 4
    ([2, 5, 5], "weak", False),  # mean 4.0 but min 2
    ([2, 2], "weak", False),  # mean exactly 2.0: weak, not absent
    ([1, 2, 2, 3], "weak", False),  # mean 2.0 again
    ([1, 2], "weak", True),  # mean 1.5: absent
    ([1, 1, 3], "weak", True),  # mean 1.67: absent
    ([5], "strong", False),  # one answer is enough for a status
])
def test_enabler_status(values, status, absent):
    item = score({"E2": values}).items["E2"]
    assert (item.status, item.absent) == (status, absent)


@pytest.mark.parametrize("values, status", [
    ([3, 3], "significant"),  # mean exactly 3.0
    ([2, 3, 3, 3], "minor"),  # mean 2.75, max 3
    ([1, 4], "significant"),  # max exactly 4, mean 2.5
    ([1, 1, 1, 5], "key"),  # max 5 (mean 2.0): key, not significant
    ([5, 5], "key"),
    ([1, 2], "minor"),
])
def test_barrier_status(values, status):
    item = score({"B4": values}).items["B4"]
    assert item.status == status
    assert item.absent is False


@pytest.mark.parametrize("values, divergent", [
    ([3, 5], True),  # spread exactly 2
    ([1, 5, None], True),
    ([3, 4, 4], False),  # spread 1
    ([5, None, None], False),  # one answer: never divergent
    ([2, 2, 2, 4], True),
])
def test_divergence(values, divergent):
    assert score({"E5": values, "O3": values}).items["E5"].divergent is divergent
    assert score({"O3": values}).options["O3"].divergent is divergent


# --------------------------------------------------------------------------- options


def test_share_exactly_at_the_minimum_is_level_1():
    result = score({**O6_CLEAR, "O6": [4, 5, 4, 3]})  # 3 of 4 = 75 %
    option = result.options["O6"]
    assert (option.level, option.n, option.supporters, option.support_share) == (1, 4, 3, 0.75)
    assert codes(result, "O6") == ["all_clear"]
    assert option.reasons == [Reason("all_clear", n=4, supporters=3)]


def test_share_just_under_the_minimum_is_level_3():
    result = score({**O6_CLEAR, "O6": [4, 5, 3, None]})  # 2 of 3 = 66.7 %
    option = result.options["O6"]
    assert option.level == 3
    assert codes(result, "O6") == ["support_below_share"]
    assert option.reasons == [Reason("support_below_share", n=3, supporters=2, share=2 / 3,
                                     share_min=0.75)]


def test_nobody_supporting_is_below_the_share():
    result = score({**O6_CLEAR, "O6": [3, 3]})
    assert result.options["O6"].reasons == [
        Reason("support_below_share", n=2, supporters=0, share=0.0, share_min=0.75)]


def test_one_opposing_agency_makes_level_3_and_is_named():
    table = {POLICE: {"O6": 5}, FIRE: {"O6": 2}, AMBULANCE: {"O6": 5}, COUNCIL: {"O6": 4}}
    for items in table.values():
        items.update({"E1": 4, "E2": 4, "B1": 1})
    result = score_round(answers(table), FW)
    option = result.options["O6"]
    assert option.support_share == 0.75  # support alone would be enough
    assert (option.level, option.opposed, option.opposed_agencies) == (3, 1, [FIRE])
    assert codes(result, "O6") == ["opposed"]
    reason = option.reasons[0]
    assert reason.agency == FIRE
    assert reason == Reason("opposed", agency=FIRE, value=2.0)


def test_weak_enabler_makes_level_2():
    result = score({"E1": [4, 4], "E3": [2, 3], "E6": [4, 5], "B2": [1, 1], "B3": [2, 2],
                    "O1": [4, 5]})
    option = result.options["O1"]
    assert (option.level, option.issues, option.keys) == (2, ["E3"], [])
    assert codes(result, "O1") == ["weak_enabler"]
    assert option.reasons[0].item == "E3"
    assert option.reasons[0] == Reason("weak_enabler", item="E3", mean=2.5, min=2, max=3)


def test_significant_barrier_makes_level_2():
    result = score({**O6_CLEAR, "B1": [3, 3, 3, 3], "O6": [4, 4, 4, 4]})
    option = result.options["O6"]
    assert (option.level, option.issues) == (2, ["B1"])
    assert option.reasons[0].code == "significant_barrier"
    assert option.reasons[0] == Reason("significant_barrier", item="B1", mean=3, min=3, max=3)


def test_absent_enabler_is_a_key_not_also_an_issue():
    result = score({"E1": [1, 2], "E2": [4, 4], "B1": [1, 1], "O6": [5, 5]})
    option = result.options["O6"]
    assert result.items["E1"].status == "weak" and result.items["E1"].absent
    assert (option.level, option.keys, option.issues) == (3, ["E1"], [])
    assert codes(result, "O6") == ["absent_enabler"]
    assert option.reasons[0] == Reason("absent_enabler", item="E1", mean=1.5, min=1, max=2)


def test_key_barrier_makes_level_3():
    result = score({"E2": [4, 4], "E6": [4, 4], "B3": [1, 1], "B5": [5, 1], "O7": [5, 4]})
    option = result.options["O7"]
    assert (option.level, option.keys) == (3, ["B5"])
    assert codes(result, "O7") == ["key_barrier"]
    assert option.reasons[0] == Reason("key_barrier", item="B5", mean=3, min=1, max=5)


def test_unanswered_linked_factor_is_neither_issue_nor_key():
    result = score({"O6": [4, 4], "E1": [None, None]})  # E2 and B1 not answered at all
    option = result.options["O6"]
    assert (option.level, option.issues, option.keys) == (1, [], [])


def test_factors_not_linked_do_not_count():
    result = score({**O6_CLEAR, "E3": [1, 1, 1, 1], "B5": [5, 5, 5, 5], "O6": [4, 4, 4, 4]})
    assert result.options["O6"].level == 1


def test_reasons_in_order_support_opposed_keys_issues_in_link_order():
    # O16 links E2 E3 E6 E7 | B2 B3 B4.
    result = score({"E2": [2, 3, 3], "E3": [1, 1, 2], "E6": [4, 4, 4], "E7": [1, 2, 2],
                    "B2": [5, 1, 1], "B3": [4, 2, 2], "B4": [1, 2, 3],
                    "O16": [2, 4, 3]})
    option = result.options["O16"]
    assert option.level == 3
    assert codes(result, "O16") == ["support_below_share", "opposed", "absent_enabler",
                                    "absent_enabler", "key_barrier", "weak_enabler",
                                    "significant_barrier"]
    assert [r.item for r in option.reasons] == [None, None, "E3", "E7", "B2", "E2", "B3"]
    assert option.keys == ["E3", "E7", "B2"] and option.issues == ["E2", "B3"]


def test_one_agency_is_not_rated():
    result = score({"E1": [4], "E2": [4], "B1": [1], "O6": [5]})
    option = result.options["O6"]
    assert option.level is None
    assert (option.n, option.supporters, option.support_share) == (1, 1, 1.0)
    assert option.reasons == []


def test_too_few_answers_to_the_option_is_not_rated():
    result = score({**O6_CLEAR, "O6": [5, None, None, None]})
    assert result.options["O6"].level is None
    assert result.options["O6"].n == 1


def test_option_nobody_answered_is_not_rated():
    result = score(O6_CLEAR)
    option = result.options["O6"]
    assert (option.level, option.n, option.support_share, option.reasons) == (None, 0, None, [])


def test_an_all_dont_know_agency_counts_as_submitted_but_not_in_n():
    table = {POLICE: {"O6": 4, "E1": 4}, FIRE: {"O6": 5, "E1": 3}, COUNCIL: {"O6": None}}
    result = score_round(answers(table), FW, agencies=[POLICE, FIRE, COUNCIL, AMBULANCE])
    assert result.agencies == [POLICE, FIRE, COUNCIL, AMBULANCE]  # as given, not sorted
    option = result.options["O6"]
    assert (option.level, option.n, option.support_share) == (1, 2, 1.0)  # 2 of 2, not 2 of 4
    assert option.values == {POLICE: 4.0, FIRE: 5.0, COUNCIL: None, AMBULANCE: None}


def test_submitted_agencies_below_minimum_are_not_rated():
    fw = make_framework(Thresholds(min_agencies=3))
    table = {POLICE: {"O6": 4}, FIRE: {"O6": 5}}
    assert score_round(answers(table), fw, agencies=[POLICE, FIRE]).options["O6"].level is None
    table[AMBULANCE] = {"O6": 4}
    assert score_round(answers(table), fw).options["O6"].level == 1


def test_agencies_default_to_those_answering_sorted():
    table = {POLICE: {"E1": 3}, AMBULANCE: {"E1": None}, FIRE: {"E1": 4}}
    assert score_round(answers(table), FW).agencies == [AMBULANCE, FIRE, POLICE]


# --------------------------------------------------------------------------- readiness


def test_readiness_formula():
    result = score({"E1": [4, 4], "E2": [2, 2], "B1": [2, 2], "B2": [1, 1]})
    # ES = mean of 75 and 25 = 50; BS = mean of 25 and 0 = 12.5
    assert result.enabler_score == 50 and result.barrier_score == 12.5
    assert result.readiness == round(0.7 * 50 + 0.3 * 87.5, 1) == 61.2  # 61.25, as Python rounds


def test_readiness_weights():
    fw = make_framework(weights={"E1": 3, "B2": 2})
    result = score({"E1": [4, 4], "E2": [2, 2], "B1": [2, 2], "B2": [1, 1]}, fw)
    # ES = (3*75 + 25) / 4 = 62.5; BS = (25 + 2*0) / 3 = 8.33; 43.75 + 27.5 = 71.25
    assert result.enabler_score == 62.5
    assert result.barrier_score == pytest.approx(25 / 3)
    assert result.readiness == 71.2  # 71.25, ties to even as Python's round


def test_readiness_rounds_as_the_spec_formula_does():
    # ES = 37.5, BS = 0: 0.7 * 37.5 + 30 = 56.25 -> round(56.25, 1) == 56.2.
    result = score({"E4": [2, 3], "B6": [1, 1]})
    assert result.readiness == round(0.7 * 37.5 + 0.3 * 100, 1) == 56.2
    # and a value that is not a tie rounds to the nearest: ES = 50, BS = 25/3.
    result = score({"E4": [3, 3], "B6": [2, 1]})
    assert result.readiness == round(0.7 * 50 + 0.3 * (100 - 12.5), 1)


def test_readiness_ignores_unanswered_factors():
    result = score({"E1": [5, 5], "E2": [None, None], "B1": [1, 1]})
    assert result.readiness == 100.0


def test_readiness_needs_an_enabler_and_a_barrier():
    assert score({"E1": [4, 4], "B1": [None, None], "O1": [5, 5]}).readiness is None
    assert score({"B1": [4, 4]}).readiness is None
    assert score({"E1": [4, 4]}).barrier_score is None


# --------------------------------------------------------------------------- custom thresholds


def test_custom_thresholds_are_respected():
    fw = make_framework(Thresholds(support_share_min=0.5, oppose_value=1, barrier_key_max=4,
                                   enabler_weak_mean=2.0, enabler_weak_min=1,
                                   divergence_spread=3))
    result = score({"E1": [3, 2], "E2": [3, 3], "B1": [4, 1], "O6": [4, 2]}, fw)
    assert result.items["E1"].status == "developing"  # mean 2.5 >= 2.0 and min 2 > 1
    assert result.items["B1"].status == "key"  # highest 4 now blocks
    assert result.items["B1"].divergent is True  # spread 3
    option = result.options["O6"]
    assert option.opposed == 0  # a 2 no longer opposes
    assert option.support_share == 0.5
    assert codes(result, "O6") == ["key_barrier"]
    assert option.reasons[0] == Reason("key_barrier", item="B1", mean=2.5, min=1, max=4)


def test_custom_support_value_and_share():
    fw = make_framework(Thresholds(support_value=5, support_share_min=1.0))
    result = score({"O14": [5, 4]}, fw)
    assert (result.options["O14"].supporters, result.options["O14"].level) == (1, 3)
    assert score({"O14": [5, 5]}, fw).options["O14"].level == 1


# --------------------------------------------------------------------------- JSON document


def test_to_dict_has_exactly_the_published_shape():
    result = score({"E1": [3, 4, 4], "E3": [2, 3, 2], "B3": [1, 2, 1],
                    "O1": [4, 5, 4], "O2": [2, 4, 4]})
    doc = result.to_dict(lambda reason: f"<{reason.code} {reason.item or reason.agency}>")
    assert list(doc) == ["method", "framework", "agencies", "readiness", "items", "options"]
    assert doc["method"] == METHOD == "v1" and doc["framework"] == "esc-2015"
    assert doc["agencies"] == ["A1", "A2", "A3"]
    assert list(doc["items"]) == [*ENABLERS, *BARRIERS]
    assert list(doc["options"]) == list(LINKS)
    assert doc["items"]["E1"] == {"n": 3, "mean": 3.67, "min": 3, "max": 4, "spread": 1,
                                  "status": "developing", "absent": False, "divergent": False}
    assert doc["items"]["E2"] == {"n": 0, "mean": None, "min": None, "max": None,
                                  "spread": None, "status": None, "absent": False,
                                  "divergent": False}
    assert doc["options"]["O1"] == {
        "level": 2, "published_level": 1, "n": 3, "supporters": 3, "support_share": 1.0,
        "opposed": 0,
        "reasons": [{"code": "weak_enabler", "item": "E3", "text": "<weak_enabler E3>"}]}
    o2 = doc["options"]["O2"]
    assert o2["opposed"] == 1 and o2["support_share"] == 0.6667
    assert o2["reasons"][0] == {"code": "support_below_share", "item": None,
                                "text": "<support_below_share None>"}
    assert o2["reasons"][1] == {"code": "opposed", "item": None, "agency": "A1",
                                "text": "<opposed A1>"}
    assert list(o2["reasons"][1]) == ["code", "item", "text", "agency"]
    assert doc["options"]["O20"] == {"level": None, "published_level": 3, "n": 0,
                                     "supporters": 0, "support_share": None, "opposed": 0,
                                     "reasons": []}
    assert isinstance(doc["items"]["E1"]["min"], int)
    assert json.loads(json.dumps(doc)) == doc


def test_without_words_reasons_carry_their_figures():
    result = score({"E1": [3, 4, 4], "E3": [2, 3, 2], "O1": [4, 5, 4], "O2": [2, 4, 4]})
    reasons = result.to_dict()["options"]
    assert reasons["O1"]["reasons"] == [{"code": "weak_enabler", "item": "E3",
                                         "mean": 7 / 3, "min": 2.0, "max": 3.0}]
    assert reasons["O2"]["reasons"][:2] == [
        {"code": "support_below_share", "item": None, "n": 3, "supporters": 2,
         "share": 2 / 3, "share_min": 0.75},
        {"code": "opposed", "item": None, "agency": "A1", "value": 2.0}]


def test_to_json_is_deterministic_and_keeps_names_readable():
    table = {"Gwasanaeth Tân ac Achub": {"O6": 2, "E1": 4}, POLICE: {"O6": 4, "E1": 4}}
    text = to_json(score_round(answers(table), FW))
    assert text == to_json(score_round(answers(table).iloc[::-1], FW))
    assert '"agency": "Gwasanaeth Tân ac Achub"' in text  # not \u-escaped
    assert json.loads(text)["readiness"] is None


def test_means_are_rounded_in_the_document_only():
    result = score({"E5": [4, 4, 4, 4, 4, 3, 3, 3]})  # 29 / 8 = 3.625
    assert result.items["E5"].mean == 3.625
    assert result.to_dict()["items"]["E5"]["mean"] == round(3.625, 2) == 3.62
    result = score({"E5": [4, 4, 3]})  # 11 / 3
    assert result.to_dict()["items"]["E5"]["mean"] == 3.67


@pytest.mark.parametrize("x, digits, expected", [
    (61.25, 1, 61.2), (56.35, 1, 56.4), (2.675, 2, 2.67), (3.625, 2, 3.62), (1 / 3, 4, 0.3333),
    (61.249999, 1, 61.2), (100.0, 1, 100.0),
])
def test_spec_round_is_pythons_round(x, digits, expected):
    assert float(spec_round(x, digits)) == expected == round(x, digits)
    assert spec_round(np.array([x, np.nan]), digits)[0] == expected


# --------------------------------------------------------------------------- input checks


def test_score_round_refuses_bad_tables():
    with pytest.raises(ValueError, match="unknown item"):
        score_round(answers({POLICE: {"E9": 3}}), FW)
    duplicated = pd.concat([answers({POLICE: {"E1": 3}})] * 2)
    with pytest.raises(ValueError, match="more than once"):
        score_round(duplicated, FW)
    with pytest.raises(ValueError, match="did not submit"):
        score_round(answers({POLICE: {"E1": 3}}), FW, agencies=[FIRE])
    with pytest.raises(ValueError, match="lacks column"):
        score_round(pd.DataFrame({"agency": [POLICE], "item": ["E1"]}), FW)


def test_extra_columns_are_ignored():
    df = answers({POLICE: {"E1": 3}, FIRE: {"E1": 5}}).assign(comment="x", round=7)
    assert score_round(df, FW).items["E1"].mean == 4


def test_no_numpy_warnings_escape():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        score({"E1": [None, None], "O1": [None, None]})
        score_rounds(by_item({"E1": [None, None]}).assign(round=1), FW)
        score_rounds(by_item({"E1": [1, None], "B1": [5, 5]}).assign(round=1), FW)


@pytest.mark.parametrize("value", [1.5, 0, 6, -1, math.inf, 4.000001])
def test_answers_must_be_whole_numbers_from_1_to_5(value):
    table = by_item({"E1": [3, value]})
    with pytest.raises(ValueError, match=r"is not a whole number from 1 to 5"):
        score_round(table, FW)
    with pytest.raises(ValueError, match=r"to E1 is not a whole number from 1 to 5"):
        score_rounds(table.assign(round=1), FW)


def test_whole_numbers_of_any_numeric_type_are_accepted():
    table = by_item({"E1": [3, 5], "O6": [4, 4]})
    expected = to_json(score_round(table, FW))
    for dtype in ("int64", "Int64", "float32", "object"):
        assert to_json(score_round(table.astype({"value": dtype}), FW)) == expected


# --------------------------------------------------------------------------- many rounds


def random_answers(seed: int, rounds: int = 60,
                   agencies: int = 6) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Random rounds: each has 1..agencies agencies answering a random subset of items."""
    rng = np.random.default_rng(seed)
    rows, submitted = [], []
    for r in rng.permutation(np.arange(1, rounds + 1) * 3):  # ids with gaps, unsorted
        n_agencies = int(rng.integers(1, agencies + 1))
        for a in rng.choice(agencies, n_agencies, replace=False):
            agency = f"Agency {a}"
            submitted.append((int(r), agency))
            for item in ITEM_CODES:
                draw = rng.random()
                if draw < 0.15:
                    continue  # not answered at all
                value = math.nan if draw < 0.3 else float(rng.integers(1, 6))
                rows.append((int(r), agency, item, value))
    df = pd.DataFrame(rows, columns=["round", "agency", "item", "value"])
    return df.sample(frac=1, random_state=seed), pd.DataFrame(submitted,
                                                              columns=["round", "agency"])


def assert_round_matches_batch(one: RoundResult, batch: BatchResult, round_id) -> None:
    items = batch.items.loc[round_id]
    for code, item in one.items.items():
        row = items.loc[code]
        assert row["n"] == item.n
        for name in ("mean", "min", "max", "spread"):
            expected = getattr(item, name)
            assert (math.isnan(row[name]) if expected is None else row[name] == expected)
        assert (None if pd.isna(row["status"]) else row["status"]) == item.status
        assert (bool(row["absent"]), bool(row["divergent"])) == (item.absent, item.divergent)
    options = batch.options.loc[round_id]
    for code, option in one.options.items():
        row = options.loc[code]
        assert (None if pd.isna(row["level"]) else int(row["level"])) == option.level
        assert (row["n"], row["supporters"], row["opposed"]) == (
            option.n, option.supporters, option.opposed)
        assert (row["n_issues"], row["n_keys"]) == (len(option.issues), len(option.keys))
        share = options.at[code, "support_share"]
        assert math.isnan(share) if option.support_share is None else (
            share == option.support_share)
        if option.level is not None:
            assert len([r for r in option.reasons if r.code == "opposed"]) == option.opposed
    readiness = batch.readiness.loc[round_id]
    assert math.isnan(readiness) if one.readiness is None else readiness == one.readiness


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_score_round_agrees_with_score_rounds(seed):
    df, submitted = random_answers(seed)
    batch = score_rounds(df, FW, submitted=submitted)
    default = score_rounds(df, FW)
    pd.testing.assert_frame_equal(batch.items, default.items)
    pd.testing.assert_frame_equal(batch.options, default.options)  # agencies implied by n
    pd.testing.assert_series_equal(batch.readiness, default.readiness)
    assert list(batch.readiness.index) == sorted(submitted["round"].unique())
    levels = 0
    for round_id, group in df.groupby("round"):
        agencies = sorted(submitted.loc[submitted["round"] == round_id, "agency"])
        one = score_round(group.drop(columns="round"), FW, agencies=agencies)
        assert_round_matches_batch(one, batch, round_id)
        levels += sum(o.level is not None for o in one.options.values())
    assert levels > 100  # the data exercise rated options, not only unrated ones


def test_categorical_and_string_columns_give_the_same_results():
    df, _ = random_answers(5)
    plain = score_rounds(df, FW)
    categorical = df.assign(item=df["item"].astype("category"),
                            agency=df["agency"].astype("category"))
    fast = score_rounds(categorical, FW)
    pd.testing.assert_frame_equal(plain.items, fast.items)
    pd.testing.assert_frame_equal(plain.options, fast.options)
    # Categories in framework order, some never used, one not in the framework but unused.
    ordered = df.assign(item=pd.Categorical(df["item"], categories=[*ITEM_CODES, "X1"]))
    pd.testing.assert_frame_equal(score_rounds(ordered, FW).options, plain.options)
    few = df[df["item"].isin(["E1", "O6"])]
    sparse = score_rounds(few.assign(item=few["item"].astype("category")), FW)
    pd.testing.assert_frame_equal(sparse.items, score_rounds(few, FW).items)


def test_score_rounds_frames():
    df = pd.concat([by_item({"E1": [4, 4], "B1": [5, 1], "O6": [5, 4]}).assign(round=10),
                    by_item({"E1": [1, 1], "O6": [4]}).assign(round=30)])
    result = score_rounds(df, FW)
    assert list(result.readiness.index) == [10, 30]  # round 20 has no answers
    assert result.items.index.names == ["round", "item"]
    assert list(result.items.columns) == ["n", "mean", "min", "max", "spread", "status",
                                          "absent", "divergent"]
    assert list(result.options.columns) == ["level", "n", "supporters", "support_share",
                                            "opposed", "n_issues", "n_keys"]
    assert result.items.loc[(10, "B1"), "status"] == "key"
    assert result.items.loc[(30, "E1"), "absent"]
    assert pd.isna(result.items.loc[(30, "B1"), "status"])
    assert result.options.loc[(10, "O6"), "level"] == 3
    assert result.options.loc[(10, "O6"), "n_keys"] == 1
    assert pd.isna(result.options.loc[(30, "O6"), "level"])  # one answer: not rated
    assert str(result.options["level"].dtype) == "Int8"
    assert result.readiness.loc[10] == 67.5  # 0.7 * 75 + 0.3 * (100 - 50)
    assert math.isnan(result.readiness.loc[30])


def test_score_rounds_with_submitted_keeps_rounds_without_answers():
    df = by_item({"O6": [5, 4]}).assign(round="spring")
    submitted = pd.DataFrame({"round": ["spring", "spring", "autumn"],
                              "agency": ["A1", "A2", "A9"]})
    result = score_rounds(df, FW, submitted=submitted)
    assert list(result.readiness.index) == ["autumn", "spring"]
    assert result.options.loc[("spring", "O6"), "level"] == 1
    assert (result.options.loc["autumn", "n"] == 0).all()


def test_score_rounds_empty_and_unknown_items():
    empty = pd.DataFrame({"round": pd.Series([], dtype="int64"), "agency": [], "item": [],
                          "value": pd.Series([], dtype="float64")})
    result = score_rounds(empty, FW)
    assert result.items.empty and result.options.empty and result.readiness.empty
    with pytest.raises(ValueError, match="E9"):
        score_rounds(pd.DataFrame({"round": [1], "agency": ["A"], "item": ["E9"],
                                   "value": [3.0]}), FW)
    with pytest.raises(ValueError, match="X1"):
        score_rounds(pd.DataFrame({"round": [1], "agency": ["A"], "value": [3.0],
                                   "item": pd.Categorical(["X1"])}), FW)


def test_many_answers_to_one_item_are_counted_exactly():
    # 300 agencies in one round (a histogram cell counts far beyond 255).
    df = pd.DataFrame({"round": 1, "agency": [f"A{i}" for i in range(300)], "item": "O6",
                       "value": [5.0] * 299 + [1.0]})
    row = score_rounds(df, FW).options.loc[(1, "O6")]
    assert (row["n"], row["supporters"], row["opposed"], row["level"]) == (300, 299, 1, 3)


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(
    st.sampled_from(["Police", "Fire", "Ambulance", "Council"]),
    st.dictionaries(st.sampled_from(["E1", "E3", "E6", "B2", "B3", "O1", "O6"]),
                    st.one_of(st.none(), st.integers(1, 5)), min_size=1),
    min_size=1))
def test_property_score_round_matches_score_rounds(table):
    df = answers(table)
    one = score_round(df, FW)
    assert_round_matches_batch(one, score_rounds(df.assign(round=1), FW), 1)
    for option in one.options.values():
        if option.level == 1:
            assert [r.code for r in option.reasons] == ["all_clear"]
        elif option.level is not None:
            assert "all_clear" not in [r.code for r in option.reasons] and option.reasons


def test_thresholds_beyond_the_scale_count_nobody():
    fw = make_framework(Thresholds(support_value=6, oppose_value=0))
    option = score({"O14": [5, 1]}, fw).options["O14"]
    assert (option.supporters, option.opposed, option.level) == (0, 0, 3)
    row = score_rounds(by_item({"O14": [5, 1]}).assign(round=1), fw).options.loc[(1, "O14")]
    assert (row["supporters"], row["opposed"]) == (0, 0)


def test_the_scoring_package_is_pure():
    """No Django (no ORM, settings or gettext) in the scoring core: reasons are data."""
    import ast
    from pathlib import Path

    import assessments.scoring

    for path in Path(assessments.scoring.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n.split(".")[0] in ("django", "survey", "bluelight") or
                           n.startswith("assessments.") and not n.startswith(
                               "assessments.scoring") for n in names), (path.name, names)
