"""The home page's reminders: one person's places, every kind ranked in a single query.

The same kinds, dates, order and counts as `plans.reminders.reminder_items` (the daily
run's bulk selection), narrowed to places the caller passes; the kinds' queries are joined
with UNION ALL, so the page pays one round trip for the ranking and one for the names.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, F, Value, Window
from django.db.models.functions import RowNumber

from lotsen.models import Programme
from participants.models import Enrolment, EnrolmentQuerySet
from plans.reminders import _COLUMNS, KIND_LABELS, Item, _due_date, reminder_querysets


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
    partition = [F("contact_person_id"), F("programme_id")]
    ranked = [
        querysets[kind]
        .annotate(
            kind=Value(kind),
            total=Window(Count("pk"), partition_by=partition),
            rank=Window(RowNumber(), partition_by=partition, order_by=[F("due"), F("pk")]),
        )
        .filter(rank__lte=per_partition)
        .order_by()
        .values_list("kind", "pk", "due", "total", "programme_id")
        for kind in KIND_LABELS
    ]
    rows = list(ranked[0].union(*ranked[1:], all=True))
    details: dict[int, dict[str, Any]] = {}
    people: dict[int, tuple[int, int]] = {}
    shown = Enrolment.objects.filter(pk__in={r[1] for r in rows}).values(
        **_COLUMNS, person=F("participant_id"), person_unit=F("participant__unit_id")
    )
    for place in shown:
        fields: dict[str, Any] = dict(place)
        pk = fields.pop("place_id")
        people[pk] = (fields.pop("person"), fields.pop("person_unit"))
        details[pk] = fields
    items = [
        Item(
            kind=kind,
            date=_due_date(kind, due, by_pk[programme]),
            place_id=pk,
            total=total,
            programme_id=programme,
            unit_id=by_pk[programme].unit_id,
            programme_name=by_pk[programme].name,
            **details[pk],
        )
        for kind, pk, due, total, programme in rows
    ]
    return items, people
