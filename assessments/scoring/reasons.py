"""Why a rated option is at its level: reasons as data, a code and its parameters.

No words here: the sentences people read are made where reasons are shown
(``assessments.results.wording``), in the reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from .spec import ENABLER, Thresholds

if TYPE_CHECKING:
    from .method import ItemResult, OptionResult

# Reason codes, in the order they are listed on an option.
SUPPORT_BELOW_SHARE = "support_below_share"
OPPOSED = "opposed"
ABSENT_ENABLER = "absent_enabler"
KEY_BARRIER = "key_barrier"
WEAK_ENABLER = "weak_enabler"
SIGNIFICANT_BARRIER = "significant_barrier"
ALL_CLEAR = "all_clear"
REASON_CODES = (SUPPORT_BELOW_SHARE, OPPOSED, ABSENT_ENABLER, KEY_BARRIER, WEAK_ENABLER,
                SIGNIFICANT_BARRIER, ALL_CLEAR)


@dataclass(frozen=True)
class Reason:
    """One cause of an option's level, with the figures that show it.

    * ``support_below_share``: ``n`` agencies gave the option a value, ``supporters`` of
      them support it, a ``share`` below the ``share_min`` needed.
    * ``opposed``: ``agency`` opposes it, having answered ``value``.
    * ``absent_enabler``, ``weak_enabler``, ``key_barrier``, ``significant_barrier``:
      the linked factor ``item``, with its ``mean``, ``min`` and ``max``.
    * ``all_clear`` (Level 1): ``supporters`` of ``n`` agencies support it.
    """

    code: str
    item: str | None = None
    agency: str | None = None
    n: int | None = None
    supporters: int | None = None
    share: float | None = None
    share_min: float | None = None
    value: float | None = None
    mean: float | None = None
    min: float | None = None
    max: float | None = None

    def params(self) -> dict[str, Any]:
        """The parameters this reason has (those not None), by name."""
        return {f.name: getattr(self, f.name) for f in fields(self)
                if f.name != "code" and getattr(self, f.name) is not None}

    def to_dict(self, text: str | None = None) -> dict[str, Any]:
        """The reason in the results JSON: code, item and its ``text`` (and the agency
        it names); without a text, its parameters instead."""
        d: dict[str, Any] = {"code": self.code, "item": self.item}
        if text is None:
            d |= {k: v for k, v in self.params().items() if k != "item"}
            return d
        d["text"] = text
        if self.code == OPPOSED:
            d["agency"] = self.agency
        return d


def option_reasons(option: OptionResult, items: Mapping[str, ItemResult],
                   t: Thresholds) -> list[Reason]:
    """A rated option's reasons: support, opposition, keys, issues (in link order); a
    Level 1 option's: all clear."""
    out: list[Reason] = []
    share = option.support_share or 0.0
    if share < t.support_share_min:
        out.append(Reason(SUPPORT_BELOW_SHARE, n=option.n, supporters=option.supporters,
                          share=share, share_min=t.support_share_min))
    for agency in option.opposed_agencies:
        out.append(Reason(OPPOSED, agency=agency, value=option.values[agency]))
    for codes, (enabler, barrier) in ((option.keys, (ABSENT_ENABLER, KEY_BARRIER)),
                                      (option.issues, (WEAK_ENABLER, SIGNIFICANT_BARRIER))):
        for code in codes:
            it = items[code]
            out.append(Reason(enabler if it.kind == ENABLER else barrier, item=code,
                              mean=it.mean, min=it.min, max=it.max))
    if option.level == 1:
        out.append(Reason(ALL_CLEAR, n=option.n, supporters=option.supporters))
    return out
