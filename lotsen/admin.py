from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db import models
from django.utils.translation import gettext_lazy as _

from lotsen.forms import DecimalCommaField
from lotsen.models import Programme, Unit, User


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "home_municipality", "commissioned_open_days"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    """Administrators edit the commission's numbers here; no code change is needed."""

    list_display = ["name", "unit", "capacity_kind", "capacity", "min_hours_per_week", "rules"]
    formfield_overrides = {models.DecimalField: {"form_class": DecimalCommaField}}
    list_filter = ["unit"]
    fieldsets = [
        (None, {"fields": ["unit", "name", "slug", "description", "rules"]}),
        (_("Kapacitet"), {"fields": ["capacity_kind", "capacity", "group_min", "group_max"]}),
        (
            _("Träning och planer"),
            {
                "fields": [
                    "is_work_training",
                    "has_external_workplace",
                    "requires_contact_person",
                    "min_hours_per_week",
                    ("max_duration", "max_duration_unit"),
                    ("follow_up_interval", "follow_up_interval_unit"),
                    "plan_renewal_months",
                ]
            },
        ),
        (_("Ålder"), {"fields": ["min_age", "max_age", "presented_at_outreach"]}),
        (_("Närvaro"), {"fields": ["visit_recording", "low_attendance_weeks"]}),
    ]


@admin.register(User)
class StaffAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "is_active"]
    list_filter = ["role", "units", "is_active"]
    fieldsets = (*(UserAdmin.fieldsets or ()), (_("Arbete"), {"fields": ["role", "units"]}))
