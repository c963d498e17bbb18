"""The words people read about results: reasons, statuses and levels, in their language.

Scoring returns reasons as data (:class:`assessments.scoring.Reason`: a code and
its figures); every sentence is written here, once, with gettext, and made where it
is shown: the dashboard and the workbook in the reader's language, the results JSON
in English (:func:`english`), as the published document has always had it.

Item titles come from the caller (``titles``: code -> title), so a reason names the
item in the language of the page it is on.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TypeVar

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from assessments import scoring
from assessments.scoring import ItemResult, OptionResult, Reason
from bluelight import formatting

T = TypeVar("T")

# The JSON document's language (the method's published text).
JSON_LANGUAGE = "en-gb"


def number(x: float, ndigits: int = 2) -> str:
    """A figure in a sentence: '2.5', '3.67', '4'."""
    return formatting.number(x, ndigits, trim=True)


def percent(share: float) -> str:
    """A share in a sentence: 0.6667 -> '66.7%', 0.5 -> '50%'."""
    return number(share * 100, 1) + "%"


def option_answer(value: float) -> str:
    """An answer to an option, as on the questionnaire: '2: Oppose'."""
    labels = {1: _("Strongly oppose"), 2: _("Oppose"), 3: _("Neutral"), 4: _("Support"),
              5: _("Strongly support")}
    label = labels.get(int(value)) if float(value).is_integer() else None
    return number(value) + (f": {label}" if label else "")


Scales = Mapping[str, Mapping[int, str]]  # kind -> value -> the scale's word


def scale_figure(value: float | None, labels: Mapping[int, str]) -> str:
    """A figure on a 1-5 scale with the scale's word beside it, so it cannot be misread:
    '3 (Moderately)', '2.5 (between Early signs and Partly in place)', '—' for none."""
    if formatting.missing(value):
        return formatting.DASH
    figure = float(value)
    text = number(figure)
    if figure.is_integer():
        word = labels.get(int(figure))
        return _("%(value)s (%(word)s)") % {"value": text, "word": word} if word else text
    low, high = labels.get(math.floor(figure)), labels.get(math.ceil(figure))
    if low and high:
        return _("%(value)s (between %(low)s and %(high)s)") % {
            "value": text, "low": low, "high": high}
    return text


def reason_text(reason: Reason, titles: Mapping[str, str], scales: Scales | None = None) -> str:
    """One reason as a sentence in the active language.

    ``scales`` (kind -> value -> word): the sentences people read on the dashboard and
    in the workbook, each figure with its scale's word ("highest 3 (Moderately)") and the
    statuses named as on the page. Without: the method's published sentences, which the
    results JSON carries (and ``manage.py score`` prints) unchanged.
    """
    code = reason.code
    if code == scoring.SUPPORT_BELOW_SHARE:
        figures = {"n": reason.n, "supporters": reason.supporters,
                   "share": percent(reason.share or 0.0),
                   "needed": percent(reason.share_min or 0.0)}
        if not reason.supporters:
            return _("None of the %(n)s agencies that answered supports this; at least "
                     "%(needed)s is needed.") % figures
        return ngettext(
            "Only %(supporters)s of %(n)s agencies (%(share)s) supports this; at least "
            "%(needed)s is needed.",
            "Only %(supporters)s of %(n)s agencies (%(share)s) support this; at least "
            "%(needed)s is needed.", reason.supporters) % figures
    if code == scoring.OPPOSED:
        return _("%(agency)s opposes this (answered %(answer)s).") % {
            "agency": reason.agency, "answer": option_answer(reason.value or 0)}
    if code == scoring.ALL_CLEAR:
        return _("%(supporters)s of %(n)s agencies support this, none opposes it, and no "
                 "linked enabler or barrier stands in the way.") % {
            "supporters": reason.supporters, "n": reason.n}
    item = reason.item or ""
    if scales is not None:
        return _factor_sentence(reason, titles.get(item, ""), scales)
    figures = {"code": item, "title": titles.get(item, ""),
               "mean": number(reason.mean or 0), "min": number(reason.min or 0),
               "max": number(reason.max or 0)}
    if code == scoring.ABSENT_ENABLER:
        text = _("%(code)s %(title)s is absent or nearly so (average %(mean)s, lowest %(min)s).")
    elif code == scoring.WEAK_ENABLER:
        text = _("%(code)s %(title)s is weak (average %(mean)s, lowest %(min)s).")
    elif code == scoring.KEY_BARRIER and (reason.max or 0) >= scoring.HIGHEST:
        text = _("%(code)s %(title)s is blocking for at least one agency (highest %(max)s).")
    elif code == scoring.KEY_BARRIER:
        text = _("%(code)s %(title)s is a key barrier for at least one agency "
                 "(highest %(max)s).")
    elif code == scoring.SIGNIFICANT_BARRIER:
        text = _("%(code)s %(title)s is a significant barrier (highest %(max)s, "
                 "average %(mean)s).")
    else:
        raise ValueError(f"unknown reason code {code!r}")
    return text % figures


def _factor_sentence(reason: Reason, title: str, scales: Scales) -> str:
    """A factor's reason as people read it: the status named as on the page, each figure
    with the word of the factor's scale."""
    code = reason.code
    labels = scales.get(scoring.ENABLER if code in (scoring.ABSENT_ENABLER,
                                                    scoring.WEAK_ENABLER)
                        else scoring.BARRIER, {})
    figures = {"code": reason.item or "", "title": title,
               "mean": scale_figure(reason.mean, labels),
               "min": scale_figure(reason.min, labels),
               "max": scale_figure(reason.max, labels)}
    if code == scoring.ABSENT_ENABLER:
        text = _("%(code)s %(title)s is a missing enabler: average %(mean)s, lowest answer "
                 "%(min)s.")
    elif code == scoring.WEAK_ENABLER:
        text = _("%(code)s %(title)s is an enabler that needs work: average %(mean)s, lowest "
                 "answer %(min)s.")
    elif code == scoring.KEY_BARRIER:
        text = _("%(code)s %(title)s is a critical barrier: at least one agency answered "
                 "%(max)s.")
    elif code == scoring.SIGNIFICANT_BARRIER:
        text = _("%(code)s %(title)s is a major hold-back: highest answer %(max)s, average "
                 "%(mean)s.")
    else:
        raise ValueError(f"unknown reason code {code!r}")
    return text % figures


