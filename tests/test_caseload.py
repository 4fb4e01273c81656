"""The home page's reminders (plans.caseload) are the daily run's (plans.reminders) for the
same places: the same items, dates, counts and order, ranked in one query."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lotsen.models import Programme
from participants.models import Enrolment
from plans.caseload import caseload_reminders
from plans.reminders import reminder_items
from tests.factories import TODAY, make_participant, make_place, make_plan
from tests.test_query_counts import _caseload

pytestmark = pytest.mark.django_db
D = datetime.date


def test_r13_caseload_reminders_are_the_daily_runs_for_the_same_places(
    training, drop_in, lotsen, anna, omar
) -> None:
    _caseload(3, training, lotsen, anna)
    _caseload(2, training, lotsen, omar)  # someone else's places are not anna's
    late = make_place(make_participant(lotsen), training, contact_person=anna, start=D(2026, 1, 1))
    make_plan(late, established_on=D(2026, 1, 5), by=anna)
    mine = Enrolment.objects.filter(contact_person=anna).for_user_units(anna)
    programmes = list(Programme.objects.filter(unit__staff=anna))
    daily = reminder_items(today=TODAY, per_partition=2, places=mine)
    with CaptureQueriesContext(connection) as queries:
        items, people = caseload_reminders(
            today=TODAY, per_partition=2, places=mine, programmes=programmes
        )
    assert len(queries) == 2  # the ranking of every kind, then the names
    assert sorted(items, key=lambda i: i.sort_key) == sorted(daily, key=lambda i: i.sort_key)
    assert {i.kind for i in items} == {"overdue", "missing", "renewal", "due_soon", "ending"}
    assert max(i.total for i in items) > 2  # counted beyond the lines shown
    places = Enrolment.objects.in_bulk([i.place_id for i in items])
    assert people == {
        pk: (place.participant_id, place.participant.unit_id) for pk, place in places.items()
    }
