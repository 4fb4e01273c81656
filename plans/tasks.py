from __future__ import annotations

import smtplib

from celery import shared_task
from django.utils import timezone

from plans.services import daily_checks_run


@shared_task(
    autoretry_for=(smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=8,
)
def run_daily_checks() -> dict[str, int]:
    """Daily at DAILY_CHECKS_HOUR; safe to run twice (the digests remember what was sent)."""
    return daily_checks_run(today=timezone.localdate())
