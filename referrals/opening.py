"""Opening days and coming activities for the public pages, from the opening calendar.

The unit's own opening-hours text (PublicUnitInfo) is shown when the calendar has no
regular hours for the unit.
"""

from __future__ import annotations

import datetime

from lotsen.models import Unit
from participants.calendar import CalendarDay, opening_days, upcoming_sessions
from participants.models import Session

DAYS_AHEAD = 14


def coming_days(unit: Unit, *, today: datetime.date) -> list[CalendarDay]:
    """The next two weeks, or nothing when the calendar does not know the unit's hours."""
    days = opening_days(unit, today, today + datetime.timedelta(days=DAYS_AHEAD - 1))
    return days if any(d.is_open for d in days) else []


def coming_activities(unit: Unit, *, today: datetime.date) -> list[Session]:
    """Public activities only: group sessions for members are not advertised."""
    return upcoming_sessions(unit, today, DAYS_AHEAD, public_only=True)
