from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("Planer")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from plans.models import FollowUp, Plan, PlanVersion

        auditlog.register(Plan, m2m_fields={"methods"})
        auditlog.register(PlanVersion)
        auditlog.register(FollowUp)
