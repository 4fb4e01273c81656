"""Several short lists read in one query (lotsen.together) come back exactly as each
queryset read alone would: the same rows in the same order and slice, the same values of the
same types (dates, times, moments, decimals, booleans, UUIDs), and the same related rows."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import Activity, ActivityKind, Session, SessionAttendance
from journal.models import Draft
from lotsen.together import read_together
from participants.models import (
    Assessment,
    AssessmentInstrument,
    HousingSupport,
    Participant,
    Relative,
)
from tests.factories import make_entry, make_participant, make_referral

pytestmark = pytest.mark.django_db
D = datetime.date


def _sessions(lotsen, drop_in, person, anna) -> None:  # type: ignore[no-untyped-def]
    activity = Activity.objects.create(
        unit=lotsen,
        programme=drop_in,
        kind=ActivityKind.ACTIVITY,
        title="Promenad",
        place="Entrén",
        weekdays="0",
        first_date=D(2026, 1, 5),
        last_date=D(2026, 12, 28),
        starts_at=datetime.time(10),
        ends_at=datetime.time(11, 30),
    )
    for week in range(12):
        day = D(2026, 1, 5) + datetime.timedelta(weeks=week)
        session = Session.objects.create(
            activity=activity,
            original_date=day,
            date=day,
            starts_at=datetime.time(10),
            ends_at=datetime.time(11, 30),
            place="Entrén",
        )
        SessionAttendance.objects.create(session=session, participant=person, recorded_by=anna)


def _parts(person: Participant, anna) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {
        "sessions": person.session_attendances.select_related("session__activity")[:10],
        "assessments": person.assessments.select_related("instrument", "assessor"),
        "referrals": person.referrals.select_related("programme"),
        "journal": person.journal_entries.select_related("kind", "author")[:5],
        "drafts": person.journal_drafts.filter(author=anna),
        "relatives": person.relatives.all(),
        "housing": person.housing_support.all(),
        "nothing": person.relatives.filter(name="Ingen"),
    }


def _values(row: Any) -> dict[str, Any]:
    return {f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields}


def test_lists_read_together_are_the_lists_read_alone(lotsen, drop_in, training, anna, omar):  # type: ignore[no-untyped-def]
    person = make_participant(lotsen)
    other = make_participant(lotsen)
    _sessions(lotsen, drop_in, person, anna)
    awp = AssessmentInstrument.objects.get(name="AWP")
    for day in (D(2026, 3, 1), D(2026, 9, 1)):
        Assessment.objects.create(
            participant=person,
            unit=lotsen,
            instrument=awp,
            date=day,
            assessor=omar,
            conclusions="c",
        )
    make_referral(lotsen, programme=training, participant=person, received_on=D(2026, 2, 1))
    make_referral(lotsen, programme=None, participant=person, received_on=D(2026, 3, 1))
    make_referral(lotsen, programme=training, participant=other, received_on=D(2026, 3, 1))
    for hour in range(7):
        make_entry(
            person,
            by=anna,
            occurred_at=datetime.datetime(2026, 5, 1, 8 + hour, 15, tzinfo=datetime.UTC),
        )
    Draft.objects.create(participant=person, author=anna, text="Utkast")
    Draft.objects.create(participant=person, author=omar, text="Någon annans")
    Relative.objects.create(
        participant=person, name="Britt", relation="mamma", consent="Allt", is_representative=True
    )
    Relative.objects.create(participant=person, name="Arne", relation="pappa", consent="Inget")
    for day, hours in ((D(2026, 1, 1), Decimal("6")), (D(2026, 6, 1), Decimal("7.5"))):
        HousingSupport.objects.create(
            participant=person, recorded_on=day, occasion="start", hours_per_week=hours
        )

    alone = {name: list(qs) for name, qs in _parts(person, anna).items()}
    assert connection.features.supports_json_field  # SQLite finds out once, with a query
    with CaptureQueriesContext(connection) as queries:
        together = read_together(**_parts(person, anna))
    assert len(queries) == 1, [q["sql"][:150] for q in queries.captured_queries]
    assert {k: len(v) for k, v in together.items()} == {
        "sessions": 10, "assessments": 2, "referrals": 2, "journal": 5, "drafts": 1,
        "relatives": 2, "housing": 2, "nothing": 0,
    }  # fmt: skip
    for name, rows in alone.items():
        assert [_values(r) for r in together[name]] == [_values(r) for r in rows], name
        assert [type(v) for r in together[name] for v in _values(r).values()] == [
            type(v) for r in rows for v in _values(r).values()
        ], name
    with CaptureQueriesContext(connection) as queries:
        assert [a.session.activity.title for a in together["sessions"]] == ["Promenad"] * 10
        assert [str(a.assessor) for a in together["assessments"]] == [str(omar)] * 2
        assert [str(a.instrument) for a in together["assessments"]] == ["AWP"] * 2
        assert [r.programme for r in together["referrals"]] == [None, training]
        assert [str(e.author) for e in together["journal"]] == [str(anna)] * 5
        assert [str(e.kind) for e in together["journal"]] == ["Samtal"] * 5
        assert together["housing"][0].hours_per_week == Decimal("7.50")
        assert together["relatives"][1].participant == person  # known from the relation
    assert len(queries) == 0, [q["sql"][:200] for q in queries.captured_queries]


def test_each_parent_gets_its_own_rows_in_order_and_no_query(
    lotsen, training, drop_in, anna, django_assert_num_queries
) -> None:
    """prefetched_each hands each place its hours changes; a place without any gets none."""
    from lotsen.together import prefetched_each
    from participants.models import Enrolment, HoursChange
    from tests.factories import make_place

    person = make_participant(lotsen)
    first = make_place(person, training, hours=8, start=D(2026, 1, 1))
    second = make_place(make_participant(lotsen), training, hours=8, start=D(2026, 1, 1))
    none = make_place(person, drop_in, hours=None, start=D(2026, 1, 1))
    for day, hours, place in [(5, 6, first), (12, 10, second), (19, 4, first)]:
        HoursChange.objects.create(
            enrolment=place, from_date=D(2026, 2, day), hours_per_week=hours, created_by=anna
        )
    places = list(Enrolment.objects.filter(pk__in=[first.pk, second.pk, none.pk]))
    rows = list(HoursChange.objects.order_by("from_date"))
    prefetched_each(places, "hours_changes", rows, key="enrolment_id")
    by_pk = {p.pk: p for p in places}
    with django_assert_num_queries(0):
        assert [c.hours_per_week for c in by_pk[first.pk].hours_changes.all()] == [6, 4]
        assert [c.hours_per_week for c in by_pk[second.pk].hours_changes.all()] == [10]
        assert list(by_pk[none.pk].hours_changes.all()) == []


def test_a_row_of_another_table_read_in_the_same_query(
    lotsen, training, anna, django_assert_num_queries
) -> None:
    """first_row: a programme with its unit, matched to each person's unit, comes back as
    the instance a query of its own would give, in the person's query; no row is None."""
    from django.db.models import OuterRef

    from lotsen.models import Programme
    from lotsen.together import first_row, rebuilt

    person = make_participant(lotsen)
    programmes = Programme.objects.select_related("unit").filter(
        pk=training.pk, unit=OuterRef("unit")
    )
    people = Participant.objects.filter(unit__slug="lotsen", unit__staff=anna)
    with django_assert_num_queries(1):
        found = people.annotate(programme=first_row(programmes)).get(pk=person.pk)
        programme = rebuilt(programmes, found.programme)
        assert programme.unit.name == lotsen.name  # selected with it, no query
    alone = Programme.objects.select_related("unit").get(pk=training.pk)
    assert programme == alone and programme.unit == alone.unit
    fields = [f.attname for f in Programme._meta.concrete_fields]
    assert [getattr(programme, f) for f in fields] == [getattr(alone, f) for f in fields]
    elsewhere = Programme.objects.filter(pk=training.pk + 10_000, unit=OuterRef("unit"))
    missing = people.annotate(programme=first_row(elsewhere)).get(pk=person.pk)
    assert rebuilt(elsewhere, missing.programme) is None
