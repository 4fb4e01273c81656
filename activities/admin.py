from __future__ import annotations

from django.contrib import admin

from activities.models import Activity, ClosureDay, ExtraOpening, OpeningHours


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


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    """Activities are made and changed on the unit's pages; the admin is for corrections."""

    list_display = ["title", "unit", "kind", "first_date", "last_date", "is_public"]
    list_filter = ["unit", "kind", "is_public"]
    search_fields = ["title"]
    filter_horizontal = ["leaders"]
