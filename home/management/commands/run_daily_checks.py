from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from plans.services import daily_checks_run
from referrals.services import web_referrals_notify_unsent


class Command(BaseCommand):
    help = (
        "Run the morning's jobs now, as the scheduler does: the daily checks (reminders) and "
        "the web referrals' notices that were never sent."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = daily_checks_run(today=timezone.localdate())
        result["web_referral_notices"] = web_referrals_notify_unsent()
        for name, count in result.items():
            self.stdout.write(f"{name.replace('_', ' ')} sent: {count}")
