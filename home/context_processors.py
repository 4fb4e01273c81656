"""What the header shows: the unit the user works in now, a switch for staff of several
units, and which groups of the menu that unit's programmes need (a unit sees only the tabs of
the programmes it runs). One query, made once per request and only when a page draws the
menu or a view asks for it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from lotsen.access import user_of
from lotsen.models import CapacityKind, Unit

UNIT_SESSION_KEY = "current_unit"
# Kept on the request: the view and the menu of one request share one read; the next request
# reads again, so a unit's new programme shows at once.
_REQUEST_ATTRIBUTE = "_lotsen_work"

# What each flag of `Work` counts among a unit's programmes.
_KINDS = {
    "ips": Q(programmes__employment__isnull=False),
    "courses": Q(programmes__course_type__isnull=False),
    "day": Q(programmes__employment__isnull=True, programmes__course_type__isnull=True),
    "training": Q(programmes__is_work_training=True),
    "plans": Q(programmes__follow_up_interval__isnull=False),
    "limited": Q(programmes__capacity_kind__in=[CapacityKind.HOURS_PER_WEEK, CapacityKind.PEOPLE]),
    "outreach": Q(programmes__is_work_training=True) | Q(programmes__presented_at_outreach=True),
}


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

    @property
    def course_units(self) -> list[Unit]:
        """The user's units that run group treatment courses (R18)."""
        return [u for u in self.units if u.kind_courses]  # type: ignore[attr-defined]


def current_unit(request: HttpRequest, units: list[Unit]) -> Unit | None:
    """The unit chosen in the switch, else the user's first unit."""
    chosen = request.session.get(UNIT_SESSION_KEY)
    return next((u for u in units if u.pk == chosen), units[0] if units else None)


def work_of(request: HttpRequest) -> Work:
    """The user's units, each with the kinds of programme it runs; read once per request."""
    work: Work | None = getattr(request, _REQUEST_ATTRIBUTE, None)
    if work is None:
        work = _read_work(request)
        setattr(request, _REQUEST_ATTRIBUTE, work)
    return work


def _read_work(request: HttpRequest) -> Work:
    counts = {f"kind_{kind}": Count("programmes", filter=q) for kind, q in _KINDS.items()}
    units = list(
        Unit.objects.filter(staff=user_of(request))
        .annotate(programme_count=Count("programmes"), **counts)
        .order_by("name")
    )
    unit = current_unit(request, units)
    if unit is None:
        return Work(unit=None, units=[])
    has: dict[str, bool] = {kind: getattr(unit, f"kind_{kind}") > 0 for kind in _KINDS}
    # A unit with no programmes yet gets the day-activity menu, as every unit once did.
    empty = unit.programme_count == 0  # type: ignore[attr-defined]
    return Work(
        unit,
        units,
        day=has["day"] or empty,
        training=has["training"],
        plans=has["plans"],
        ips=has["ips"],
        courses=has["courses"],
        limited=has["limited"],
        collaboration=has["outreach"] or empty,
    )


def navigation(request: HttpRequest) -> dict[str, Any]:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"work": SimpleLazyObject(lambda: work_of(request))}
