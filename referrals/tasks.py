from __future__ import annotations

from celery import shared_task
from django.conf import settings

from plans.services import MAIL_ERRORS
from referrals.services import web_referral_notify, web_referrals_notify_unsent

# A failing mail server is tried again after 60, 120, 240 … seconds (at most an hour apart),
# rather than the task being acknowledged and the notice lost; notified_at keeps it to once.
RETRY = {
    "autoretry_for": MAIL_ERRORS,
    "retry_backoff": settings.REMINDER_RETRY_BASE_SECONDS,
    "retry_backoff_max": 3600,
    "retry_jitter": False,
    "max_retries": settings.REMINDER_RETRY_MAX,
}


@shared_task(**RETRY)
def notify_web_referral(referral_id: int) -> int:
    """Queued when a web referral is saved; safe to run twice (notified_at)."""
    return web_referral_notify(referral_id=referral_id)


@shared_task(**RETRY)
def notify_unsent_web_referrals() -> int:
    """Daily: the notices the broker or mail server let drop; safe to run twice."""
    return web_referrals_notify_unsent()
