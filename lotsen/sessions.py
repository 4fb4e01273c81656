"""Database sessions that are read with their user and second-factor device in one query.

Django's database session keeps who is signed in inside the signed session data, so the
user (AuthenticationMiddleware) and the device that passed the second step (django-otp's
OTPMiddleware) are read after it, by the libraries' own steps. `SignedInSession` keeps the
user and the device in columns beside the data, rewritten from the data on every save;
this store reads the session row with its user joined and with whether its device is the
user's own confirmed one, and `lotsen.signin` hands both to Django's and django-otp's own
checks. What the columns say is used only while the data still names the same user and
device; otherwise the libraries read what they need, as they always did.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.core.exceptions import SuspiciousOperation
from django.db.models import BooleanField, Case, Exists, OuterRef, Value, When
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device

if TYPE_CHECKING:
    from lotsen.models import SignedInSession


@dataclass(frozen=True)
class SignedIn:
    """The user the session row names, and its device if it passed (else None)."""

    user: Any
    device: Device | None


@cache
def _device_models() -> dict[str, type[Device]]:
    return {m._meta.label_lower: m for m in apps.get_models() if issubclass(m, Device)}


def _device_passes() -> Case:
    """Whether the row's device is its user's own confirmed device, of whichever kind."""
    return Case(
        *(
            When(
                device_model=label,
                then=Exists(
                    model.objects.filter(
                        pk=OuterRef("device_id"), user_id=OuterRef("user_id"), confirmed=True
                    )
                ),
            )
            for label, model in _device_models().items()
        ),
        default=Value(False),
        output_field=BooleanField(),
    )


def _device_key(persistent_id: object) -> tuple[str, int] | None:
    """("otp_totp.totpdevice", 5) from django-otp's "otp_totp.totpdevice/5"."""
    if not isinstance(persistent_id, str):
        return None
    label, _, pk = persistent_id.rpartition("/")
    return (label, int(pk)) if label in _device_models() and pk.isdigit() else None


def _user_key(value: object) -> int | None:
    return int(value) if isinstance(value, str | int) and str(value).isdigit() else None


class SessionStore(DatabaseStore):
    """Django's database store over `SignedInSession`."""

    _row: SignedInSession | None = None

    @classmethod
    def get_model_class(cls) -> type[SignedInSession]:
        from lotsen.models import SignedInSession

        return SignedInSession

    def _get_session_from_db(self) -> Any:
        """Django's read of the row, with its user joined and whether its device passes."""
        rows = self.get_model_class().objects.select_related("user")
        read = rows.annotate(device_passes=_device_passes())
        try:
            self._row = read.get(session_key=self.session_key, expire_date__gt=timezone.now())
        except (self.model.DoesNotExist, SuspiciousOperation) as problem:
            if isinstance(problem, SuspiciousOperation):
                logger = logging.getLogger(f"django.security.{problem.__class__.__name__}")
                logger.warning(str(problem))
            self._session_key, self._row = None, None
        return self._row

    def create_model_instance(self, data: dict[str, Any]) -> SignedInSession:
        row: SignedInSession = super().create_model_instance(data)  # type: ignore[assignment]
        row.user_id = _user_key(data.get(SESSION_KEY))
        row.device_model, row.device_id = _device_key(data.get(DEVICE_ID_SESSION_KEY)) or ("", None)
        return row

    def signed_in(self) -> SignedIn | None:
        """The user and device read with the session, while its data names the same ones."""
        user_id = _user_key(self.get(SESSION_KEY))  # loads the session: reads the row
        row = self._row
        if row is None or user_id is None or row.user_id != user_id or row.user is None:
            return None
        device_key = _device_key(self.get(DEVICE_ID_SESSION_KEY))
        if device_key is None:
            return SignedIn(row.user, None) if DEVICE_ID_SESSION_KEY not in self else None
        if device_key != (row.device_model, row.device_id) or not row.device_passes:  # type: ignore[attr-defined]
            return None  # django-otp reads the device and drops it from the session
        model = _device_models()[row.device_model]
        # The device as django-otp would have read it; its other fields load if asked for.
        device = model.from_db(
            self.model.objects.db, ["id", "user_id", "confirmed"], [row.device_id, user_id, True]
        )
        device.user = row.user
        return SignedIn(row.user, device)
