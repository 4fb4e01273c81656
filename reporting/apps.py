from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Rapporter")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from plans.reminders import register_digest_provider
        from reporting.models import Goal, ReportText
        from reporting.services import manager_report_notices

        auditlog.register(ReportText)
        auditlog.register(Goal)
        # R20: the daily digest (a lower layer) reminds managers of the report due.
        register_digest_provider(manager_report_notices)
