"""The sentences people read for each reason, status and level (assessments.results.wording).

Scoring returns reasons as data; these are the words made from them, in English as the
published results document has them, and in Welsh.
"""

import pytest
from django.utils import translation

from assessments.results.wording import (
    level_text,
    reason_text,
    status_text,
    status_word,
)
from assessments.scoring import Reason
from tests.assessments.scoring.test_method import (
    BARRIERS,
    ENABLERS,
    FIRE,
    FW,
    O6_CLEAR,
    POLICE,
    Thresholds,
    answers,
    make_framework,
    score,
    score_round,
)

TITLES = {**ENABLERS, **BARRIERS}


def words(reason: Reason) -> str:
    return reason_text(reason, TITLES)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en-gb"):
        yield


def test_all_clear():
    option = score({**O6_CLEAR, "O6": [4, 5, 4, 3]}).options["O6"]
    assert words(option.reasons[0]) == ("3 of 4 agencies support this, none opposes it, and "
                                        "no linked enabler or barrier stands in the way.")


@pytest.mark.parametrize("values, text", [
    ([4, 5, 3, None], "Only 2 of 3 agencies (66.7%) support this; at least 75% is needed."),
    ([4, 5, 3, 3], "Only 2 of 4 agencies (50%) support this; at least 75% is needed."),
    ([4, 3, 3, 3], "Only 1 of 4 agencies (25%) supports this; at least 75% is needed."),
    ([3, 3], "None of the 2 agencies that answered supports this; at least 75% is needed."),
])
def test_support_below_the_share(values, text):
    option = score({**O6_CLEAR, "O6": values}).options["O6"]
    assert words(option.reasons[0]) == text


def test_opposition_names_the_agency_and_its_answer():
    table = {POLICE: {"O6": 1}, FIRE: {"O6": 2}}
    reasons = score_round(answers(table), FW).options["O6"].reasons
    assert [words(r) for r in reasons if r.code == "opposed"] == [
        f"{FIRE} opposes this (answered 2: Oppose).",
        f"{POLICE} opposes this (answered 1: Strongly oppose)."]


@pytest.mark.parametrize("table, option, text", [
    ({"E1": [4, 4], "E3": [2, 3], "E6": [4, 5], "B2": [1, 1], "B3": [2, 2], "O1": [4, 5]},
     "O1", "E3 Clear, shared resource plan is weak (average 2.5, lowest 2)."),
    ({**O6_CLEAR, "B1": [3, 3, 3, 3], "O6": [4, 4, 4, 4]},
     "O6", "B1 Narrow focus of collaboration is a significant barrier (highest 3, average 3)."),
    ({"E1": [1, 2], "E2": [4, 4], "B1": [1, 1], "O6": [5, 5]},
     "O6", "E1 Clear and shared vision is absent or nearly so (average 1.5, lowest 1)."),
    ({"E2": [4, 4], "E6": [4, 4], "B3": [1, 1], "B5": [5, 1], "O7": [5, 4]},
     "O7", "B5 Legislation is blocking for at least one agency (highest 5)."),
    ({"E1": [3, 4, 4], "E3": [2, 3, 2], "O1": [4, 5, 4]},
     "O1", "E3 Clear, shared resource plan is weak (average 2.33, lowest 2)."),
])
def test_factor_reasons_name_the_item_with_its_figures(table, option, text):
    assert words(score(table).options[option].reasons[0]) == text


def test_a_key_barrier_below_blocking_is_said_so():
    fw = make_framework(Thresholds(barrier_key_max=4))
    reason = score({"E1": [4, 4], "E2": [4, 4], "B1": [4, 1], "O6": [4, 4]}, fw).options[
        "O6"].reasons[0]
    assert words(reason) == ("B1 Narrow focus of collaboration is a key barrier for at least "
                             "one agency (highest 4).")


def test_titles_come_from_the_caller():
    reason = Reason("weak_enabler", item="E3", mean=2.5, min=2, max=3)
    assert reason_text(reason, {"E3": "Cynllun adnoddau"}).startswith("E3 Cynllun adnoddau ")


def test_statuses_and_levels():
    result = score({"E1": [1, 2], "E2": [3, 3], "B1": [5, 5], "O6": [4, 4]})
    assert status_text(result.items["E1"]) == "missing enabler"
    assert status_text(result.items["E2"]) == "enabler on its way"
    assert status_text(result.items["B1"]) == "critical barrier"
    assert status_text(result.items["B2"]) == "no answers"
    assert status_text(result.options["O6"]) == "option at Level 3"
    assert status_text(result.options["O1"]) == "option not rated"
    assert [status_word(s) for s in ("weak", "developing", "strong", "minor", "significant",
                                     "key")] == ["needs work", "on its way", "in good shape",
                                                 "minor hold-back", "major hold-back",
                                                 "critical barrier"]
    assert status_word("weak", absent=True) == "missing"
    assert (level_text(2), level_text(None)) == ("Level 2", "Not rated")


REASONS = [
    Reason("support_below_share", n=4, supporters=2, share=0.5, share_min=0.75),
    Reason("support_below_share", n=4, supporters=1, share=0.25, share_min=0.75),
    Reason("support_below_share", n=2, supporters=0, share=0.0, share_min=0.75),
    Reason("opposed", agency=FIRE, value=2.0),
    Reason("absent_enabler", item="E1", mean=1.5, min=1, max=2),
    Reason("weak_enabler", item="E3", mean=2.5, min=2, max=3),
    Reason("key_barrier", item="B5", mean=3, min=1, max=5),
    Reason("key_barrier", item="B5", mean=2.5, min=1, max=4),
    Reason("significant_barrier", item="B1", mean=3, min=3, max=3),
    Reason("all_clear", n=4, supporters=3),
]


@pytest.mark.parametrize("reason", REASONS, ids=lambda r: r.code)
def test_every_reason_has_welsh_words(reason):
    english = words(reason)
    with translation.override("cy"):
        welsh = words(reason)
    assert welsh != english
    # The figures, the item code and the agency's name stay as they are.
    for kept in (reason.item, reason.agency, str(reason.n or "")):
        assert kept is None or kept in welsh


def test_status_words_and_levels_in_welsh():
    with translation.override("cy"):
        assert status_word("key") != "critical barrier"
        assert status_word("weak") != "needs work"
        assert level_text(1) == "Lefel 1" and level_text(None) == "Heb ei raddio"
