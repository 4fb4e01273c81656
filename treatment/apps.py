from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TreatmentConfig(AppConfig):
    name = "treatment"
    verbose_name = _("Behandling")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from treatment.models import CourseParticipant, IndividualSession, Measurement, Statement

        auditlog.register(CourseParticipant)
        auditlog.register(Measurement)
        auditlog.register(Statement)
        auditlog.register(IndividualSession)
