"""The home page's reminders: one person's places, every kind ranked in a single query.

The same kinds, dates, order and counts as `plans.reminders.reminder_items` (the daily
run's bulk selection), narrowed to places the caller passes; the kinds' queries are joined
with UNION ALL, so the page pays one round trip for the ranking and one for the names.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Value

from lotsen.models import Programme
from participants.models import EnrolmentQuerySet
from plans.reminders import (
    KIND_LABELS,
    LINE_COLUMNS,
    Item,
    items_of,
    place_lines,
    ranked_places,
    reminder_querysets,
)


def caseload_reminders(
    *,
    today: datetime.date,
    per_partition: int,
    places: EnrolmentQuerySet,
    programmes: Iterable[Programme],
) -> tuple[list[Item], dict[int, tuple[int, int]]]:
    """The `per_partition` most urgent of `places` per kind, contact person and programme,
    with the count of all; and for each place shown, its person and the person's unit (for
    the record log). `programmes` must include every programme of `places`."""
    by_pk = {p.pk: p for p in programmes}
    querysets = reminder_querysets(today=today, places=places, programmes=by_pk.values())
    ranked = [
        ranked_places(querysets[kind], per_partition=per_partition)
        .annotate(kind=Value(kind))
        .order_by()
        .values_list("kind", "pk", "due", "total", "programme_id")
        for kind in KIND_LABELS
    ]
    rows = list(ranked[0].union(*ranked[1:], all=True))
    if not rows:
        return [], {}
    details: dict[int, tuple[Any, ...]] = {}
    people: dict[int, tuple[int, int]] = {}
    shown = place_lines({r[1] for r in rows}).values_list(
        *LINE_COLUMNS, "participant_id", "participant__unit_id"
    )
    for pk, *fields, person, person_unit in shown:
        people[pk] = (person, person_unit)
        details[pk] = tuple(fields)
    return items_of(rows, details, by_pk), people
