from __future__ import annotations

from django.contrib import admin

from participants.models import AssessmentInstrument, ClosureDay, ExtraOpening, OpeningHours


@admin.register(AssessmentInstrument)
class AssessmentInstrumentAdmin(admin.ModelAdmin):
    """Administrators extend the list of instruments (R10)."""

    list_display = ["name", "description", "active"]


@admin.register(OpeningHours)
class OpeningHoursAdmin(admin.ModelAdmin):
    """Regular opening hours per weekday (R16); holidays come from the holidays library."""

    list_display = ["unit", "weekday", "opens", "closes", "valid_from", "valid_until"]
    list_filter = ["unit", "weekday"]


@admin.register(ClosureDay)
class ClosureDayAdmin(admin.ModelAdmin):
    list_display = ["unit", "date", "reason"]
    list_filter = ["unit"]
    date_hierarchy = "date"


@admin.register(ExtraOpening)
class ExtraOpeningAdmin(admin.ModelAdmin):
    list_display = ["unit", "date", "opens", "closes", "note"]
    list_filter = ["unit"]
    date_hierarchy = "date"
