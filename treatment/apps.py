from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TreatmentConfig(AppConfig):
    name = "treatment"
    verbose_name = _("Behandling")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from plans.reminders import register_digest_provider
        from treatment.models import CourseParticipant, IndividualSession, Measurement, Statement
        from treatment.reminders import measurement_lines

        auditlog.register(CourseParticipant)
        auditlog.register(Measurement)
        auditlog.register(Statement)
        auditlog.register(IndividualSession)
        # Measurements due go out in plans' daily e-mail (decision 0013).
        register_digest_provider(measurement_lines)