def reason_texts(option: OptionResult, titles: Mapping[str, str],
                 scales: Scales | None = None) -> list[str]:
    """An option's reasons as sentences in the active language (see :func:`reason_text`)."""
    return [reason_text(r, titles, scales) for r in option.reasons]


def unrated_text(n: int, min_agencies: int) -> str:
    """Why an option has no level: too few agencies gave it a value."""
    if not n:
        return ngettext("No agency gave this a value; at least %(min)s is needed to rate it.",
                        "No agency gave this a value; at least %(min)s are needed to rate it.",
                        min_agencies) % {"min": min_agencies}
    return ngettext(
        "Only %(n)s agency gave this a value; at least %(min)s are needed to rate it.",
        "Only %(n)s agencies gave this a value; at least %(min)s are needed to rate it.",
        n) % {"n": n, "min": min_agencies}


def factor_figures(item: ItemResult, labels: Mapping[int, str]) -> str:
    """A factor's figures, each with its scale's word: 'average 2.5 (between Early signs and
    Partly in place), lowest 1 (Not in place), highest 4 (Largely in place).'"""
    return _("average %(mean)s, lowest %(min)s, highest %(max)s.") % {
        "mean": scale_figure(item.mean, labels), "min": scale_figure(item.min, labels),
        "max": scale_figure(item.max, labels)}


# --------------------------------------------------------------------------- provisional


def provisional_notes(*, still_open: bool, still_to_submit: list[str]) -> list[str]:
    """Why a round's results are provisional, one sentence a cause (empty: they are final)."""
    notes = []
    if still_open:
        notes.append(_("The round is still open: agencies can still submit or change their "
                       "answers, so these results may change."))
    if still_to_submit:
        notes.append(ngettext(
            "%(n)s agency of the partnership has not submitted yet: %(names)s.",
            "%(n)s agencies of the partnership have not submitted yet: %(names)s.",
            len(still_to_submit)) % {"n": len(still_to_submit),
                                     "names": ", ".join(still_to_submit)})
    return notes


def reason_writer(titles: Mapping[str, str]) -> Callable[[Reason], str]:
    """``reason_text`` with these titles: the ``reason_text`` that ``scoring.to_json`` takes."""
    return lambda reason: reason_text(reason, titles)


def english(make: Callable[[], T]) -> T:
    """What ``make`` returns when the words are English: the results JSON's language."""
    with translation.override(JSON_LANGUAGE):
        return make()


# --------------------------------------------------------------------------- statuses


# Statuses are named so that none reads as a point of a scale ("3 Moderately",
# "4 Significantly", "5 Blocking", "1 Not in place"...): the codes (weak, significant,
# key...) stay in the results JSON and the workbook's "status code" column.


def status_word(status: str, *, absent: bool = False) -> str:
    """An item's status alone: 'needs work', 'missing', 'critical barrier'..."""
    if absent:
        return pgettext("item status", "missing")
    return {
        scoring.WEAK: pgettext("item status", "needs work"),
        scoring.DEVELOPING: pgettext("item status", "on its way"),
        scoring.STRONG: pgettext("item status", "in good shape"),
        scoring.MINOR: pgettext("item status", "minor hold-back"),
        scoring.SIGNIFICANT: pgettext("item status", "major hold-back"),
        scoring.KEY: pgettext("item status", "critical barrier"),
    }[status]


def factor_status_text(status: str, *, absent: bool = False) -> str:
    """A factor's status with its kind: 'missing enabler', 'critical barrier'..."""
    if absent:
        return _("missing enabler")
    return {
        scoring.WEAK: _("enabler that needs work"),
        scoring.DEVELOPING: _("enabler on its way"),
        scoring.STRONG: _("enabler in good shape"), scoring.MINOR: _("minor hold-back"),
        scoring.SIGNIFICANT: _("major hold-back"), scoring.KEY: _("critical barrier"),
    }[status]


def status_text(row: ItemResult | OptionResult) -> str:
    """An item's status in words: "absent enabler", "key barrier", "option at Level 2"."""
    if isinstance(row, OptionResult):
        if row.level is None:
            return _("option not rated")
        return _("option at Level %(level)s") % {"level": row.level}
    if row.status is None:
        return _("no answers")
    return factor_status_text(row.status, absent=row.absent)


def level_text(level: int | None) -> str:
    """'Level 2', or 'Not rated'."""
    return _("Not rated") if level is None else _("Level %(level)s") % {"level": level}
