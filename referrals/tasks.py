from __future__ import annotations

from celery import shared_task

from referrals.services import web_referral_notify


@shared_task
def notify_web_referral(referral_id: int) -> int:
    """Queued when a web referral is saved; safe to run twice (notified_at)."""
    return web_referral_notify(referral_id=referral_id)
