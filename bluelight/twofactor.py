"""Two-step verification: a TOTP authenticator app, with single-use backup codes.

Built on django-otp's devices (``TOTPDevice``, ``StaticDevice``); the QR code is
drawn here as inline SVG (segno), so the secret never leaves the server.

Who must use it: administrators and researchers (and staff accounts) when
``BLUELIGHT_REQUIRE_2FA`` is on. Anyone else may turn it on; once set up, it is
asked for at every log-in (``bluelight.middleware.SecondFactorMiddleware``).
"""

import re
import time
from base64 import b32encode

import segno
from django.conf import settings
from django.db import transaction
from django.utils.html import escape
from django_otp import verify_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .roles import is_administrator, is_researcher

APP_DEVICE_NAME = "Authenticator app"
BACKUP_DEVICE_NAME = "Backup codes"


def second_factor_required(user) -> bool:
    """Accounts that edit definitions or read every partnership's results."""
    return settings.BLUELIGHT_REQUIRE_2FA and user.is_authenticated and (
        is_administrator(user) or is_researcher(user) or user.is_staff or user.is_superuser)


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


CHECKED_KEY = "bluelight_second_factor_checked"


def has_second_factor_for_session(request) -> bool:
    """``has_second_factor`` for the logged-in person, remembered in the session for a
    minute so pages do not ask the database on every request."""
    now = int(time.time())
    checked = request.session.get(CHECKED_KEY)
    recheck = settings.BLUELIGHT_SECOND_FACTOR_RECHECK_SECONDS
    if checked and checked[0] == request.user.pk and now - checked[1] < recheck:
        return checked[2]
    found = has_second_factor(request.user)
    request.session[CHECKED_KEY] = [request.user.pk, now, found]
    return found


def forget_second_factor_check(request) -> None:
    request.session.pop(CHECKED_KEY, None)


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


@transaction.atomic
def totp_device_pending(*, user) -> TOTPDevice:
    """The authenticator being set up (not yet confirmed with a code); one per person."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def totp_secret(device: TOTPDevice) -> str:
    """The secret as people type it into an app: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def totp_qr_svg(device: TOTPDevice, *, label: str) -> str:
    """The otpauth:// address as an inline SVG QR code (no image service, no script)."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4, border=4, dark="#000", light="#fff", svgclass="bl-qr")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)


def normalise(token: str) -> str:
    return re.sub(r"[\s-]", "", token or "").lower()


@transaction.atomic
def totp_device_confirm(*, user, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the pending authenticator with a code from it.

    Returns a fresh set of backup codes (replacing any others, as does the new app
    any old one), or ``None`` if the code is wrong.
    """
    if device.user_id != user.pk or device.confirmed:
        return None
    code = normalise(token)
    if not code.isdigit() or verify_token(user, device.persistent_id, code) is None:
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return backup_codes_renew(user=user)


@transaction.atomic
def backup_codes_renew(*, user) -> list[str]:
    """New single-use backup codes; any earlier ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(settings.BLUELIGHT_BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def second_factor_check(*, user, token: str):
    """The device that accepts this code (a backup code is used up), or ``None``.

    Six digits are checked against the authenticator app, anything else against the
    backup codes; each device slows down after wrong codes (django-otp throttling).
    """
    code = normalise(token)
    if not code:
        return None
    if code.isdigit():
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
    else:
        devices = StaticDevice.objects.filter(user=user, confirmed=True)
    for device in devices:
        verified = verify_token(user, device.persistent_id, code)
        if verified is not None:
            return verified
    return None


@transaction.atomic
def second_factor_disable(*, user) -> None:
    """Remove the authenticator and the backup codes."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
