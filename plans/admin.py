from __future__ import annotations

from django.contrib import admin

from plans.models import Method


@admin.register(Method)
class MethodAdmin(admin.ModelAdmin):
    """Administrators extend the list of methods (R12)."""

    list_display = ["name", "active"]
