from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TreatmentConfig(AppConfig):
    name = "treatment"
    verbose_name = _("Behandling")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from activities.attendance import register_day_notice, register_expected_rule
        from plans.reminders import register_digest_provider
        from treatment.models import (
            CourseParticipant,
            IndividualSession,
            Measurement,
            MeasurementCorrection,
            Statement,
        )
        from treatment.reminders import measurement_lines
        from treatment.sheet import confirmed_month, expected_in_course

        auditlog.register(CourseParticipant)
        auditlog.register(Measurement)
        auditlog.register(MeasurementCorrection)
        auditlog.register(Statement)
        auditlog.register(IndividualSession)
        # Measurements due go out in plans' daily e-mail (decision 0013).
        register_digest_provider(measurement_lines)
        # The day sheet expects a course's people on its days and tells of a confirmed
        # month; activities never imports treatment.
        register_expected_rule(expected_in_course)
        register_day_notice(confirmed_month)
