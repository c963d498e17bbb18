"""Throttles for logging in and for password-reset emails.

Logging in (django-axes): failures are counted per username *and* address (a
guessed password for one account) and per address alone (one address trying many
accounts). Each count has its own limit; reaching either refuses the next log-in
from there with the "Too many failed log-ins" page until the cool-off ends.

Password-reset emails: a few per hour per address and per email address, counted
in the cache (so per server process unless a shared cache is configured).
"""

import hashlib

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.core.cache import cache
from django.db.models import Sum


def client_address(request) -> str | None:
    """The address of the person making the request.

    Behind ``BLUELIGHT_PROXY_COUNT`` reverse proxies (each appending to
    ``X-Forwarded-For``), the entry that the outermost trusted proxy added;
    otherwise the connecting address. Entries a client wrote itself are ignored.
    """
    proxies = settings.BLUELIGHT_PROXY_COUNT
    if proxies > 0:
        forwarded = [part.strip() for part in
                     request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


class LoginThrottleHandler(AxesDatabaseHandler):
    """django-axes' database handler with a separate, higher limit per address.

    axes compares the largest of its counts with one limit (``AXES_FAILURE_LIMIT``,
    the per-username limit); the per-address count is scaled so that it reaches that
    limit exactly when it reaches ``BLUELIGHT_LOGIN_ADDRESS_FAILURE_LIMIT``.
    """

    def get_failures(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        address = request.axes_ip_address
        attempts = AccessAttempt.objects.all()
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))

        def failures(**where) -> int:
            return attempts.filter(**where).aggregate(n=Sum("failures_since_start"))["n"] or 0

        per_account = failures(username=username, ip_address=address)
        per_address = failures(ip_address=address)
        user_limit = settings.AXES_FAILURE_LIMIT
        address_limit = settings.BLUELIGHT_LOGIN_ADDRESS_FAILURE_LIMIT
        # per_address * user_limit / address_limit >= user_limit  <=>  per_address >= limit
        return max(per_account, (per_address * user_limit) // address_limit)

    def reset_user_attempts(self, request, credentials=None) -> int:
        """A successful log-in clears that account's failures from that address only,
        so logging in to one account cannot wipe the failures against others."""
        username = get_client_username(request, credentials)
        deleted, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address).delete()
        return deleted


def _key(kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode()).hexdigest()
    return f"bluelight:password-reset:{kind}:{digest}"


def _count(key: str, window: int) -> int:
    """Add one to a counter that lives ``window`` seconds from its first use."""
    if cache.add(key, 1, window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, window)
        return 1


def password_reset_address_allowed(request) -> bool:
    """Count a reset request from this address; False once over the hourly limit."""
    window = 3600
    address = client_address(request) or "unknown"
    return _count(_key("address", address), window) <= \
        settings.BLUELIGHT_PASSWORD_RESET_PER_ADDRESS


def password_reset_email_allowed(email: str) -> bool:
    """Count a reset email to this address; False once over the hourly limit."""
    return _count(_key("email", email), 3600) <= settings.BLUELIGHT_PASSWORD_RESET_PER_EMAIL
