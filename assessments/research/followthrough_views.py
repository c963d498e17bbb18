"""The researchers' view of follow-through across partnerships, and its downloads.

Researchers and administrators only (a lead or any other role gets 403, an
anonymous visitor the login page). The tables are built in
:mod:`assessments.research.followthrough`; this module parses the filters and
writes them as a page, CSV or XLSX (the shared writers: :mod:`bluelight.csvkit`,
:mod:`bluelight.xlsx`, :mod:`bluelight.downloads`).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.layout import Column, Layout, Row, Submit
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.research import followthrough as ft
from assessments.research.forms import ResearchFilterForm
from assessments.research.selectors import min_group_size, suppression_note
from bluelight import xlsx
from bluelight.csvkit import frame_to_csv
from bluelight.downloads import CSV, XLSX, download, filename
from bluelight.formatting import timestamp
from bluelight.roles import can_research, role_required
from survey.models import Item

TITLES = {
    "counts": gettext_lazy("Partnerships, actions and KPIs counted"),
    "acting": gettext_lazy("Partnerships acting on each enabler and barrier"),
    "timeliness": gettext_lazy("Actions done on time"),
    "movement": gettext_lazy("How factors moved between rounds, with and without action"),
    "kpis": gettext_lazy("KPIs tracked per option"),
}
INVALID = gettext_lazy("The filters are not valid: correct them on the follow-through page "
                       "first.")


class FollowThroughFilterForm(ResearchFilterForm):
    """The research page's filters without its period (actions and KPIs are not tied to a
    round)."""

    opened_from = None
    opened_to = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.form_id = "followthrough-filters"
        self.helper.layout = Layout(
            Row(Column("kind", css_class="col-md-6 col-lg-4"),
                Column("nation", css_class="col-md-6 col-lg-4")),
            InlineCheckboxes("services"),
            Submit("show", _("Show results"), css_class="btn-primary"),
        )


def _selection(request):
    """The form and, when it is valid, the selection's tables (computed once per state
    of the data: ``followthrough_tables_for``)."""
    form = FollowThroughFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return form, None
    return form, ft.followthrough_tables_for(filters=form.filters())


@role_required(can_research)
def followthrough_page(request):
    form, tables = _selection(request)
    data = tables.data if tables is not None else None
    context = {"form": form, "data": data, "query": request.GET.urlencode(),
               "min_group": min_group_size()}
    if tables is not None:
        kinds = [("enabler", _("Enablers")), ("barrier", _("Barriers"))]
        context.update(
            tables=tables,
            count_rows=tables.counts.to_dict("records"),
            kinds=kinds,
            acting_rows=tables.acting.to_dict("records"),
            timeliness_rows=tables.timeliness.to_dict("records"),
            movement_rows=tables.movement.to_dict("records"),
            kpi_rows=tables.kpis.to_dict("records"),
            suppression_note=suppression_note(data.min_group),
            suppressed_in=tables.suppressed_in(),
            exports=[(name, TITLES[name]) for name in ft.EXPORTS],
            movement_rule=movement_rule(), association=association(),
            recent_rule=recent_rule(),
        )
    return render(request, "assessments/research/followthrough.html", context)


# --------------------------------------------------------------------------- downloads


def _notes(data: ft.FollowThrough, head: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The README sheet: the table(s), the selection, the rules."""
    return [
        *head,
        (_("Selection"), data.filters.describe()),
        (_("Partnerships"), str(data.partnerships)),
        (_("On time"), _("An action done with a done date on or before its due date. Late: "
                         "done after it. Overdue: planned or in progress, past its due "
                         "date. On-time share: on time of on time, late and overdue.")),
        (_("Movement between rounds"), movement_rule()),
        (_("Association, not proof"), association()),
        (_("KPIs with values in the last year"), recent_rule()),
        (_("Suppression"), _("Figures computed over fewer than %(n)d partnerships are "
                             "suppressed.") % {"n": data.min_group}),
        (_("Suppressed figures"), _("An empty cell, with the row's “suppressed” column set "
                                    "to true (for a share of the selection, "
                                    "“share_suppressed”; for a group of pairs, "
                                    "“with_suppressed” or “without_suppressed”).")),
        (_("Generated at"), timestamp()),
    ]


def movement_rule() -> str:
    return _("Pairs of consecutive rounds with results of the same partnership. A round's "
             "date is its closing date (its opening date when it has none). With a completed "
             "action: the partnership marked an action on the factor done after the earlier "
             "round's date and on or before the later round's date, or marked an action "
             "adopted from the earlier round's results done by the later round's date. "
             "Without action: it had no action on the factor then (none recorded by the "
             "later round's date, other than actions done by the earlier round's date). "
             "Other pairs are in neither group. The change is the later round's mean answer "
             "minus the earlier round's.")


