"""Forms of the lessons pages: a lesson, sharing it, reviewing it, and the library's
filters (GET)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import CollaborationKind
from bluelight.choices import Nation, Service

from .models import TEXT_MAX


class LessonForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    tried = forms.CharField(label=_("What we tried"), max_length=TEXT_MAX,
                            widget=forms.Textarea(attrs={"rows": 4}))
    options = forms.MultipleChoiceField(
        label=_("Collaboration options it concerns"), required=False,
        widget=forms.CheckboxSelectMultiple)
    factors = forms.MultipleChoiceField(
        label=_("Enablers and barriers it concerns"), required=False,
        widget=forms.CheckboxSelectMultiple)
    happened = forms.CharField(label=_("What happened"), max_length=TEXT_MAX, required=False,
                               widget=forms.Textarea(attrs={"rows": 4}))
    differently = forms.CharField(label=_("What we would do differently"),
                                  max_length=TEXT_MAX, required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    tried_from = forms.DateField(
        label=_("Tried from"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For a single date, give it here and leave “Tried until” empty."))
    tried_to = forms.DateField(label=_("Tried until"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}))
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["options"].choices = items["option"]
        self.fields["factors"].choices = items["factor"]

    def clean(self):
        data = super().clean()
        start, end = data.get("tried_from"), data.get("tried_to")
        if start and end and end < start:
            self.add_error("tried_to", _("This date is before the date it was tried from."))
        if end and not start:
            self.add_error("tried_from", _("Give the date it was tried from as well."))
        if not data.get("options") and not data.get("factors"):
            self.add_error("options", _("Choose at least one option, enabler or barrier."))
        return data


class ShareForm(forms.Form):
    show_name = forms.TypedChoiceField(
        label=_("How it appears in the library"), coerce=lambda v: v == "named",
        widget=forms.RadioSelect)
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, name: str, description: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["show_name"].choices = [
            ("anonymous", _("Without our name, as “%(description)s”")
             % {"description": description}),
            ("named", _("Under our name, “%(name)s”") % {"name": name}),
        ]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), widget=forms.RadioSelect,
        choices=[("publish", _("Publish it in the library")),
                 ("return", _("Return it to the partnership with a note"))])
    note = forms.CharField(label=_("Note to the partnership"), required=False,
                           max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}),
                           help_text=_("Needed when you return it: say what to change."))
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not data.get("note", "").strip():
            self.add_error("note", _("Write a note saying why you return it."))
        return data


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    option = forms.ChoiceField(label=_("Collaboration option"), required=False)
    factor = forms.ChoiceField(label=_("Enabler or barrier"), required=False)
    kind = forms.ChoiceField(label=_("Kind of collaboration"), required=False)
    service = forms.ChoiceField(label=_("Service"), required=False)
    nation = forms.ChoiceField(label=_("Nation"), required=False)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        anything = [("", _("Any"))]
        self.fields["option"].choices = anything + items["option"]
        self.fields["factor"].choices = anything + items["factor"]
        self.fields["kind"].choices = anything + list(CollaborationKind.choices)
        self.fields["service"].choices = anything + list(Service.choices)
        self.fields["nation"].choices = anything + list(Nation.choices)
