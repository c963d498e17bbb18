"""The scoring method: agencies' answers in, item statuses, option levels and readiness out.

Pure: plain data in, plain results out (no ORM, settings or request). The method is
published in ``docs/scoring-method.md``.
"""

from .method import (  # noqa: F401 - the package's public interface
    ABSENT_ENABLER,
    ALL_CLEAR,
    BARRIER,
    DEVELOPING,
    ENABLER,
    KEY,
    KEY_BARRIER,
    KINDS,
    METHOD,
    MINOR,
    OPPOSED,
    SIGNIFICANT,
    SIGNIFICANT_BARRIER,
    STATUSES,
    STRONG,
    SUPPORT_BELOW_SHARE,
    WEAK,
    WEAK_ENABLER,
    BatchResult,
    FactorSpec,
    FrameworkSpec,
    ItemResult,
    OptionResult,
    OptionSpec,
    Reason,
    RoundResult,
    Thresholds,
    score_round,
    score_rounds,
    spec_round,
    to_json,
)
