from __future__ import annotations

from django.contrib import admin

from treatment.models import Agreement, CourseType, Measure, PriceIndex, Stage


@admin.register(CourseType)
class CourseTypeAdmin(admin.ModelAdmin):
    list_display = ["programme", "weeks", "parallel_groups"]


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "min_value", "max_value", "order", "active"]


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["name", "anchor", "months_after", "order"]


class PriceIndexInline(admin.TabularInline):
    model = PriceIndex
    extra = 1


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["unit", "yearly_amount", "price_year"]
    inlines = [PriceIndexInline]
