from __future__ import annotations

from django.contrib import admin

from reporting.models import Goal, ReportFile, ReportSchedule, ReportText


@admin.register(ReportSchedule)
class ReportScheduleAdmin(admin.ModelAdmin):
    list_display = ["unit", "due_month", "due_day", "remind_from_month", "remind_from_day"]


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["unit", "year", "title", "indicator", "target"]
    list_filter = ["unit", "year"]


@admin.register(ReportText)
class ReportTextAdmin(admin.ModelAdmin):
    list_display = ["unit", "year", "revision", "saved_at", "sent_on"]
    readonly_fields = ["revision", "saved_at", "saved_by"]


@admin.register(ReportFile)
class ReportFileAdmin(admin.ModelAdmin):
    list_display = ["unit", "year", "version", "status", "requested_at", "finished_at"]
    list_filter = ["unit", "year", "status"]
    readonly_fields = ["status", "progress", "requested_by", "finished_at"]
