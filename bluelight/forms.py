"""Forms for the account pages: two-step verification."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Django's log-in form with our own wording of a refused log-in (Django's Welsh for it
    speaks of "a staff account", the admin site's message)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The username or password is not right. Check both: capital and "
                           "small letters count."),
    }


class CodeForm(forms.Form):
    """A code from the authenticator app (six digits) or, where allowed, a backup code."""

    code = forms.CharField(
        label=_("Code"), max_length=32, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True,
                                      "spellcheck": "false", "autocapitalize": "off"}))

    def __init__(self, *args, backup_codes_allowed=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = (
            _("The six-digit code your authenticator app shows now, or one of your "
              "backup codes.") if backup_codes_allowed
            else _("The six-digit code your authenticator app shows now."))
        if not backup_codes_allowed:
            self.fields["code"].widget.attrs["inputmode"] = "numeric"


class PasswordConfirmForm(forms.Form):
    """Your password again, before turning two-step verification off."""

    password = forms.CharField(label=_("Your password"), strip=False,
                               widget=forms.PasswordInput(
                                   attrs={"autocomplete": "current-password"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."), code="wrong")
        return password
