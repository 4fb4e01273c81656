from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = _("Anmälningar")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from referrals.models import (
            CollaborationAction,
            CollaborationMeeting,
            HousingSupportUnit,
            OutreachActivity,
            PublicUnitInfo,
            Referral,
            ReferralStep,
        )

        auditlog.register(Referral)
        auditlog.register(ReferralStep)
        auditlog.register(OutreachActivity, m2m_fields={"participants"})
        auditlog.register(HousingSupportUnit)
        auditlog.register(CollaborationMeeting, m2m_fields={"staff_attendees"})
        auditlog.register(CollaborationAction)
        auditlog.register(PublicUnitInfo)
