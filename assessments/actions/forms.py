"""The forms of a partnership's actions: an action (new or changed), a progress note, the
list's status filter. Choices come from :func:`assessments.actions.services.action_choices`
(the partnership's agencies, its current framework's factors and options); the services
check them again."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.actions.models import TEXT_MAX, Action
from assessments.actions.services import TITLE_MAX, Choices

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActionForm(forms.Form):
    title = forms.CharField(label=_("What will be done"), max_length=TITLE_MAX)
    details = forms.CharField(
        label=_("Details"), required=False, max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("How, with whom, and what would show it is done (up to 2,000 characters)."))
    factor_code = forms.ChoiceField(label=_("Enabler or barrier it addresses"), required=False)
    option_codes = forms.MultipleChoiceField(
        label=_("Options it should unlock"), required=False,
        widget=forms.CheckboxSelectMultiple)
    owner = forms.TypedChoiceField(label=_("Owner agency"), required=False, coerce=int,
                                   empty_value=None)
    due_on = forms.DateField(label=_("Due"), required=False, widget=DATE,
                             help_text=_("For example 31/03/2027."))
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices,
                               initial=Action.Status.PLANNED)
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args, choices: Choices, action: Action | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        factors = dict(choices.factors)
        options = dict(choices.options)
        if action is not None:  # an older framework's codes stay choosable on its action
            if action.factor_code and action.factor_code not in factors:
                factors[action.factor_code] = ""
            for code in action.option_codes or []:
                options.setdefault(code, "")
        self.fields["factor_code"].choices = [("", _("None: options only"))] + [
            (code, f"{code} {title}".strip()) for code, title in factors.items()]
        self.fields["option_codes"].choices = [
            (code, f"{code} {title}".strip()) for code, title in options.items()]
        self.fields["owner"].choices = [("", _("Not decided yet"))] + list(
            choices.agencies.items())
        if action is None:
            del self.fields["revision"]
        else:  # an edit says which revision it was made from (see action_update)
            self.fields["revision"].required = True

    def values(self) -> dict:
        """The fields the services take."""
        data = self.cleaned_data
        return {"title": data["title"], "details": data["details"],
                "factor_code": data["factor_code"], "option_codes": data["option_codes"],
                "owner": data["owner"], "due_on": data["due_on"], "status": data["status"]}


def action_initial(action: Action) -> dict:
    return {"title": action.title, "details": action.details,
            "factor_code": action.factor_code, "option_codes": list(action.option_codes or []),
            "owner": action.owner_id, "due_on": action.due_on, "status": action.status,
            "revision": action.revision}


class NoteForm(forms.Form):
    on_day = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate,
                             help_text=_("When this progress was made; not in the future."))
    text = forms.CharField(label=_("Progress"), max_length=TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": 3}))


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Show"), required=False, widget=forms.Select(attrs={"class": "form-select"}),
        choices=[("", _("Every action")), ("open", _("Open: planned or in progress"))]
        + list(Action.Status.choices))
