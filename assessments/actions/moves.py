"""Did it work? How an action's factor and options moved between two rounds' results.

Pure functions over two :class:`assessments.scoring.RoundResult` (no ORM): the
dashboard and :func:`assessments.actions.selectors.actions_for_pack` both call them.
A factor *moved* when its status changed (an enabler from "needs work" to "on its
way", a barrier from "critical" to "major hold-back"); an average that moved while
the status stayed is reported as such, never as a change of status.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from assessments import scoring
from assessments.results.wording import factor_status_text, level_text, number
from assessments.scoring import RoundResult

# Higher is better: where a status stands on its kind's ladder.
ENABLER_RANK = {"absent": 0, scoring.WEAK: 1, scoring.DEVELOPING: 2, scoring.STRONG: 3}
BARRIER_RANK = {scoring.KEY: 0, scoring.SIGNIFICANT: 1, scoring.MINOR: 2}
# Averages closer than this are the same (answers are whole numbers from 1 to 5).
SAME_MEAN = 0.05

FACTOR_VERDICTS = ("improved", "mean_better", "same", "mean_worse", "worsened", "unknown")


def _rank(kind: str, status: str | None, absent: bool) -> int | None:
    if status is None:
        return None
    if kind == scoring.ENABLER:
        return ENABLER_RANK["absent" if absent else status]
    return BARRIER_RANK.get(status)


@dataclass(frozen=True)
class FactorMove:
    """A factor's average and status in the earlier round and in the later one."""

    code: str
    title: str
    kind: str
    before_mean: float | None
    after_mean: float | None
    before_status: str | None
    after_status: str | None
    before_absent: bool = False
    after_absent: bool = False

    @property
    def verdict(self) -> str:
        """One of :data:`FACTOR_VERDICTS`."""
        before = _rank(self.kind, self.before_status, self.before_absent)
        after = _rank(self.kind, self.after_status, self.after_absent)
        if before is None or after is None:
            return "unknown"
        if after > before:
            return "improved"
        if after < before:
            return "worsened"
        if self.before_mean is None or self.after_mean is None:
            return "same"
        delta = self.after_mean - self.before_mean
        if abs(delta) < SAME_MEAN:
            return "same"
        # an enabler is better higher, a barrier better lower
        better = delta > 0 if self.kind == scoring.ENABLER else delta < 0
        return "mean_better" if better else "mean_worse"

    @property
    def verdict_text(self) -> str:
        return {
            "improved": _("Moved: its status improved"),
            "mean_better": _("Average better, same status"),
            "same": _("No change"),
            "mean_worse": _("Average worse, same status"),
            "worsened": _("Moved back: its status is worse"),
            "unknown": _("Cannot compare: no answers in one of the rounds"),
        }[self.verdict]

    def _state(self, mean: float | None, status: str | None, absent: bool) -> str:
        if status is None:
            return _("no answers")
        return _("average %(mean)s, %(status)s") % {
            "mean": "—" if mean is None else number(mean),
            "status": factor_status_text(status, absent=absent)}

    @property
    def before_text(self) -> str:
        return self._state(self.before_mean, self.before_status, self.before_absent)

    @property
    def after_text(self) -> str:
        return self._state(self.after_mean, self.after_status, self.after_absent)

    @property
    def text(self) -> str:
        """'E3 Clear, shared resource plan: average 2.5, enabler that needs work → average
        3.5, enabler on its way (moved: its status improved).'"""
        return _("%(code)s %(title)s: %(before)s → %(after)s (%(verdict)s).") % {
            "code": self.code, "title": self.title, "before": self.before_text,
            "after": self.after_text, "verdict": self.verdict_text.lower()}


@dataclass(frozen=True)
class OptionMove:
    """An option's level in the earlier round and in the later one."""

    code: str
    title: str
    before_level: int | None
    after_level: int | None

    @property
    def direction(self) -> str:
        """``up`` (a better level: Level 1 is the best), ``down``, ``same`` or ``unknown``."""
        if self.before_level is None or self.after_level is None:
            return "unknown"
        if self.after_level < self.before_level:
            return "up"
        if self.after_level > self.before_level:
            return "down"
        return "same"

    @property
    def direction_text(self) -> str:
        return {"up": _("moved up"), "down": _("moved down"), "same": _("no change"),
                "unknown": _("not rated in one of the rounds")}[self.direction]

    @property
    def text(self) -> str:
        """'O1 More single (shared) back offices: Level 3 → Level 2 (moved up)'."""
        return _("%(code)s %(title)s: %(before)s → %(after)s (%(direction)s)") % {
            "code": self.code, "title": self.title, "before": level_text(self.before_level),
            "after": level_text(self.after_level), "direction": self.direction_text}


def factor_move(code: str, before: RoundResult, after: RoundResult,
                title: str = "") -> FactorMove | None:
    """How factor ``code`` moved from ``before`` to ``after`` (None: not a factor of both)."""
    old, new = before.items.get(code), after.items.get(code)
    if old is None or new is None:
        return None
    return FactorMove(code=code, title=title or new.title, kind=new.kind,
                      before_mean=old.mean, after_mean=new.mean,
                      before_status=old.status, after_status=new.status,
                      before_absent=old.absent, after_absent=new.absent)


def option_moves(codes: list[str], before: RoundResult, after: RoundResult,
                 titles: dict[str, str] | None = None) -> list[OptionMove]:
    """How each option in ``codes`` moved (options missing from either round are left out)."""
    titles = titles or {}
    moves = []
    for code in codes:
        old, new = before.options.get(code), after.options.get(code)
        if old is None or new is None:
            continue
        moves.append(OptionMove(code=code, title=titles.get(code) or new.title,
                                before_level=old.level, after_level=new.level))
    return moves
