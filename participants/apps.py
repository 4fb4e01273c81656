from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Deltagare")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from participants.models import (
            Activity,
            ActivityMember,
            Assessment,
            ClosureDay,
            Enrolment,
            ExtraOpening,
            HoursChange,
            HousingSupport,
            OpeningHours,
            Participant,
            Relative,
            Session,
            SessionAttendance,
            Visit,
            Workplace,
        )

        auditlog.register(Participant, m2m_fields={"team"})
        auditlog.register(Enrolment)
        auditlog.register(Visit)
        auditlog.register(HoursChange)
        auditlog.register(Workplace)
        auditlog.register(Assessment)
        auditlog.register(Relative)
        auditlog.register(HousingSupport)
        # L2: who joined a group or came to a session, and who changed the calendar.
        auditlog.register(Activity, m2m_fields={"leaders"})
        auditlog.register(Session)
        auditlog.register(ActivityMember)
        auditlog.register(SessionAttendance)
        auditlog.register(OpeningHours)
        auditlog.register(ClosureDay)
        auditlog.register(ExtraOpening)
