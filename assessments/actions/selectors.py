"""Reads of a partnership's actions, shared by its pages, the dashboard and the board
paper. (Stub signatures agreed between packages; the actions package fills them in.)"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class ActionRow:
    """One action as the dashboard and the board paper show it (words already made)."""

    id: int
    title: str
    factor_code: str
    factor_title: str
    option_codes: list[str]
    owner: str  # the owner agency's name, "" if none
    due_on: date | None
    status: str  # Action.Status value
    status_label: str
    overdue: bool
    # "did it work?": the factor's mean and status before and after, in words ("" when
    # there is no earlier round with results to compare with)
    factor_moved: str = ""
    options_moved: list[str] = field(default_factory=list)


def actions_for_pack(*, partnership, round=None) -> list[ActionRow]:
    """The partnership's actions, overdue first then by due date; with ``round``, each
    says whether its factor and options moved between the previous round with results
    and ``round``."""
    return []
