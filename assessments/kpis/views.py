"""The pages of a partnership's KPIs.

Who: the leads of the partnership's agencies read and write; administrators read; a
lead of another partnership gets 404 (as if it did not exist); researchers and users
without a role 403; anonymous visitors the login page.
"""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from assessments.kpis import periods, selectors, services, transfer
from assessments.kpis.charts import kpi_chart
from assessments.kpis.forms import CorrectForm, ImportForm, KpiForm, ValueForm
from assessments.kpis.models import KpiValue, SuggestedKpi
from bluelight.csvkit import listing
from bluelight.downloads import CSV, XLSX, download, filename
from bluelight.roles import is_administrator, is_lead, role_required


def _partnership(request, partnership_id: int, *, write: bool = False):
    found = selectors.kpi_partnership_for(request.user, partnership_id)
    if found is None or (write and not found.may_edit):
        raise Http404(_("No such partnership among yours."))
    return found


def _kpi(partnership, kpi_id: int):
    kpi = selectors.kpi_for(partnership_id=partnership.pk, kpi_id=kpi_id)
    if kpi is None:
        raise Http404(_("No such KPI."))
    return kpi


def _detail_url(kpi) -> str:
    return reverse("kpis:detail", kwargs={"partnership_id": kpi.partnership_id,
                                          "kpi_id": kpi.pk})


@role_required(is_lead, is_administrator)
@require_GET
def kpi_list(request, partnership_id: int):
    partnership = _partnership(request, partnership_id)
    rows = selectors.kpis_for_pack(partnership=partnership)
    return render(request, "assessments/kpis/list.html", {
        "partnership": partnership, "rows": rows,
        "counts": {s: sum(r.status == s for r in rows)
                   for s in ("on_track", "off_track", "no_data")},
    })


@role_required(is_lead)
@require_http_methods(["GET", "POST"])
def kpi_new(request, partnership_id: int):
    """A new KPI, blank or from a suggestion (``?suggestion=<id>``)."""
    partnership = _partnership(request, partnership_id, write=True)
    options = selectors.option_titles()
    suggestion = None
    if request.GET.get("suggestion", "").isdigit():
        suggestion = SuggestedKpi.objects.filter(pk=int(request.GET["suggestion"])).first()
    if request.method == "POST":
        form = KpiForm(request.POST, partnership=partnership, options=options)
        if form.is_valid():
            try:
                kpi = services.kpi_create(partnership=partnership, user=request.user,
                                          fields=form.cleaned_data)
            except services.KpiError as exc:
                form.add_error("name", exc.message)
            else:
                messages.success(request, _("The KPI “%(name)s” was added. Record its "
                                            "values as they come in.") % {"name": kpi.name})
                return redirect(_detail_url(kpi))
    else:
        today = timezone.localdate()
        initial = {"baseline_on": today.replace(month=1, day=1),
                   "target_on": today.replace(year=today.year + 1, month=12, day=31)}
        if suggestion is not None:
            initial |= services.kpi_initial_from(suggestion)
        form = KpiForm(initial=initial, partnership=partnership, options=options)
    return render(request, "assessments/kpis/kpi_form.html", {
        "partnership": partnership, "form": form, "suggestion": suggestion,
        "suggestions": selectors.suggestions_by_option(options) if suggestion is None else [],
    })


@role_required(is_lead)
@require_http_methods(["GET", "POST"])
def kpi_edit(request, partnership_id: int, kpi_id: int):
    partnership = _partnership(request, partnership_id, write=True)
    kpi = _kpi(partnership, kpi_id)
    options = selectors.option_titles()
    stale, saved = False, None
    if request.method == "POST":
        form = KpiForm(request.POST, instance=kpi, partnership=partnership, options=options)
        if form.is_valid():
            try:
                services.kpi_update(kpi=kpi, user=request.user, fields=form.cleaned_data,
                                    revision=form.cleaned_data.get("revision") or 0)
            except services.StaleRevision as exc:
                stale = True
                kpi = _kpi(partnership, kpi_id)
                saved = selectors.kpi_row(kpi, [])  # before the form writes onto ``kpi``
                data = request.POST.copy()
                data["revision"] = kpi.revision  # a second save, once read, goes through
                form = KpiForm(data, instance=kpi, partnership=partnership, options=options)
                form.is_valid()
                form.add_error(None, exc.message)
            except services.KpiError as exc:
                form.add_error("name", exc.message)
            else:
                messages.success(request, _("The KPI was saved."))
                return redirect(_detail_url(kpi))
    else:
        form = KpiForm(instance=kpi, initial={"revision": kpi.revision},
                       partnership=partnership, options=options)
    return render(request, "assessments/kpis/kpi_form.html", {
        "partnership": partnership, "form": form, "kpi": kpi, "stale": stale,
        "saved": saved,
    })


