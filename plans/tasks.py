from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from plans.services import MAIL_ERRORS, daily_checks_run


@shared_task(bind=True, max_retries=None)
def run_daily_checks(self: Any) -> dict[str, int]:
    """Daily at DAILY_CHECKS_HOUR; safe to run twice (the digests remember what was sent).

    A failing mail server is retried with exponential back-off; digests already sent are
    not sent again, and the one that failed is sent on a later try.
    """
    try:
        return daily_checks_run(today=timezone.localdate())
    except MAIL_ERRORS as error:
        if self.request.retries >= settings.REMINDER_RETRY_MAX:
            raise
        delay = settings.REMINDER_RETRY_BASE_SECONDS * 2**self.request.retries
        raise self.retry(exc=error, countdown=min(delay, 3600)) from error
