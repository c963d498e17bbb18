"""The national survey upload form: checks the upload, not its contents (see imports)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from bluelight.uploads import validate_csv_upload


class SurveyUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Respondents file (CSV)"),
        help_text=_("UTF-8, one row per respondent, with the header respondent,sample,service,"
                    "nation and then one column per question code."))

    def clean_file(self):
        return validate_csv_upload(self.cleaned_data["file"], too_large_hint=_(
            "Split it into smaller files (each respondent is imported once, whatever the "
            "file) or ask an administrator to import it with manage.py import_survey."))
