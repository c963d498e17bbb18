import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import ngettext


class PermissionsPolicyMiddleware:
    """Send a Permissions-Policy header: the app needs no camera, microphone or location."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class PrivateNoStoreMiddleware:
    """``Cache-Control: no-store`` on every response to a logged-in person.

    Dashboards, answers and downloads must not be kept by the browser (the back
    button on a shared computer) or by a proxy. Public pages keep their defaults;
    static files never reach this middleware (whitenoise answers them first).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        private = request.user.is_authenticated
        response = self.get_response(request)
        if private or request.user.is_authenticated:
            add_never_cache_headers(response)
        return response


class SessionIdleTimeoutMiddleware:
    """Log a person out after ``BLUELIGHT_SESSION_IDLE_HOURS`` without a request.

    The session also expires on the server after that long (``SESSION_COOKIE_AGE``,
    renewed when the session is saved); the time of the last request is written at
    most once a minute, so reading pages does not write to the database every time.
    """

    KEY = "bluelight_last_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(self.KEY)
            if last_seen is not None and now - last_seen > settings.SESSION_COOKIE_AGE:
                logout(request)
                hours = settings.BLUELIGHT_SESSION_IDLE_HOURS
                messages.info(request, ngettext(
                    "You were logged out after %(hours)d hour without activity. "
                    "Log in again to carry on.",
                    "You were logged out after %(hours)d hours without activity. "
                    "Log in again to carry on.", hours) % {"hours": hours})
                return redirect_to_login(
                    request.get_full_path() if request.method == "GET" else reverse("home"))
            if last_seen is None or now - last_seen >= settings.BLUELIGHT_SESSION_TOUCH_SECONDS:
                request.session[self.KEY] = now
        return self.get_response(request)


# Pages a person who still owes the second step may open.
SECOND_FACTOR_EXEMPT = {"two_factor_verify", "two_factor_setup", "logout", "set_language",
                        "health"}


class SecondFactorMiddleware:
    """Two-step verification: after the password, the code.

    Anyone with an authenticator set up must enter a code before any other page
    (the admin site included). Administrators and researchers without one, when
    ``BLUELIGHT_REQUIRE_2FA`` is on, are sent to set one up first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from .twofactor import has_second_factor_for_session, second_factor_required

        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if request.resolver_match.view_name in SECOND_FACTOR_EXEMPT:
            return None
        if has_second_factor_for_session(request):
            target = "two_factor_verify"
        elif second_factor_required(user):
            target = "two_factor_setup"
        else:
            return None
        next_url = request.get_full_path() if request.method == "GET" else reverse("home")
        return HttpResponseRedirect(f"{reverse(target)}?{urlencode({'next': next_url})}")
