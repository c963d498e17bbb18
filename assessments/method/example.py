"""The worked example of the method page: three agencies' answers, scored for real.

The answers are fixed; the items they answer are chosen from the framework
version shown (:func:`example_roles`: three options and factors linked to them), and
the figures, statuses and levels come from :func:`assessments.scoring.score_round`
with that version's thresholds. Change a threshold and the example changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from django.utils.translation import gettext as _

from assessments.results.wording import reason_texts, status_text
from assessments.scoring import (
    ABSENT_ENABLER,
    ALL_CLEAR,
    KEY_BARRIER,
    OPPOSED,
    SIGNIFICANT_BARRIER,
    SUPPORT_BELOW_SHARE,
    WEAK_ENABLER,
    FrameworkSpec,
    ItemResult,
    OptionResult,
    RoundResult,
    score_round,
)
from bluelight.choices import Service
from bluelight.formatting import answer

# Each role's answers from police, fire and rescue, ambulance (None = "Don't know").
# They sit either side of the default thresholds, so each option lands at another level.
ANSWERS: dict[str, tuple[float | None, float | None, float | None]] = {
    "strong_enabler": (4, 5, 4),  # average 4.33, lowest 4
    "weak_enabler": (3, 2, 3),  # average 2.67, lowest 2
    "minor_barrier": (2, 1, 2),  # highest 2, average 1.67
    "significant_barrier": (4, None, 2),  # highest 4; answers 2 apart
    "clear_option": (5, 4, 4),  # everyone supports
    "held_back_option": (4, 5, 4),  # everyone supports; weak enabler, significant barrier
    "opposed_option": (4, 2, 5),  # fire and rescue opposes
}
SERVICES = (Service.POLICE, Service.FIRE, Service.AMBULANCE)


@dataclass(frozen=True)
class AnswerRow:
    code: str
    title: str
    kind: str  # enabler | barrier | option
    answers: list[str]  # in agency order, as words


@dataclass(frozen=True)
class FactorRow:
    item: ItemResult
    status: str  # in words
    score: float | None  # (mean - 1) / 4 * 100, the item's part in the readiness index


@dataclass(frozen=True)
class OptionRow:
    option: OptionResult
    status: str
    reasons: list[str]  # as the dashboard words them


@dataclass(frozen=True)
class WorkedExample:
    agencies: list[str]
    answers: list[AnswerRow]
    factors: list[FactorRow]
    options: list[OptionRow]
    result: RoundResult


def example_roles(spec: FrameworkSpec) -> dict[str, str]:
    """Which item of the framework plays each role of :data:`ANSWERS` (role -> code).

    The first option linked to an enabler is the clear one; the held-back option is
    the next one linked to an enabler the first is not linked to (that enabler is
    the weak one, and a barrier of its own, if any, the significant one); the
    opposed option is the next remaining option. Roles the framework cannot fill
    are left out.
    """
    options = [o for o in spec.options if o.enablers]
    if not options:
        return {}
    clear = options[0]
    roles = {"clear_option": clear.code, "strong_enabler": clear.enablers[0]}
    if clear.barriers:
        roles["minor_barrier"] = clear.barriers[0]
    held = next((o for o in options[1:] if set(o.enablers) - set(clear.enablers)), None)
    if held is not None:
        roles["held_back_option"] = held.code
        roles["weak_enabler"] = next(e for e in held.enablers if e not in clear.enablers)
        significant = next((b for b in held.barriers if b not in clear.barriers), None)
        if significant is not None:
            roles["significant_barrier"] = significant
    taken = {roles["clear_option"], roles.get("held_back_option")}
    opposed = next((o for o in spec.options if o.code not in taken), None)
    if opposed is not None:
        roles["opposed_option"] = opposed.code
    return roles


def reason_meanings() -> list[tuple[str, str]]:
    """Every reason code with what it means, in the order reasons are listed."""
    return [
        (SUPPORT_BELOW_SHARE, _("Too few of the agencies that answered support the option.")),
        (OPPOSED, _("An agency opposes the option (one reason per agency, naming it).")),
        (ABSENT_ENABLER, _("A linked enabler is absent (naming it).")),
        (KEY_BARRIER, _("A linked barrier is key (naming it).")),
        (WEAK_ENABLER, _("A linked enabler is weak, though not absent (naming it).")),
        (SIGNIFICANT_BARRIER, _("A linked barrier is significant (naming it).")),
        (ALL_CLEAR, _("Level 1: enough support, no opposition, and no linked enabler or "
                      "barrier stands in the way.")),
    ]


def worked_example(*, spec: FrameworkSpec,
                   scales: dict[str, dict[int, str]]) -> WorkedExample | None:
    """The example's answers and their results under ``spec``; None if it has no option."""
    roles = example_roles(spec)
    if not roles:
        return None
    agencies = [str(s.label) for s in SERVICES]
    by_code = {code: role for role, code in roles.items()}
    order = [c for c in spec.item_codes if c in by_code]
    rows = [(agency, code, ANSWERS[by_code[code]][i])
            for code in order for i, agency in enumerate(agencies)]
    answers = pd.DataFrame(rows, columns=["agency", "item", "value"]).astype({"value": float})
    result = score_round(answers, spec, agencies=agencies)

    kinds = {f.code: f.kind for f in spec.factors} | {o.code: "option" for o in spec.options}
    titles = {f.code: f.title for f in spec.factors} | {o.code: o.title for o in spec.options}
    answer_rows = [
        AnswerRow(code=code, title=titles[code], kind=kinds[code],
                  answers=[answer(v, scales.get(kinds[code], {}))
                           for v in ANSWERS[by_code[code]]])
        for code in order
    ]
    factors = [
        FactorRow(item=result.items[code], status=status_text(result.items[code]),
                  score=None if result.items[code].mean is None
                  else (result.items[code].mean - 1) / 4 * 100)
        for code in order if code in result.items
    ]
    options = [
        OptionRow(option=result.options[code], status=status_text(result.options[code]),
                  reasons=reason_texts(result.options[code], titles))
        for code in order if code in result.options
    ]
    return WorkedExample(agencies=agencies, answers=answer_rows, factors=factors,
                         options=options, result=result)