@role_required(is_lead, is_administrator)
@require_GET
def kpi_detail(request, partnership_id: int, kpi_id: int):
    partnership = _partnership(request, partnership_id)
    kpi = _kpi(partnership, kpi_id)
    detail = selectors.kpi_detail(kpi=kpi)
    return render(request, "assessments/kpis/detail.html", {
        "partnership": partnership, "kpi": kpi, "detail": detail, "row": detail.row,
        "chart": kpi_chart(detail) if detail.values else None,
        "expected_now": selectors.show(round(detail.expected_now, 4))
        if detail.expected_now is not None else "",
    })


@role_required(is_lead)
@require_http_methods(["GET", "POST"])
def value_record(request, partnership_id: int, kpi_id: int):
    partnership = _partnership(request, partnership_id, write=True)
    kpi = _kpi(partnership, kpi_id)
    taken = {v.period_start: v for v in kpi.values.all()}
    args = {"kpi": kpi, "taken": set(taken), "today": timezone.localdate()}
    taken_value = None
    if request.method == "POST":
        form = ValueForm(request.POST, **args)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.value_record(kpi=kpi, user=request.user, period_start=data["period"],
                                      value=data["value"], note=data["note"],
                                      source=data["source"])
            except services.PeriodTaken as exc:
                start = data["period"]
                form.add_error("period", exc.message)
                taken_value = taken.get(start) or KpiValue.objects.filter(
                    kpi=kpi, period_start=start).first()
            except services.KpiError as exc:
                form.add_error("period", exc.message)
            else:
                messages.success(request, _("The value for %(period)s was recorded.") % {
                    "period": periods.label(data["period"], kpi.period)})
                return redirect(_detail_url(kpi))
    else:
        form = ValueForm(**args)
    return render(request, "assessments/kpis/value_form.html", {
        "partnership": partnership, "kpi": kpi, "form": form, "taken_value": taken_value,
    })


@role_required(is_lead)
@require_http_methods(["GET", "POST"])
def value_correct(request, partnership_id: int, kpi_id: int, value_id: int):
    partnership = _partnership(request, partnership_id, write=True)
    kpi = _kpi(partnership, kpi_id)
    entry = KpiValue.objects.filter(kpi=kpi, pk=value_id).first()
    if entry is None:
        raise Http404(_("No such value."))
    stale = False
    if request.method == "POST":
        form = CorrectForm(request.POST, unit=kpi.unit)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.value_correct(entry=entry, user=request.user,
                                       revision=data["revision"], value=data["value"],
                                       note=data["note"], source=data["source"],
                                       reason=data["reason"])
            except services.StaleRevision as exc:
                stale = True
                entry.refresh_from_db()
                post = request.POST.copy()
                post["revision"] = entry.revision
                form = CorrectForm(post, unit=kpi.unit)
                form.is_valid()
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The value for %(period)s was corrected; the "
                                            "earlier value is kept in its history.") % {
                    "period": periods.label(entry.period_start, kpi.period)})
                return redirect(_detail_url(kpi))
    else:
        form = CorrectForm(unit=kpi.unit, initial={
            "value": Decimal(selectors.show(entry.value)), "note": entry.note,
            "source": entry.source, "revision": entry.revision})
    return render(request, "assessments/kpis/correct_form.html", {
        "partnership": partnership, "kpi": kpi, "entry": entry, "form": form,
        "stale": stale, "period": periods.label(entry.period_start, kpi.period),
        "value_text": selectors.show(entry.value),
    })


@role_required(is_lead)
@require_http_methods(["GET", "POST"])
def values_import(request, partnership_id: int):
    partnership = _partnership(request, partnership_id, write=True)
    result = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            result = transfer.values_import(partnership=partnership, user=request.user,
                                            data=upload.read(), workbook=upload.workbook,
                                            correct=form.cleaned_data["correct"])
            if result.ok:
                messages.success(request, ngettext(
                    "Imported %(n)s new value", "Imported %(n)s new values", result.created)
                    % {"n": result.created} + "; " + ngettext(
                    "%(n)s corrected", "%(n)s corrected", result.corrected)
                    % {"n": result.corrected} + "; " + ngettext(
                    "%(n)s already there, unchanged.", "%(n)s already there, unchanged.",
                    result.unchanged) % {"n": result.unchanged})
                return redirect("kpis:list", partnership_id=partnership.pk)
    else:
        form = ImportForm()
    return render(request, "assessments/kpis/import.html", {
        "partnership": partnership, "form": form,
        "problems": listing(result.errors, stopped_at=result.stopped_at)
        if result is not None and not result.ok else None,
    })


@role_required(is_lead, is_administrator)
@require_GET
def values_export(request, partnership_id: int, fmt: str):
    partnership = _partnership(request, partnership_id)
    if fmt not in ("csv", "xlsx"):
        raise Http404(_("No such format."))
    frame = transfer.values_frame(partnership=partnership)
    name = filename(partnership.name, what="kpi-values", extension=fmt)
    if fmt == "csv":
        return download(transfer.values_csv(frame), content_type=CSV, filename=name)
    return download(transfer.values_xlsx(frame, partnership_name=partnership.name),
                    content_type=XLSX, filename=name)
