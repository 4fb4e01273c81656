from __future__ import annotations

from django.contrib import admin

from referrals.models import HousingSupportUnit, PublicUnitInfo


@admin.register(PublicUnitInfo)
class PublicUnitInfoAdmin(admin.ModelAdmin):
    """What each unit shows on the public pages; edited by administrators."""

    list_display = ["unit", "published", "phone", "email"]


@admin.register(HousingSupportUnit)
class HousingSupportUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "provider", "unit", "active"]
    list_filter = ["unit", "active"]
