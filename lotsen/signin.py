"""Who is signed in, read with the device of their second step in one query.

Every signed-in request needs the user (Django's AuthenticationMiddleware) and the device
that passed the second step (django-otp's OTPMiddleware): two queries by the libraries'
own steps. `SignedInMiddleware` reads the device with its user in one, then lets Django
check the session as it always does: `UserBackend.get_user` hands over the user already
read instead of reading it again, and everything else (the backend named in the session,
the session's password hash, an inactive user) is Django's and django-otp's own code.
Without a device in the session (the password step only, a logged-out visitor) nothing
changes: each library reads what it needs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.apps import apps
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware
from django_otp.models import Device

# The user read with the request's device, while Django's get_user asks the backend.
_read_with_device: ContextVar[Any] = ContextVar("read_with_device", default=None)


class UserBackend(ModelBackend):
    """Django's ModelBackend; `get_user` takes the user read with the device when there is one."""

    def get_user(self, user_id: Any) -> Any:
        user = _read_with_device.get()
        if user is None or str(user.pk) != str(user_id):
            return super().get_user(user_id)
        return user if self.user_can_authenticate(user) else None


class SignedInMiddleware(OTPMiddleware):
    """django-otp's OTPMiddleware (in its place, after AuthenticationMiddleware) that reads
    the session's device together with its user."""

    def _verify_user_sync(self, request: HttpRequest, user: Any) -> Any:
        if not isinstance(user, SimpleLazyObject) or hasattr(request, "_cached_user"):
            return super()._verify_user_sync(request, user)
        device = _device_with_user(request)
        if device is None:
            return super()._verify_user_sync(request, user)
        # Evaluate AuthenticationMiddleware's lazy user (Django's get_user) with the user read.
        with _handing_over(device.user):
            user._setup()  # type: ignore[attr-defined]
        signed_in = user._wrapped  # type: ignore[attr-defined]
        self._init_user_fields(signed_in)
        if signed_in.is_authenticated:
            signed_in.otp_device = self._finalize_device(request, signed_in, device)
        return signed_in


def _device_with_user(request: HttpRequest) -> Device | None:
    """The session's device with its user (select_related), if it is the session user's."""
    session = request.session
    persistent_id, user_id = session.get(DEVICE_ID_SESSION_KEY), session.get(SESSION_KEY)
    if not persistent_id or user_id is None:
        return None
    try:
        label, device_id = OTPMiddleware._normalize_persistent_id(persistent_id).rsplit("/", 1)
        model = apps.get_model(label)
        if not issubclass(model, Device):
            return None
        found = model.objects.select_related("user").filter(pk=int(device_id), user_id=user_id)
        return found.first()
    except (ValueError, LookupError):
        return None


@contextmanager
def _handing_over(user: Any) -> Iterator[None]:
    token = _read_with_device.set(user)
    try:
        yield
    finally:
        _read_with_device.reset(token)
