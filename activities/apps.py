from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    """The unit's day: opening calendar, attendance, activities and group sessions."""

    name = "activities"
    verbose_name = _("Verksamhet")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from activities.models import (
            Activity,
            ActivityMember,
            ClosureDay,
            ExtraOpening,
            OpeningHours,
            Session,
            SessionAttendance,
        )

        # L2: who joined a group or came to a session, and who changed the calendar.
        auditlog.register(Activity, m2m_fields={"leaders"})
        auditlog.register(Session)
        auditlog.register(ActivityMember)
        auditlog.register(SessionAttendance)
        auditlog.register(OpeningHours)
        auditlog.register(ClosureDay)
        auditlog.register(ExtraOpening)
