from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LotsenConfig(AppConfig):
    name = "lotsen"
    verbose_name = _("Enheter och personal")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from lotsen.models import Programme, Unit, User

        auditlog.register(User, exclude_fields=["password", "last_login"])
        auditlog.register(Unit)
        auditlog.register(Programme)
