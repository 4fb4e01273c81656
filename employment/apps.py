from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmploymentConfig(AppConfig):
    name = "employment"
    verbose_name = _("Arbete (Supported Employment/IPS)")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from employment.models import Case, EmployerContact, JobStart

        auditlog.register(Case)
        auditlog.register(EmployerContact)
        auditlog.register(JobStart)
