"""The manager's part of the home page: the annual report that is due (R20)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from lotsen.models import Unit
from reporting.services import ReportReminder, report_reminders

if TYPE_CHECKING:
    from lotsen.models import User


def manager_reports_due(user: User, *, today: datetime.date) -> list[ReportReminder]:
    """One query for a manager; none for anyone else."""
    if not user.is_manager:
        return []
    return report_reminders(today=today, units=Unit.objects.filter(staff=user))
