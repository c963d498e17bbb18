"""Signed, single-use, expiring tokens for the links in invitation emails.

Built like Django's password-reset tokens (and with a salt of their own, so a
reset token is never an invitation token or the reverse): the token signs the
user's password hash and last login, so it stops working as soon as the
invited person sets a password or logs in. It expires after
``settings.BLUELIGHT_INVITATION_DAYS`` days (default 14).
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "bluelight.assessments.tokens.InvitationTokenGenerator"

    @property
    def valid_for(self) -> timedelta:
        return timedelta(days=settings.BLUELIGHT_INVITATION_DAYS)

    def _make_hash_value(self, user, timestamp):
        # A deactivated account's links stop working too.
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"

    def check_token(self, user, token) -> bool:
        if not (user and token) or not isinstance(token, str):
            return False
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        if not any(constant_time_compare(self._make_token_with_timestamp(user, ts, secret),
                                         token)
                   for secret in [self.secret, *self.secret_fallbacks]):
            return False
        age = self._num_seconds(self._now()) - ts
        return age <= self.valid_for.total_seconds()


invitation_token_generator = InvitationTokenGenerator()
