from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.utils.module_loading import import_string


@shared_task
def clear_expired_sessions() -> None:
    """Nightly: sessions past their expiry (eight hours after the last save) leave the
    database, with what they held (the unit chosen, a search typed on the sheet)."""
    store: type[SessionBase] = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
    store.clear_expired()
