"""What the site's menu reads per request (home.context_processors), shared with the page.

The user's units and their programmes' kinds come in one query, read once per request and
kept on it: a view that needs the user's units (the sheet's links to the other units) and
the menu share that read; the next request reads again, so a unit's new programme shows at
once.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from lotsen.access import user_of
from lotsen.models import Unit

# A programme's columns that say which groups of the menu it needs.
KIND_COLUMNS = (
    "programmes__employment",
    "programmes__course_type",
    "programmes__is_work_training",
    "programmes__follow_up_interval",
    "programmes__capacity_kind",
    "programmes__presented_at_outreach",
)
_REQUEST_ATTRIBUTE = "_lotsen_menu"


def user_units(request: HttpRequest) -> list[Unit]:
    """The user's units by name."""
    return _read(request)[0]


def programme_kinds(request: HttpRequest, unit: Unit) -> list[tuple[Any, ...]]:
    """For each programme of one of the user's units, its KIND_COLUMNS."""
    return _read(request)[1].get(unit.pk, [])


def _read(request: HttpRequest) -> tuple[list[Unit], dict[int, list[tuple[Any, ...]]]]:
    read: tuple[list[Unit], dict[int, list[tuple[Any, ...]]]] | None = getattr(
        request, _REQUEST_ATTRIBUTE, None
    )
    if read is None:
        read = _units_and_kinds(request)
        setattr(request, _REQUEST_ATTRIBUTE, read)
    return read


def _units_and_kinds(request: HttpRequest) -> tuple[list[Unit], dict[int, list[tuple[Any, ...]]]]:
    """One query: a row per programme of each of the user's units (a unit without
    programmes gives one row with empty programme columns)."""
    fields = [f.attname for f in Unit._meta.concrete_fields]
    units: dict[int, Unit] = {}
    kinds: dict[int, list[tuple[Any, ...]]] = {}
    rows = (
        Unit.objects.filter(staff=user_of(request))
        .order_by("name")
        .values_list(*fields, *KIND_COLUMNS)
    )
    for row in rows:
        pk = row[0]
        if pk not in units:
            units[pk] = Unit.from_db(Unit.objects.db, fields, row[: len(fields)])
            kinds[pk] = []
        if row[len(fields) + 2] is not None:  # is_work_training: a programme, not an empty join
            kinds[pk].append(row[len(fields) :])
    return list(units.values()), kinds
