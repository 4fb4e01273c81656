from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipantsConfig(AppConfig):
    name = "participants"
    verbose_name = _("Deltagare")

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from auditlog.signals import post_log

        from participants.models import (
            Assessment,
            Enrolment,
            HoursChange,
            HousingSupport,
            Participant,
            Relative,
            Visit,
            Workplace,
        )
        from participants.record_log import record_audit_entry

        auditlog.register(Participant, m2m_fields={"team"})
        auditlog.register(Enrolment)
        auditlog.register(Visit)
        auditlog.register(HoursChange)
        auditlog.register(Workplace)
        auditlog.register(Assessment)
        auditlog.register(Relative)
        auditlog.register(HousingSupport)
        # Every audit-log entry about a person's record also goes to the record log (L2).
        post_log.connect(record_audit_entry, dispatch_uid="participants.record_log")
