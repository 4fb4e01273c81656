"""`{{ figures.median_days|days }}`: a waiting time in whole days, as on every page (R22)."""

from __future__ import annotations

from decimal import Decimal

from django import template

from lotsen.days import days_text

register = template.Library()


@register.filter
def days(value: Decimal | float | int | None, empty: str = "–") -> str:
    return days_text(value, empty=empty)
