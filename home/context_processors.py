"""What the header shows: the unit the user works in now, a switch for staff of several
units, and which groups of the menu that unit's programmes need (a unit sees only the tabs of
the programmes it runs). One query (lotsen.menu), made once per request and only when a page
draws the menu or a view asks for it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from lotsen.menu import programme_kinds, user_units
from lotsen.models import CapacityKind, Unit

UNIT_SESSION_KEY = "current_unit"


@dataclass(frozen=True)
class Work:
    """The kinds of programme the current unit runs."""

    unit: Unit | None
    units: list[Unit]
    day: bool = False  # a drop-in or training programme with an attendance sheet
    training: bool = False  # first-step training (R5, R6)
    plans: bool = False  # programmes with plan follow-ups (R13)
    ips: bool = False  # Supported Employment / IPS (R21)
    courses: bool = False  # group treatment courses (R18)
    limited: bool = False  # programmes with limited places (R5, R8)
    # Collaboration with housing support and outreach (R4) is Lotsen's day-activity work:
    # units with first-step training or a programme presented at outreach.
    collaboration: bool = False
    course_units: list[Unit] = field(default_factory=list)  # of `units`, running courses (R18)


def current_unit(request: HttpRequest, units: list[Unit]) -> Unit | None:
    """The unit chosen in the switch, else the user's first unit."""
    chosen = request.session.get(UNIT_SESSION_KEY)
    return next((u for u in units if u.pk == chosen), units[0] if units else None)


def work_of(request: HttpRequest) -> Work:
    """The user's units, with the kinds of programme the current one runs."""
    units = user_units(request)
    kinds = {u.pk: programme_kinds(request, u) for u in units}
    unit = current_unit(request, units)
    if unit is None:
        return Work(unit=None, units=[])
    day = ips = courses = training = plans = limited = outreach = False
    for employment, course_type, work_training, follow_up, capacity_kind, presented in kinds[
        unit.pk
    ]:
        ips |= employment is not None
        courses |= course_type is not None
        day |= employment is None and course_type is None
        training |= work_training
        plans |= follow_up is not None
        limited |= capacity_kind in (CapacityKind.HOURS_PER_WEEK, CapacityKind.PEOPLE)
        outreach |= work_training or presented
    # A unit with no programmes yet gets the day-activity menu, as every unit once did.
    empty = not kinds[unit.pk]
    return Work(
        unit,
        units,
        day or empty,
        training,
        plans,
        ips,
        courses,
        limited,
        outreach or empty,
        course_units=[u for u in units if any(k[1] is not None for k in kinds[u.pk])],
    )


def navigation(request: HttpRequest) -> dict[str, Any]:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"work": SimpleLazyObject(lambda: work_of(request))}
