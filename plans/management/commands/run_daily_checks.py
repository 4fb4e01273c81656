from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from plans.services import daily_checks_run


class Command(BaseCommand):
    help = "Run the daily checks (overdue plan reminders) now, as the scheduler does."

    def handle(self, *args: Any, **options: Any) -> None:
        result = daily_checks_run(today=timezone.localdate())
        for name, count in result.items():
            self.stdout.write(f"{name.replace('_', ' ')} sent: {count}")
