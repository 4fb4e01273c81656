from __future__ import annotations

from django.contrib import admin

from employment.models import Employer, EmploymentProgramme, EmploymentSpecialist


class SpecialistInline(admin.TabularInline):
    model = EmploymentSpecialist
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(EmploymentProgramme)
class EmploymentProgrammeAdmin(admin.ModelAdmin):
    """The IPS numbers (R21) and the specialists with their FTE share are edited here."""

    list_display = ["programme", "new_cases_per_fte_min", "new_cases_per_fte_max"]
    inlines = [SpecialistInline]


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "industry", "active"]
    list_filter = ["unit", "active"]
    search_fields = ["name"]
    readonly_fields = ["created_by", "created_at"]
