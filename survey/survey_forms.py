"""The national survey upload form: checks the upload, not its contents (see imports)."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _


class SurveyUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Respondents file (CSV)"),
        help_text=_("UTF-8, one row per respondent, with the header respondent,sample,service,"
                    "nation and then one column per question code."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.BLUELIGHT_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is %(limit)s. Split it into smaller files "
                  "(each respondent is imported once, whatever the file) or ask an "
                  "administrator to import it with manage.py import_survey."),
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)})
        return upload
