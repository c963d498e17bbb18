"""Forms of the KPI pages: a KPI's definition, a value, a correction, an upload."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from assessments.kpis import periods
from assessments.kpis.models import Kpi
from bluelight.uploads import BINARY_SIGNATURES, validate_csv_upload

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class KpiForm(forms.ModelForm):
    option_codes = forms.MultipleChoiceField(
        label=_("Options it evidences"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("The collaboration options this indicator shows progress on."))
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Kpi
        fields = ["name", "description", "unit", "direction", "baseline", "baseline_on",
                  "target", "target_on", "period", "option_codes", "reporter"]
        widgets = {"baseline_on": DATE_WIDGET, "target_on": DATE_WIDGET,
                   "description": forms.Textarea(attrs={"rows": 3}),
                   "direction": forms.RadioSelect, "period": forms.RadioSelect}
        help_texts = {
            "unit": _("What a value counts, e.g. minutes, £ thousand, % of incidents."),
            "baseline": _("Where the partnership starts from."),
            "target": _("Where it aims to be by the target date."),
            "reporter": _("The partner agency that reports the values."),
        }

    def __init__(self, *args, partnership, options: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["option_codes"].choices = [(c, f"{c} {t}") for c, t in options.items()]
        self.fields["reporter"].queryset = partnership.agencies.order_by("name")
        self.fields["reporter"].empty_label = _("Not set")
        self.fields["direction"].choices = Kpi._meta.get_field("direction").choices
        self.fields["period"].choices = Kpi._meta.get_field("period").choices

    def clean(self):
        data = super().clean()
        baseline_on, target_on = data.get("baseline_on"), data.get("target_on")
        if baseline_on and target_on and target_on <= baseline_on:
            self.add_error("target_on", _("The target date must be after the baseline date."))
        return data


class ValueForm(forms.Form):
    period = forms.TypedChoiceField(label=_("Period"), coerce=lambda v: v)
    value = forms.DecimalField(label=_("Value"), max_digits=16, decimal_places=4)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Anything that helps read the value."))
    source = forms.CharField(label=_("Source"), required=False, max_length=300,
                             help_text=_("Where the figure comes from, e.g. a report or "
                                         "system."))

    def __init__(self, *args, kpi: Kpi, taken: set, today, **kwargs):
        super().__init__(*args, **kwargs)
        last = max(today, kpi.target_on)
        starts = periods.between(min(kpi.baseline_on, today), last, kpi.period)
        self.starts = {s.isoformat(): s for s in starts}
        self.fields["period"].choices = [("", _("Choose a period"))] + [
            (s.isoformat(), periods.label(s, kpi.period)
             + (" — " + str(_("has a value")) if s in taken else ""))
            for s in reversed(starts)]
        self.fields["value"].label = _("Value (%(unit)s)") % {"unit": kpi.unit}

    def clean_period(self):
        start = self.starts.get(self.cleaned_data["period"])
        if start is None:  # pragma: no cover - the choices refuse it first
            raise forms.ValidationError(_("Choose a period from the list."))
        return start


class CorrectForm(forms.Form):
    value = forms.DecimalField(label=_("Value"), max_digits=16, decimal_places=4)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    source = forms.CharField(label=_("Source"), required=False, max_length=300)
    reason = forms.CharField(label=_("Why it is corrected"), max_length=100,
                             help_text=_("Kept in the value's history, with your name and "
                                         "the earlier value."))
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, unit: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if unit:
            self.fields["value"].label = _("Value (%(unit)s)") % {"unit": unit}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Values file (CSV or Excel workbook)"),
        help_text=_("The columns kpi, period, value, note, source; one row per KPI and "
                    "period."))
    correct = forms.BooleanField(
        required=False, label=_("Correct values that differ"),
        help_text=_("Without this, a row for a period that already has a different value "
                    "refuses the file. With it, each such value is corrected and the earlier "
                    "one kept in its history."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith(".xlsx"):
            upload.workbook = False
            return validate_csv_upload(upload)
        limit = settings.BLUELIGHT_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(_("The file is %(size)s; the limit is %(limit)s.") % {
                "size": filesizeformat(upload.size), "limit": filesizeformat(limit)})
        head = upload.read(8)
        upload.seek(0)
        if not head.startswith(BINARY_SIGNATURES[:1]):
            raise forms.ValidationError(_("“%(name)s” is not an Excel workbook (.xlsx).")
                                        % {"name": upload.name})
        upload.workbook = True
        return upload


