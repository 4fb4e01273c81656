"""What the site's menu reads per request (home.context_processors), shared with the page.

A page that reads the user's units or the current unit's programmes anyway hands them to
the menu here, so that each is read once per request.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet
from django.http import HttpRequest

from lotsen.access import units_of
from lotsen.models import Programme, Unit

# What the menu asks of each programme of the current unit.
KINDS = (
    "employment",
    "course_type",
    "is_work_training",
    "follow_up_interval",
    "capacity_kind",
    "presented_at_outreach",
)


def user_units(request: HttpRequest) -> list[Unit]:
    """The user's units by name, read once per request."""
    units: list[Unit] | None = getattr(request, "_user_units", None)
    if units is None:
        units = list(units_of(request).order_by("name"))
        request._user_units = units  # type: ignore[attr-defined]
    return units


def with_kinds(programmes: QuerySet[Programme]) -> QuerySet[Programme]:
    """Programmes that also carry what the menu asks (see `remember_kinds`)."""
    return programmes.annotate(menu_employment=F("employment"), menu_course_type=F("course_type"))


def remember_kinds(request: HttpRequest, unit: Unit, programmes: list[Programme]) -> None:
    """All of `unit`'s programmes, read `with_kinds`: the menu needs no query of its own."""
    request._menu_kinds = {  # type: ignore[attr-defined]
        unit.pk: [
            (
                p.menu_employment,  # type: ignore[attr-defined]
                p.menu_course_type,  # type: ignore[attr-defined]
                *(getattr(p, name) for name in KINDS[2:]),
            )
            for p in programmes
        ]
    }


def programme_kinds(request: HttpRequest, unit: Unit) -> list[tuple[Any, ...]]:
    known: dict[int, list[tuple[Any, ...]]] = getattr(request, "_menu_kinds", {})
    if unit.pk in known:
        return known[unit.pk]
    return list(Programme.objects.filter(unit=unit).values_list(*KINDS))
