"""Views of the project itself: health, two-step verification, password reset."""

from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from . import throttle, twofactor
from .forms import CodeForm, LoginForm, PasswordConfirmForm

NEW_CODES_KEY = "bluelight_new_backup_codes"


@require_GET
def health(request):
    """A bare view for load balancers and the load benchmark's floor: no database."""
    return HttpResponse("ok", content_type="text/plain")


def _next_url(request, default="home") -> str:
    """The page to go on to: ``next`` if it is on this site, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return reverse(default)


# --------------------------------------------------------------------------- two-step


@login_required
@require_GET
def two_factor_account(request):
    """The account's two-step verification: on or off, backup codes, turn on/off."""
    user = request.user
    return render(request, "two_factor/account.html", {
        "enabled": twofactor.has_second_factor(user),
        "required": twofactor.second_factor_required(user),
        "backup_codes_left": twofactor.backup_codes_left(user),
        "disable_form": PasswordConfirmForm(user=user),
    })


@login_required
def two_factor_setup(request):
    """Scan the QR code (or type the key), then prove it with a code from the app."""
    user = request.user
    if twofactor.has_second_factor(user) and not user.is_verified():
        # replacing an authenticator needs the current one first
        return redirect(f"{reverse('two_factor_verify')}?"
                        f"{urlencode({'next': reverse('two_factor_setup')})}")
    device = twofactor.totp_device_pending(user=user)
    form = CodeForm(request.POST or None, backup_codes_allowed=False)
    if request.method == "POST" and form.is_valid():
        codes = twofactor.totp_device_confirm(user=user, device=device,
                                              token=form.cleaned_data["code"])
        if codes is not None:
            request.session.cycle_key()
            django_otp.login(request, device)
            twofactor.forget_second_factor_check(request)
            request.session[NEW_CODES_KEY] = codes
            messages.success(request, _("Two-step verification is on."))
            next_url = _next_url(request)
            return redirect(f"{reverse('two_factor_backup_codes')}?"
                            f"{urlencode({'next': next_url})}")
        form.add_error("code", _("That code is not right. Check the time on your phone is "
                                 "correct and enter the code the app shows now."))
    return render(request, "two_factor/setup.html", {
        "form": form,
        "qr_svg": twofactor.totp_qr_svg(device, label=_("QR code to add bluelight to your "
                                                        "authenticator app")),
        "secret": twofactor.totp_secret(device),
        "required": twofactor.second_factor_required(user),
        "next": _next_url(request),
    })


@login_required
def two_factor_verify(request):
    """The second step of logging in: a code from the app, or a backup code."""
    user = request.user
    if not twofactor.has_second_factor(user):
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = twofactor.second_factor_check(user=user, token=form.cleaned_data["code"])
        if device is not None:
            request.session.cycle_key()
            django_otp.login(request, device)
            if isinstance(device, StaticDevice):
                left = twofactor.backup_codes_left(user)
                messages.warning(request, ngettext(
                    "You used a backup code: %(count)d is left. Each works once.",
                    "You used a backup code: %(count)d are left. Each works once.",
                    left) % {"count": left})
            return redirect(_next_url(request))
        form.add_error("code", _("That code is not right, or there have been several wrong "
                                 "codes: wait a moment and try the code the app shows now."))
    return render(request, "two_factor/verify.html", {"form": form,
                                                      "next": _next_url(request)})


@login_required
def two_factor_backup_codes(request):
    """New backup codes, shown once; a POST makes a new set (the old ones stop working)."""
    user = request.user
    if not twofactor.has_second_factor(user):
        return redirect("two_factor")
    if request.method == "POST":
        request.session[NEW_CODES_KEY] = twofactor.backup_codes_renew(user=user)
        return redirect("two_factor_backup_codes")
    return render(request, "two_factor/backup_codes.html", {
        "codes": request.session.pop(NEW_CODES_KEY, None),
        "left": twofactor.backup_codes_left(user),
        "next": _next_url(request, default="two_factor"),
    })


@login_required
@require_POST
def two_factor_disable(request):
    """Turn two-step verification off (with the password), unless the role needs it."""
    user = request.user
    if twofactor.second_factor_required(user):
        messages.error(request, _("Your role needs two-step verification, so it cannot be "
                                  "turned off. To use a new phone, set it up again."))
        return redirect("two_factor")
    form = PasswordConfirmForm(request.POST, user=user)
    if form.is_valid():
        twofactor.second_factor_disable(user=user)
        twofactor.forget_second_factor_check(request)
        messages.success(request, _("Two-step verification is off."))
        return redirect("two_factor")
    return render(request, "two_factor/account.html", {
        "enabled": twofactor.has_second_factor(user), "required": False,
        "backup_codes_left": twofactor.backup_codes_left(user), "disable_form": form,
    }, status=400)


# --------------------------------------------------------------------------- log in


class LoginView(auth_views.LoginView):
    """Django's log-in page; it also says how long an idle session lasts."""

    redirect_authenticated_user = True
    authentication_form = LoginForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "idle_hours": settings.BLUELIGHT_SESSION_IDLE_HOURS}


# --------------------------------------------------------------------------- password reset


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset-by-email, throttled per address and per email address.

    The same "check your email" page follows whether or not an account has that
    email address, and whether or not the email throttle held the message back.
    """

    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def form_valid(self, form):
        if not throttle.password_reset_address_allowed(self.request):
            return render(self.request, "registration/password_reset_throttled.html",
                          status=429)
        if not throttle.password_reset_email_allowed(form.cleaned_data["email"]):
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {
            "link_hours": settings.PASSWORD_RESET_TIMEOUT // 3600}
