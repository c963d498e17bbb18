"""The scoring method: agencies' answers in, item statuses, option levels and readiness out.

Pure: plain data in, plain results out (no ORM, settings, request or words). Reasons
are data (:class:`Reason`); the sentences are made in ``assessments.results.wording``.
The method is published in ``docs/scoring-method.md``.
"""

from .method import (
    DEVELOPING,
    KEY,
    MINOR,
    SIGNIFICANT,
    STATUSES,
    STRONG,
    WEAK,
    score_round,
    score_rounds,
)
from .reasons import (
    ABSENT_ENABLER,
    ALL_CLEAR,
    KEY_BARRIER,
    OPPOSED,
    REASON_CODES,
    SIGNIFICANT_BARRIER,
    SUPPORT_BELOW_SHARE,
    WEAK_ENABLER,
    Reason,
)
from .results import (
    METHOD,
    BatchResult,
    ItemResult,
    OptionResult,
    ReasonText,
    RoundResult,
    spec_round,
    to_json,
)
from .spec import (
    BARRIER,
    ENABLER,
    HIGHEST,
    KINDS,
    LOWEST,
    FactorSpec,
    FrameworkSpec,
    OptionSpec,
    Thresholds,
)

__all__ = [
    "ABSENT_ENABLER", "ALL_CLEAR", "BARRIER", "DEVELOPING", "ENABLER", "HIGHEST", "KEY",
    "KEY_BARRIER", "KINDS", "LOWEST", "METHOD", "MINOR", "OPPOSED", "REASON_CODES",
    "SIGNIFICANT", "SIGNIFICANT_BARRIER", "STATUSES", "STRONG", "SUPPORT_BELOW_SHARE", "WEAK",
    "WEAK_ENABLER", "BatchResult", "FactorSpec", "FrameworkSpec", "ItemResult", "OptionResult",
    "OptionSpec", "Reason", "ReasonText", "RoundResult", "Thresholds", "score_round",
    "score_rounds", "spec_round", "to_json",
]
