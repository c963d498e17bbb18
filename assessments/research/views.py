"""Researchers' pages across partnerships: the national picture and its downloads.

Researchers and administrators only: a partnership lead (or any other role)
gets 403, an anonymous visitor the login page. Nothing here names an agency or
shows a comment (see :mod:`assessments.research`).
"""

from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assessments.research import exports as research_exports
from assessments.research import selectors as research
from assessments.research.charts import levels_chart, readiness_chart
from assessments.research.forms import ResearchFilterForm
from assessments.research.services import DifferencingRefused, answers_download_record
from bluelight.choices import Service
from bluelight.downloads import CSV, XLSX, download, filename
from bluelight.formatting import timestamp
from bluelight.roles import can_research, role_required

TITLES = {
    "counts": gettext_lazy("Partnerships, rounds and agencies"),
    "levels": gettext_lazy("Share of partnerships at each level"),
    "means": gettext_lazy("Mean answers to enablers and barriers, by service"),
    "divergence": gettext_lazy("How often each enabler and barrier diverges"),
    "readiness": gettext_lazy("Readiness index distribution"),
}


def _form(request) -> ResearchFilterForm:
    return ResearchFilterForm(request.GET or None)


def _filters(request):
    """The form and, when it is valid, its filters (None when it is not)."""
    form = _form(request)
    if form.is_bound and not form.is_valid():
        return form, None
    return form, form.filters()


def _selection(request):
    """The form and, when it is valid, the scored selection (answers included)."""
    form, filters = _filters(request)
    return form, None if filters is None else research.cross_partnership(filters=filters)


def _tables(request):
    """The form and, when it is valid, the selection's tables (computed once per state of
    the data: ``research.research_tables_for``)."""
    form, filters = _filters(request)
    return form, None if filters is None else research.research_tables_for(filters=filters)


@role_required(can_research)
def research_page(request):
    form, tables = _tables(request)
    data = tables.data if tables is not None else None
    context = {"form": form, "data": data, "query": request.GET.urlencode(),
               "min_group": research.min_group_size()}
    if tables is not None:
        context.update(
            tables=tables,
            count_rows=tables.counts.to_dict("records"),
            level_rows=research.level_rows(tables),
            factor_rows=research.factor_rows(tables),
            kinds=[("enabler", _("Enablers: mean answer by service")),
                   ("barrier", _("Barriers: mean answer by service"))],
            services=[("all", _("All services"))] + list(Service.choices),
            suppression_note=research.suppression_note(data.min_group),
            suppressed_in=research.suppressed_tables(tables),
            charts={"levels": levels_chart(tables), "readiness": readiness_chart(tables)},
            exports=[(name, TITLES[name]) for name in research.EXPORTS],
        )
    return render(request, "assessments/research/page.html", context)


def _notes(data, title: str | None = None,
           sheets: list[tuple[str, str]] = ()) -> list[tuple[str, str]]:
    """The README sheet: the table (or each sheet and its table), the selection, the rules."""
    head = [(_("Table"), str(title))] if title is not None else [
        (_("Sheet: %(sheet)s") % {"sheet": sheet}, str(table)) for sheet, table in sheets]
    return [
        *head,
        (_("Selection"), data.filters.describe()),
        (_("Counting"), _("Submitted answers only. Each partnership is counted once, at its "
                          "latest round with results in the period.")),
        (_("Partnerships"), str(data.partnerships)),
        (_("Suppression"), _("Figures computed over fewer than %(n)d partnerships are "
                             "suppressed.") % {"n": data.min_group}),
        (_("Suppressed figures"), _("An empty cell, with the row's “suppressed” column "
                                    "(for a mean, the service's) set to true.")),
        (_("Anonymity"), _("Agencies are shown by service, never by name; no comments.")),
        (_("Generated at"), timestamp()),
    ]


@role_required(can_research)
def research_export(request, name: str, fmt: str):
    if name not in research.EXPORTS or fmt not in ("csv", "xlsx"):
        raise Http404(_("No such download."))
    form, tables = _tables(request)
    if tables is None:
        return HttpResponseBadRequest(_("The filters are not valid: correct them on the "
                                        "research page first."), content_type="text/plain")
    data = tables.data
    frame = research.export_frame(tables, name)
    name_ = filename("research", what=name, extension=fmt)
    if fmt == "csv":
        return download(research_exports.frame_to_csv(frame), content_type=CSV,
                        filename=name_)
    body = research_exports.frame_to_xlsx(frame, sheet=name, notes=_notes(data, TITLES[name]))
    return download(body, content_type=XLSX, filename=name_)


@role_required(can_research)
def research_workbook(request):
    """Every table of the page, with the filters of the URL, in one XLSX workbook."""
    form, tables = _tables(request)
    if tables is None:
        return HttpResponseBadRequest(_("The filters are not valid: correct them on the "
                                        "research page first."), content_type="text/plain")
    names = research_exports.sheet_names()
    notes = _notes(tables.data, sheets=[(names[name], TITLES[name])
                                        for name in research.EXPORTS])
    body = research_exports.tables_workbook(tables, notes=notes)
    return download(body, content_type=XLSX,
                    filename=filename("research", what="tables", extension="xlsx"))


def _back_to_page(request):
    url = reverse("research:page")
    return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)


@role_required(can_research)
def research_answers_csv(request):
    """The anonymised answers of the selection; refused for a selection under the minimum
    group size, or one differing from an earlier download of the same person by fewer
    partnerships than that (differencing: :mod:`assessments.research.services`)."""
    form, data = _selection(request)
    if data is None:
        return HttpResponseBadRequest(_("The filters are not valid: correct them on the "
                                        "research page first."), content_type="text/plain")
    if not data.enough:
        messages.error(request, _(
            "The answer-level download needs at least %(n)d partnerships in the selection, "
            "so that no partnership can be picked out; this selection has %(found)d.")
            % {"n": data.min_group, "found": data.partnerships})
        return _back_to_page(request)
    try:
        answers_download_record(user=request.user,
                                partnerships=data.rounds["partnership"].tolist(),
                                min_group=data.min_group, selection=data.filters.describe())
    except DifferencingRefused as refused:
        messages.error(request, refused.message)
        return _back_to_page(request)
    return download(research_exports.frame_to_csv(research.anonymised_answers(data)),
                    content_type=CSV,
                    filename=filename("research", what="answers", extension="csv"))
