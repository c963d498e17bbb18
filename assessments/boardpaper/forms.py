"""The decisions form: one fieldset per option of the round (choice, reason, date)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.boardpaper.decisions import REASON_MAX, DecisionInput
from assessments.boardpaper.models import Decision


class DecisionsForm(forms.Form):
    """Per option ``<code>-choice`` (blank: no new decision), ``<code>-reason``,
    ``<code>-decided_on`` (default today) and ``<code>-seen`` (the decision in force when
    the page was opened, 0 for none; a stale one is refused by the service)."""

    def __init__(self, *args, options, current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.codes = [o.code for o in options]
        today = timezone.localdate()
        for code in self.codes:
            self.fields[f"{code}-choice"] = forms.ChoiceField(
                label=_("Decision"), required=False, widget=forms.RadioSelect,
                choices=[("", _("No new decision")), *Decision.Choice.choices])
            self.fields[f"{code}-reason"] = forms.CharField(
                label=_("Reason"), required=False, max_length=REASON_MAX,
                widget=forms.Textarea(attrs={"rows": 2}))
            self.fields[f"{code}-decided_on"] = forms.DateField(
                label=_("Date of the decision"), required=False, initial=today,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
            row = current.get(code)
            self.fields[f"{code}-seen"] = forms.IntegerField(
                required=False, initial=row.id if row else 0, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        chosen = 0
        for code in self.codes:
            choice = data.get(f"{code}-choice")
            reason = (data.get(f"{code}-reason") or "").strip()
            if not choice:
                if reason:
                    self.add_error(f"{code}-choice", _(
                        "Choose a decision for the reason you wrote, or clear the reason."))
                continue
            chosen += 1
            if not reason:
                self.add_error(f"{code}-reason", _("Give the reason for this decision."))
            day = data.get(f"{code}-decided_on")
            if day is None and f"{code}-decided_on" not in self.errors:
                self.add_error(f"{code}-decided_on", _("Give the date of the decision."))
            elif day is not None and day > today:
                self.add_error(f"{code}-decided_on",
                               _("The date of a decision cannot be in the future."))
        if not chosen and not self.errors:
            raise forms.ValidationError(_("Choose a decision for at least one option."))
        return data

    def entries(self) -> list[DecisionInput]:
        data = self.cleaned_data
        return [DecisionInput(option_code=code, choice=data[f"{code}-choice"],
                              reason=data.get(f"{code}-reason") or "",
                              decided_on=data.get(f"{code}-decided_on"),
                              seen=data.get(f"{code}-seen"))
                for code in self.codes if data.get(f"{code}-choice")]

    def option_fields(self, code: str) -> dict:
        return {"choice": self[f"{code}-choice"], "reason": self[f"{code}-reason"],
                "decided_on": self[f"{code}-decided_on"], "seen": self[f"{code}-seen"]}
