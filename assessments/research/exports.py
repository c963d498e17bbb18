"""The researchers' downloads as files: a table in, CSV or XLSX bytes out.

The tables are built in :mod:`assessments.research.selectors`; the writers
are the shared ones (:mod:`bluelight.csvkit`, :mod:`bluelight.xlsx`), so
text a spreadsheet would run as a formula is guarded in both.

A table on its own (CSV or XLSX) keeps the column names of the data
(``level_1``, ``police_mean``...), the same in every language, for scripts.
The workbook of all the tables (:func:`tables_workbook`) is for people: its
sheet names, headers and words are in the user's language.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from django.utils.translation import gettext as _

from assessments.research.selectors import EXPORTS, SERVICES, ResearchTables, export_frame
from bluelight import xlsx
from bluelight.choices import Service
from bluelight.csvkit import frame_to_csv
from survey.models import Item

__all__ = ["frame_to_csv", "frame_to_xlsx", "sheet_names", "tables_workbook"]


def frame_to_xlsx(frame: pd.DataFrame, *, sheet: str, notes: list[tuple[str, str]]) -> bytes:
    """One sheet with the table, and a README sheet of ``notes``."""
    return xlsx.workbook([xlsx.Sheet(sheet, frame), xlsx.notes("README", notes)])


def sheet_names() -> dict[str, str]:
    """The workbook's sheet for each table (at most 31 characters, as Excel allows)."""
    return {"counts": _("Counts"), "levels": _("Levels"), "means": _("Means by service"),
            "divergence": _("Divergence"), "readiness": _("Readiness")}


def _service_label(code: str) -> str:
    return _("All services") if code == "all_services" else str(dict(Service.choices)[code])


def _headers(name: str, columns: Sequence[str]) -> list[str]:
    """The columns of an :func:`export_frame` in words."""
    common = {
        "item": _("Item"), "title": _("Title"), "kind": _("Kind"), "option": _("Option"),
        "suppressed": _("Suppressed"), "measure": _("Measure"), "value": _("Number"),
        "published_level": _("Published level (2015)"),
        "partnerships_rated": _("Partnerships rating it"),
        "not_rated": _("Partnerships not rating it"),
        "most_common_level": _("Most common level"),
        "band": _("Readiness index"), "low": _("From"), "high": _("Up to"),
        "median": _("Median"), "share": _("Share"),
        "partnerships": _("Partnerships"),
    }
    if name == "divergence":
        common.update(partnerships=_("Partnerships (two or more agencies answered)"),
                      divergent=_("Partnerships where it diverges"),
                      share=_("Share where it diverges"))
    for level in (1, 2, 3):
        common[f"level_{level}"] = _("Share at Level %(n)d") % {"n": level}
        common[f"level_{level}_n"] = _("Partnerships at Level %(n)d") % {"n": level}
    for service in ("all_services", *SERVICES):
        label = _service_label(service)
        common[f"{service}_mean"] = _("%(service)s: mean") % {"service": label}
        common[f"{service}_partnerships"] = _("%(service)s: partnerships") % {"service": label}
        common[f"{service}_suppressed"] = _("%(service)s: suppressed") % {"service": label}
    return [common.get(c, c) for c in columns]


def _for_people(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    if "kind" in out.columns:
        kinds = dict(Item.Kind.choices)
        out["kind"] = [str(kinds.get(k, k)) for k in out["kind"]]
    if name == "readiness":
        out["band"] = [_("All") if b == "all" else b for b in out["band"]]
    out.columns = _headers(name, [str(c) for c in frame.columns])
    return out


def tables_workbook(tables: ResearchTables, *, notes: list[tuple[str, str]]) -> bytes:
    """Every table of the page in one workbook: a README sheet of ``notes`` (the
    selection, when, the suppression rule) and the sheets it lists, one per table."""
    names = sheet_names()
    frames = {name: _for_people(name, export_frame(tables, name)) for name in EXPORTS}
    wide = {_("Title"), _("Measure")}
    sheets = [xlsx.Sheet(names[name], frame, wrap=[c for c in frame.columns if c in wide])
              for name, frame in frames.items()]
    return xlsx.workbook([xlsx.notes(_("Read me"), notes), *sheets])
