"""Forms of the questionnaire, the answer import and the administrators' pages.

They parse and check what a person typed and say what is wrong in words; the
writes are in ``services.py``, ``imports.py`` and ``invitations.py``.
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from assessments.models import COMMENT_MAX, Membership
from assessments.questionnaire.services import REOPEN_REASON_MAX, AnswerInput
from bluelight import formatting

DONT_KNOW = "dk"
_ITEM_FIELD = re.compile(r"^(?P<code>.+)-(?P<part>value|comment)$")


def value_field(code: str) -> str:
    return f"{code}-value"


def comment_field(code: str) -> str:
    return f"{code}-comment"


class CommentField(forms.CharField):
    """Evidence text: line breaks count as one character, as the browser counts them."""

    def __init__(self, *, code: str, **kwargs):
        self.code = code
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n").replace("\r", "\n")

    def validate(self, value):
        super().validate(value)
        if len(value) > COMMENT_MAX:
            raise forms.ValidationError(
                _("%(code)s: the evidence is %(n)s characters long; the limit is %(max)s. "
                  "Shorten it to save."),
                code="max_length",
                params={"code": self.code, "n": len(value), "max": COMMENT_MAX})


class SectionForm(forms.Form):
    """One section's items: for each, a rating (1–5 or "Don't know") and evidence.

    ``items``: the section's items; ``labels``: the scale's labels by value;
    ``all_codes``: every item code of the round's framework (to tell an item of
    another framework from one of another section).
    """

    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, items, labels: dict[int, str], all_codes, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        self.all_codes = set(all_codes)
        choices = [(str(v), formatting.answer(v, labels)) for v in range(1, 6)]
        choices.append((DONT_KNOW, _("Don't know")))
        for item in self.items:
            self.fields[value_field(item.code)] = forms.ChoiceField(
                choices=choices, required=False, widget=forms.RadioSelect,
                label=f"{item.code} {item.title}",
                error_messages={"invalid_choice": _(
                    "%(code)s: “%%(value)s” is not one of the answers; choose 1 to 5 or "
                    "“Don't know”.") % {"code": item.code}})
            self.fields[comment_field(item.code)] = CommentField(
                code=item.code, label=_("Evidence (optional)"), widget=forms.Textarea)

    def clean(self):
        cleaned = super().clean()
        codes = {item.code for item in self.items}
        for key in self.data:
            match = _ITEM_FIELD.match(key)
            if not match or match["code"] in codes:
                continue
            if match["code"] in self.all_codes:
                message = _("%(code)s is not on this page; nothing was saved.")
            else:
                message = _("%(code)s is not an item of this round's framework; nothing was "
                            "saved.")
            self.add_error(None, message % {"code": match["code"]})
        for item in self.items:
            value = cleaned.get(value_field(item.code))
            comment = cleaned.get(comment_field(item.code))
            if not value and comment and value_field(item.code) not in self.errors:
                self.add_error(value_field(item.code), _(
                    "%(code)s: choose an answer (or “Don't know”) to save your evidence.")
                    % {"code": item.code})
        return cleaned

    def answers(self) -> dict[str, AnswerInput | None]:
        """The section's answers by item code (None: not answered).

        An item the post does not mention at all (neither its rating nor its
        evidence box) is left out, so it is not touched; the page always posts
        every evidence box, so an item it shows with no rating chosen is "not
        answered".
        """
        out: dict[str, AnswerInput | None] = {}
        for item in self.items:
            if (value_field(item.code) not in self.data
                    and comment_field(item.code) not in self.data):
                continue
            value = self.cleaned_data.get(value_field(item.code))
            comment = self.cleaned_data.get(comment_field(item.code)) or ""
            if not value:
                out[item.code] = None
            else:
                out[item.code] = AnswerInput(None if value == DONT_KNOW else int(value), comment)
        return out

    @staticmethod
    def initial_for(items, answers_by_code: dict[str, AnswerInput | None], revision: int):
        initial = {"revision": revision}
        for item in items:
            answer = answers_by_code.get(item.code)
            if answer is not None:
                initial[value_field(item.code)] = (DONT_KNOW if answer.value is None
                                                   else str(answer.value))
                initial[comment_field(item.code)] = answer.comment
        return initial


class SubmitForm(forms.Form):
    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=_("I confirm these are my agency's answers and I want to submit them. Once "
                "submitted they cannot be changed unless an administrator reopens the "
                "assessment."),
        error_messages={"required": _("Tick the box to confirm that you want to submit.")})


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for reopening"), max_length=REOPEN_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded in the history and shown to the agency's leads (up to "
                    "%(max)s characters).") % {"max": REOPEN_REASON_MAX})


class InviteForm(forms.Form):
    membership = forms.ModelChoiceField(
        label=_("Lead for"), queryset=Membership.objects.none(),
        help_text=_("The agency, in its partnership, the person will answer for."))
    email = forms.EmailField(label=_("Email address"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)

    def __init__(self, *args, memberships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = memberships
