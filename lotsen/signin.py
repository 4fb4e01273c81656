"""Who is signed in, read with the session and the device of their second step in one query.

Every signed-in request needs its session (SessionMiddleware), the user (Django's
AuthenticationMiddleware) and the device that passed the second step (django-otp's
OTPMiddleware): three queries by the libraries' own steps. `lotsen.sessions` reads the
session row with its user and whether its device passes; `SignedInMiddleware` hands them
over and lets Django check the session as it always does: `UserBackend.get_user` takes the
user already read instead of reading it again, and everything else (the backend named in
the session, the session's password hash, an inactive user, the device's owner and
confirmation) is Django's and django-otp's own code. When the session's data no longer
says what its columns say, each library reads what it needs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django_otp.middleware import OTPMiddleware

# The user read with the request's session, while Django's get_user asks the backend.
_read_with_session: ContextVar[Any] = ContextVar("read_with_session", default=None)


class UserBackend(ModelBackend):
    """Django's ModelBackend; `get_user` takes the user read with the session when there is one."""

    def get_user(self, user_id: Any) -> Any:
        user = _read_with_session.get()
        if user is None or str(user.pk) != str(user_id):
            return super().get_user(user_id)
        return user if self.user_can_authenticate(user) else None


class SignedInMiddleware(OTPMiddleware):
    """django-otp's OTPMiddleware (in its place, after AuthenticationMiddleware) that takes
    the user and device read with the session."""

    def _verify_user_sync(self, request: HttpRequest, user: Any) -> Any:
        if not isinstance(user, SimpleLazyObject) or hasattr(request, "_cached_user"):
            return super()._verify_user_sync(request, user)
        signed_in = getattr(request.session, "signed_in", lambda: None)()
        if signed_in is None:
            return super()._verify_user_sync(request, user)
        # Evaluate AuthenticationMiddleware's lazy user (Django's get_user) with the user read.
        with _handing_over(signed_in.user):
            user._setup()  # type: ignore[attr-defined]
        verified = user._wrapped  # type: ignore[attr-defined]
        self._init_user_fields(verified)
        if verified.is_authenticated:
            verified.otp_device = self._finalize_device(request, verified, signed_in.device)
        return verified


@contextmanager
def _handing_over(user: Any) -> Iterator[None]:
    token = _read_with_session.set(user)
    try:
        yield
    finally:
        _read_with_session.reset(token)
