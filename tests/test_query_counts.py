"""Pages keep a fixed number of SQL queries whatever the data size."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participants.services import visit_record
from tests.factories import make_participant, make_place, make_plan

pytestmark = pytest.mark.django_db
D = datetime.date


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _overdue_plans(n: int, training, lotsen, anna) -> None:  # type: ignore[no-untyped-def]
    for _ in range(n):
        place = make_place(
            make_participant(lotsen), training, contact_person=anna, start=D(2026, 1, 1)
        )
        make_plan(place, established_on=D(2026, 1, 5), by=anna)


def test_home_queries_do_not_grow_with_overdue_plans(client, training, lotsen, anna) -> None:
    client.force_login(anna)
    _overdue_plans(2, training, lotsen, anna)
    few = _queries(client, reverse("home"))
    _overdue_plans(20, training, lotsen, anna)
    assert _queries(client, reverse("home")) == few


def test_participant_page_queries_do_not_grow_with_places_and_visits(
    client, drop_in, training, lotsen, anna
) -> None:
    client.force_login(anna)
    person = make_participant(lotsen)
    url = reverse("participants:detail", args=[person.pk])
    make_place(person, drop_in, hours=None, start=D(2026, 1, 1), end=D(2026, 1, 31))
    few = _queries(client, url)
    for month in range(2, 12):
        place = make_place(
            person, training, contact_person=anna, start=D(2026, month, 1), end=D(2026, month, 20)
        )
        make_plan(place, established_on=D(2026, month, 2), by=anna)
        visit_record(participant=person, programme=drop_in, date=D(2026, month, 3), by=anna)
    assert _queries(client, url) == few


def test_plan_page_queries_do_not_grow_with_follow_ups(client, training, lotsen, anna) -> None:
    client.force_login(anna)
    place = make_place(make_participant(lotsen), training, contact_person=anna, start=D(2026, 1, 1))
    plan = make_plan(place, established_on=D(2026, 1, 5), by=anna)
    url = reverse("plans:detail", args=[plan.pk])
    plan.record_follow_up(on=D(2026, 2, 1), by=anna, progress="1")
    few = _queries(client, url)
    for day in range(2, 20):
        plan.record_follow_up(on=D(2026, 3, day), by=anna, progress=str(day))
    assert _queries(client, url) == few


def test_r13_digest_queries_do_not_grow_with_plans(training, lotsen, anna, omar) -> None:
    """One query per kind of reminder, then a fixed handful per recipient."""
    from plans.models import ReminderDigest
    from plans.services import reminder_digests_send

    def count() -> int:
        ReminderDigest.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            assert reminder_digests_send(today=D(2026, 11, 23)) == 2
        return len(captured)

    _overdue_plans(1, training, lotsen, anna)
    _overdue_plans(1, training, lotsen, omar)
    few = count()
    _overdue_plans(15, training, lotsen, anna)
    _overdue_plans(15, training, lotsen, omar)
    assert count() == few


def test_home_lists_what_to_do_in_order(client, training, lotsen, anna) -> None:
    # Nobody here has attended: keep the R6 low-attendance list out of the order under test.
    training.low_attendance_weeks = None
    training.save()
    late = make_place(
        make_participant(lotsen, last_name="Sen"),
        training,
        contact_person=anna,
        start=D(2026, 1, 1),
    )
    make_plan(late, established_on=D(2026, 1, 5), by=anna)
    make_place(
        make_participant(lotsen, last_name="Utanplan"),
        training,
        contact_person=anna,
        start=D(2026, 10, 1),
    )
    ending = make_place(
        make_participant(lotsen, last_name="Slutar"),
        training,
        contact_person=anna,
        start=D(2025, 1, 10),
        end=D(2027, 1, 9),
    )
    make_plan(ending, established_on=D(2026, 11, 1), by=anna)
    client.force_login(anna)
    page = client.get(reverse("home")).content.decode()
    assert page.index("Sen") < page.index("Utanplan") < page.index("Slutar")
    assert "2027-01-09" in page  # R7: two years from 2025-01-10
