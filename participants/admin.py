from __future__ import annotations

from django.contrib import admin

from participants.models import AssessmentInstrument


@admin.register(AssessmentInstrument)
class AssessmentInstrumentAdmin(admin.ModelAdmin):
    """Administrators extend the list of instruments (R10)."""

    list_display = ["name", "description", "active"]
