from __future__ import annotations

from django.contrib import admin
from django.db import models

from employment.models import Employer, EmploymentProgramme, EmploymentSpecialist, FteShare
from lotsen.forms import DecimalCommaField


class SpecialistInline(admin.TabularInline):
    model = EmploymentSpecialist
    extra = 0
    autocomplete_fields = ["user"]
    show_change_link = True  # the FTE shares over time are edited on the specialist


@admin.register(EmploymentProgramme)
class EmploymentProgrammeAdmin(admin.ModelAdmin):
    """The IPS numbers (R21) and the specialists are edited here."""

    list_display = ["programme", "new_cases_per_fte_min", "new_cases_per_fte_max"]
    inlines = [SpecialistInline]


class FteShareInline(admin.TabularInline):
    """R21: a new share is a new row from its date; the earlier rows keep past periods'
    targets as they were."""

    model = FteShare
    extra = 1
    formfield_overrides = {models.DecimalField: {"form_class": DecimalCommaField}}


@admin.register(EmploymentSpecialist)
class EmploymentSpecialistAdmin(admin.ModelAdmin):
    list_display = ["user", "programme", "active"]
    list_filter = ["programme", "active"]
    inlines = [FteShareInline]


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    list_display = ["name", "unit", "industry", "active"]
    list_filter = ["unit", "active"]
    search_fields = ["name"]
    readonly_fields = ["created_by", "created_at"]
