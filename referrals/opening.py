"""Opening hours and coming activities for the public pages, from the opening calendar
(participants/calendar.py). The unit's own text (PublicUnitInfo) is shown when the calendar
has no regular hours for the unit."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from activities.calendar import (
    CalendarDay,
    OpeningPeriod,
    opening_days,
    regular_hours,
    upcoming_sessions,
)
from activities.models import Session
from lotsen.models import Unit

DAYS_AHEAD = 14


@dataclass(frozen=True)
class Weekday:
    example: datetime.date  # a date on this weekday, for its name in the page's language
    periods: tuple[OpeningPeriod, ...]


def week(unit: Unit, *, today: datetime.date) -> list[Weekday]:
    """Monday to Sunday with the regular hours; empty when the calendar has none."""
    hours = regular_hours(unit, today)
    if not hours:
        return []
    monday = today - datetime.timedelta(days=today.weekday())
    return [Weekday(monday + datetime.timedelta(days=d), tuple(hours.get(d, []))) for d in range(7)]


def exceptions(unit: Unit, *, today: datetime.date) -> list[CalendarDay]:
    """The coming days that differ from the regular week: holidays, closures, extra hours."""
    hours = regular_hours(unit, today)
    days = opening_days(unit, today, today + datetime.timedelta(days=DAYS_AHEAD - 1))
    return [
        d
        for d in days
        if d.holiday or d.closure_reason or d.periods != tuple(hours.get(d.date.weekday(), []))
    ]


def coming_activities(unit: Unit, *, today: datetime.date) -> list[Session]:
    """Public activities only: group sessions for members are not advertised."""
    return upcoming_sessions(unit, today, DAYS_AHEAD, public_only=True)
