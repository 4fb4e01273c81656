"""The second factor at login, on django-otp (decision 0015): authenticator apps (TOTP),
passkeys (django-otp-webauthn) and single-use recovery codes."""

from __future__ import annotations

import base64
from dataclasses import dataclass

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.utils.crypto import salted_hmac
from django_otp import devices_for_user, user_has_device
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from lotsen.models import SignedInSession, User

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "Autentiseringsapp"
RECOVERY_DEVICE_NAME = "Reservkoder"
# What the database keeps of a recovery code: a digest keyed by the site's secret key, in the
# 16 characters of django-otp's token column. A copy of the table alone gives no code, and a
# digest typed at login is not a code (L2, GDPR art. 32). Migration lotsen 0012 sealed the
# codes kept before, with the same salt.
RECOVERY_CODE_SALT = "lotsen.two_factor.recovery_code"
# Set at the password step of a user with a confirmed device: read by TwoFactorMiddleware, so
# the check costs no query on every request where REQUIRE_TWO_FACTOR is off.
SECOND_STEP_SESSION_KEY = "lotsen_second_step"


@dataclass(frozen=True)
class SecondFactors:
    """What a user has set up for the second step of the login, for their account page."""

    apps: int
    passkeys: list[WebAuthnCredential]
    recovery_codes_left: int

    @property
    def is_on(self) -> bool:
        """An app or a passkey: recovery codes stand in for them, they are not a method."""
        return bool(self.apps or self.passkeys)

    @property
    def only_recovery_codes(self) -> bool:
        """The login asks for a code, but only the recovery codes can give one."""
        return not self.is_on and self.recovery_codes_left > 0


def second_factors(user: User) -> SecondFactors:
    return SecondFactors(
        apps=TOTPDevice.objects.filter(user=user, confirmed=True).count(),
        passkeys=list(WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("pk")),
        recovery_codes_left=recovery_codes_left(user),
    )


def has_second_factor(user: User) -> bool:
    return user_has_device(user, confirmed=True)


def ask_for_second_step(session: SessionBase) -> None:
    """After the password step of a user who has set up a second step: the session reaches
    nothing but that step, whether or not REQUIRE_TWO_FACTOR asks it of everyone."""
    session[SECOND_STEP_SESSION_KEY] = True


def second_step_asked(session: SessionBase) -> bool:
    return bool(session.get(SECOND_STEP_SESSION_KEY))


def forget_second_step(session: SessionBase) -> None:
    session.pop(SECOND_STEP_SESSION_KEY, None)


def has_passkey(user: User) -> bool:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


def pending_app_device(user: User) -> TOTPDevice:
    """The authenticator app being set up: the same secret until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)


def qr_code_svg(device: TOTPDevice) -> str:
    """The otpauth:// link as an inline SVG (no image request, nothing leaves the server)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    return image.to_string(encoding="unicode")


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for apps that cannot scan."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def confirm_app_device(device: TOTPDevice, token: str) -> bool:
    if not device.verify_token(_clean(token)):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


def verify_code(user: User, token: str) -> Device | None:
    """The authenticator app that accepts this code, if any (throttled by django-otp)."""
    for device in devices_for_user(user, confirmed=True):
        if isinstance(device, TOTPDevice) and device.verify_token(_clean(token)):
            return device
    return None


def verify_recovery_code(user: User, token: str) -> Device | None:
    """The recovery code is used up by the check: it works once. Codes sealed under a secret
    key the site has since rotated (SECRET_KEY_FALLBACKS) still work."""
    seals = [
        sealed_recovery_code(_clean(token).lower(), key)
        for key in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS)
    ]
    for device in StaticDevice.objects.filter(user=user, confirmed=True):
        with transaction.atomic():
            kept = device.token_set.filter(token__in=seals).values_list("token", flat=True)
            # One check through django-otp, which throttles, and uses the code up.
            if device.verify_token(kept.first() or seals[0]):
                return device
    return None


def throttled(user: User) -> bool:
    """After a wrong code django-otp refuses every code for a while (1, 2, 4 … seconds)."""
    return any(
        not device.verify_is_allowed()[0]
        for device in TOTPDevice.objects.filter(user=user)
        if device.throttling_failure_count
    )


def sign_out_elsewhere(user: User, *, keep: str | None) -> int:
    """End the user's other sessions, all but `keep`. Done when a second step is set up: a
    session that began with the password alone, before there was a second step to ask,
    must not go on without one."""
    deleted, _ = SignedInSession.objects.filter(user=user).exclude(session_key=keep).delete()
    return deleted


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user).count()


@transaction.atomic
def new_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with new ones; the caller shows them once."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(
        [StaticToken(device=device, token=sealed_recovery_code(code)) for code in codes]
    )
    return codes


def sealed_recovery_code(code: str, key: str | bytes | None = None) -> str:
    """The digest the database keeps of a recovery code (the site's secret key by default)."""
    return salted_hmac(RECOVERY_CODE_SALT, code, secret=key, algorithm="sha256").hexdigest()[:16]


def _clean(token: str) -> str:
    return "".join(token.split())[:64]
