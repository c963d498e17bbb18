"""The researchers' filter form (a GET form: its URL is the shareable selection)."""

from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import CollaborationKind
from assessments.research.selectors import ResearchFilters
from bluelight.choices import Nation, Service


class ResearchFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of collaboration"), required=False,
        choices=[("", _("Any kind"))] + list(CollaborationKind.choices))
    services = forms.MultipleChoiceField(
        label=_("Services involved"), required=False, choices=Service.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Partnerships that include an agency of every service ticked."))
    nation = forms.ChoiceField(
        label=_("Nation"), required=False,
        choices=[("", _("England and Wales"))] + list(Nation.choices),
        help_text=_("Partnerships with at least one agency in this nation."))
    opened_from = forms.DateField(
        label=_("Rounds opened from"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Inclusive. Leave blank for no limit."))
    opened_to = forms.DateField(
        label=_("Rounds opened up to"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Inclusive. Leave blank for no limit."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.form_id = "research-filters"
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            Row(Column("kind", css_class="col-md-6 col-lg-4"),
                Column("nation", css_class="col-md-6 col-lg-4")),
            Row(Column("opened_from", css_class="col-md-6 col-lg-4"),
                Column("opened_to", css_class="col-md-6 col-lg-4")),
            InlineCheckboxes("services"),
            Submit("show", _("Show results"), css_class="btn-primary"),
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("opened_from"), data.get("opened_to")
        if start and end and start > end:
            self.add_error("opened_to", _("This date is before the “opened from” date."))
        return data

    def filters(self) -> ResearchFilters:
        """The selection; an unbound form is no filter at all."""
        if not self.is_bound:
            return ResearchFilters()
        data = self.cleaned_data
        return ResearchFilters(
            kind=data.get("kind") or "",
            services=tuple(s for s in Service.values if s in (data.get("services") or [])),
            nation=data.get("nation") or "",
            opened_from=data.get("opened_from"), opened_to=data.get("opened_to"))