def association() -> str:
    return _("These figures show an association, not proof that the actions moved the "
             "factors: partnerships that act may differ in other ways, and other things "
             "change between rounds.")


def recent_rule() -> str:
    return _("A KPI with a value for a period that ended in the last 12 months or is "
             "still running.")


def sheet_names() -> dict[str, str]:
    return {"counts": _("Counts"), "acting": _("Acting on factors"),
            "timeliness": _("On time"), "movement": _("Movement"), "kpis": _("KPIs by option")}


def _headers(columns: Sequence[str]) -> list[str]:
    words = {
        "item": _("Item"), "title": _("Title"), "kind": _("Kind"), "option": _("Option"),
        "measure": _("Measure"), "value": _("Number"), "partnerships": _("Partnerships"),
        "share": _("Share of the partnerships in the selection"),
        "share_suppressed": _("Share suppressed"), "suppressed": _("Suppressed"),
        "actions": _("Actions"), "planned": _("Planned"), "in_progress": _("In progress"),
        "done": _("Done"), "dropped": _("Dropped"), "on_time": _("Done on time"),
        "late": _("Done late"), "done_undated": _("Done, no due date or done date"),
        "overdue": _("Open and overdue"), "open": _("Open, not yet due"),
        "on_time_share": _("On-time share"),
        "with_pairs": _("With a completed action: pairs"),
        "with_partnerships": _("With a completed action: partnerships"),
        "with_change": _("With a completed action: mean change"),
        "with_suppressed": _("With a completed action: suppressed"),
        "without_pairs": _("Without action: pairs"),
        "without_partnerships": _("Without action: partnerships"),
        "without_change": _("Without action: mean change"),
        "without_suppressed": _("Without action: suppressed"),
        "difference": _("Difference (with − without)"),
        "kpis": _("KPIs"), "with_recent_values": _("KPIs with values in the last year"),
        "recent_share": _("Share with values in the last year"),
    }
    return [words.get(c, c) for c in columns]


def _for_people(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    if "kind" in out.columns:
        kinds = dict(Item.Kind.choices)
        out["kind"] = [str(kinds.get(k, k)) if k else "" for k in out["kind"]]
    if "item" in out.columns:
        out["item"] = [_("All actions") if i == ft.ALL else i for i in out["item"]]
    out.columns = _headers([str(c) for c in frame.columns])
    return out


def tables_workbook(tables: ft.FollowThroughTables, *, notes: list[tuple[str, str]]) -> bytes:
    """Every table in one workbook, for people: a README sheet and a sheet per table."""
    names = sheet_names()
    wide = {_("Title"), _("Measure")}
    sheets = []
    for name in ft.EXPORTS:
        frame = _for_people(name, ft.export_frame(tables, name))
        sheets.append(xlsx.Sheet(names[name], frame,
                                 wrap=[c for c in frame.columns if c in wide]))
    return xlsx.workbook([xlsx.notes(_("Read me"), notes), *sheets])


def _invalid():
    return HttpResponseBadRequest(str(INVALID), content_type="text/plain")


@role_required(can_research)
def followthrough_export(request, name: str, fmt: str):
    """One table, with the filters of the URL, as CSV or XLSX (column names of the data,
    the same in every language, for scripts)."""
    if name not in ft.EXPORTS or fmt not in ("csv", "xlsx"):
        raise Http404(_("No such download."))
    form, tables = _selection(request)
    if tables is None:
        return _invalid()
    data = tables.data
    frame = ft.export_frame(tables, name)
    name_ = filename("research", "follow-through", what=name, extension=fmt)
    if fmt == "csv":
        return download(frame_to_csv(frame), content_type=CSV, filename=name_)
    body = xlsx.workbook([xlsx.Sheet(name, frame), xlsx.notes(
        "README", _notes(data, [(_("Table"), str(TITLES[name]))]))])
    return download(body, content_type=XLSX, filename=name_)


@role_required(can_research)
def followthrough_workbook(request):
    """Every table of the page, with the filters of the URL, in one XLSX workbook."""
    form, tables = _selection(request)
    if tables is None:
        return _invalid()
    names = sheet_names()
    notes = _notes(tables.data, [(_("Sheet: %(sheet)s") % {"sheet": names[name]},
                                  str(TITLES[name])) for name in ft.EXPORTS])
    body = tables_workbook(tables, notes=notes)
    return download(body, content_type=XLSX,
                    filename=filename("research", "follow-through", what="tables",
                                      extension="xlsx"))
