"""Opening days and coming activities for the public pages.

Until the opening calendar (issue 5) is merged, the unit's own opening-hours text in
PublicUnitInfo is shown and these return nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from lotsen.models import Unit

DAYS_AHEAD = 14


def opening_days(unit: Unit, *, today: datetime.date) -> list[Any]:
    return []


def upcoming_activities(unit: Unit, *, today: datetime.date) -> list[Any]:
    return []
