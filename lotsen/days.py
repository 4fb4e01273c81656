"""Waiting times as every page shows them (R22).

A median of whole days ends in a half when the count is even (55 and 56 days: 55.5). The
pages show it in whole days with a half rounded up (56), as Django's ``floatformat:"0"``
rounds, so the waiting lists, the managers' home, the IPS follow-up and the annual report
with its charts, goals and exports give the same number. The figures keep the exact median.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format


def whole_days(days: Decimal | float | int | None) -> int | None:
    """The one rounding: to whole days, a half up; None stays None."""
    if days is None:
        return None
    return int(Decimal(str(days)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def days_text(days: Decimal | float | int | None, *, empty: str = "–") -> str:
    """The one formatting: whole days in the active language's number format."""
    rounded = whole_days(days)
    return empty if rounded is None else number_format(rounded, use_l10n=True)
