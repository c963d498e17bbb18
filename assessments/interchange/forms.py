"""The answers import form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bluelight.uploads import validate_csv_upload


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Answers file (CSV)"),
        help_text=_("UTF-8, with the header agency,service,item,value,comment and one row per "
                    "agency and item; leave the value blank for “Don't know”."))
    replace_submitted = forms.BooleanField(
        required=False,
        label=_("Replace answers these agencies have already given (submitted, or saved in a "
                "draft)"),
        help_text=_("Without this, a file naming an agency that already has answers in this "
                    "round is refused."))

    def clean_file(self):
        return validate_csv_upload(self.cleaned_data["file"])
