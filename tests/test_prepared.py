"""Queries compiled once (lotsen.prepared): the statement a call runs is the one the ORM
builds for the same values, the rows are the ones the queryset gives, a build that derives
a value from one it is given is refused, and a call on another thread uses that thread's
connection. The attendance mark's person query (L2: only a person of the user's unit that
they may see) is checked for people and programmes inside and outside the user's units."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connections
from django.db.models import QuerySet

from activities.day_views import _PERSON_ON_SHEET
from lotsen.models import Programme
from lotsen.prepared import NotPreparable, Prepared
from participants.models import Participant
from tests.factories import make_participant, make_place

pytestmark = pytest.mark.django_db
D = datetime.date


def _named(first: str) -> QuerySet[Participant]:
    return Participant.objects.filter(first_name=first).order_by("pk")


def test_a_call_runs_the_statement_the_orm_builds_for_its_values(lotsen, training) -> None:
    for pk, unit, user, programme, day in [
        (1, "lotsen", 2, training.pk, D(2026, 11, 23)),
        (987, "hantverkshuset", 5, 3, D(2020, 2, 29)),
    ]:
        values = {"pk": pk, "unit": unit, "user": user, "programme": programme, "day": day}
        fresh = _PERSON_ON_SHEET.fresh(**values).query.sql_with_params()
        assert _PERSON_ON_SHEET.statement(**values) == (fresh[0], tuple(fresh[1]))


def test_l2_the_mark_query_finds_only_people_of_the_users_units(
    lotsen, training, anna, hantverkshuset, henrik
) -> None:
    ours = make_participant(lotsen, first_name="Vera")
    make_place(ours, training, hours=5, contact_person=anna, start=D(2026, 10, 1))
    theirs = make_participant(hantverkshuset, first_name="Hugo")
    their_programme = Programme.objects.filter(unit=hantverkshuset).first()
    assert their_programme is not None
    day = D(2026, 11, 23)
    seen: dict[tuple[int, int], bool] = {}
    for pk, unit, user, programme in [
        (ours.pk, "lotsen", anna.pk, training.pk),
        (ours.pk, "lotsen", henrik.pk, training.pk),  # not Henrik's unit
        (theirs.pk, "lotsen", anna.pk, training.pk),  # not the unit named
        (theirs.pk, "hantverkshuset", anna.pk, their_programme.pk),  # not Anna's unit
        (theirs.pk, "hantverkshuset", henrik.pk, their_programme.pk),  # Henrik's
        (ours.pk, "lotsen", anna.pk, their_programme.pk),  # another unit's programme
    ]:
        values = {"pk": pk, "unit": unit, "user": user, "programme": programme, "day": day}
        prepared = _PERSON_ON_SHEET(**values)
        fresh = list(_PERSON_ON_SHEET.fresh(**values))
        assert [p.pk for p in prepared] == [p.pk for p in fresh]
        seen[(pk, user)] = bool(prepared)
        for p, f in zip(prepared, fresh, strict=True):
            assert p.__dict__.keys() == f.__dict__.keys()
            assert (p.sheet_marked, p.sheet_place, p.sheet_planned, p.sheet_programme) == (  # type: ignore[attr-defined]
                f.sheet_marked,  # type: ignore[attr-defined]
                f.sheet_place,  # type: ignore[attr-defined]
                f.sheet_planned,  # type: ignore[attr-defined]
                f.sheet_programme,  # type: ignore[attr-defined]
            )
    assert [k for k, found in seen.items() if found] == [
        (ours.pk, anna.pk),
        (theirs.pk, henrik.pk),
    ]
    found = _PERSON_ON_SHEET(
        pk=ours.pk, unit="lotsen", user=anna.pk, programme=training.pk, day=day
    )
    assert [(p.pk, p.sheet_place, p.sheet_planned) for p in found] == [(ours.pk, True, 5)]  # type: ignore[attr-defined]


def test_rows_values_and_relations_come_back_as_the_queryset_gives_them(lotsen) -> None:
    make_participant(lotsen, first_name="Ines")
    make_participant(lotsen, first_name="Ines")
    people: Prepared[Participant] = Prepared(
        lambda first: _named(first).select_related("unit"), first=str
    )
    names: Prepared[tuple[str, str]] = Prepared(
        lambda first: _named(first).values_list("first_name", "unit__slug"), first=str
    )
    assert [(p.pk, p.unit.slug) for p in people(first="Ines")] == [
        (p.pk, p.unit.slug) for p in _named("Ines").select_related("unit")
    ]
    assert names(first="Ines") == [("Ines", "lotsen"), ("Ines", "lotsen")]
    assert people(first="Ingen") == [] and names(first="Ingen") == []


@pytest.mark.parametrize(
    "build",
    [
        lambda first, day, a, b: _named(first.lower()),  # lower-cased
        lambda first, day, a, b: _named(first).filter(unit_id=a - 1, pk=b),  # arithmetic
        lambda first, day, a, b: _named(first).filter(  # a week before
            created_at__date__lte=day, created_at__date__gte=day - datetime.timedelta(7)
        ),
        lambda first, day, a, b: _named(first).filter(  # a clamp
            created_at__date__gte=max(day, D(2000, 1, 1)), pk=a, unit_id=b
        ),
        lambda first, day, a, b: (
            _named(first).filter(pk=a, unit_id=b)  # a branch
            if a > 0
            else _named(first).filter(pk=a, unit_id=b, created_at__date=day)
        ),
        lambda first, day, a, b: _named(first).filter(pk=a, unit_id=b),  # day unused
    ],
)
def test_a_build_that_would_run_other_values_than_the_calls_is_refused(build) -> None:
    """Each would otherwise run the stand-ins' lower case, difference, date or branch
    whatever a call gives."""
    prepared: Prepared[Participant] = Prepared(build, first=str, day=datetime.date, a=int, b=int)
    with pytest.raises(NotPreparable):
        prepared(first="Ines", day=D(2026, 11, 23), a=100, b=7)


@pytest.mark.parametrize(
    "values",
    [{"pk": True}, {"pk": "5"}, {"pk": None}, {"day": datetime.datetime(2026, 11, 23, 9)}],
)
def test_a_call_with_a_value_of_another_type_is_refused(values) -> None:
    """The ORM would convert "5" or make None an IS NULL; a prepared statement would not."""
    prepared: Prepared[Participant] = Prepared(
        lambda pk, day: Participant.objects.filter(pk=pk, created_at__date=day),
        pk=int,
        day=datetime.date,
    )
    assert prepared(pk=1, day=D(2026, 11, 23)) == []
    with pytest.raises(TypeError):
        prepared(**{"pk": 1, "day": D(2026, 11, 23), **values})


@pytest.mark.django_db(transaction=True)
def test_a_call_on_another_thread_uses_that_threads_connection(lotsen) -> None:
    make_participant(lotsen, first_name="Tove")
    people: Prepared[Participant] = Prepared(_named, first=str)
    assert len(people(first="Tove")) == 1  # compiled on this thread
    found: list[int] = []

    def other() -> None:
        # Django refuses a connection made on another thread: this fails unless the call
        # runs on this thread's own.
        found.append(len(people(first="Tove")))
        connections["default"].close()

    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    assert found == [1]
