"""The indexes the busy pages rely on at a city's scale exist and fit their queries (PostgreSQL).

A test database is too small for the planner to prefer an index, so each check forbids
sequential and plain index scans for one EXPLAIN (bitmap scans stay): the plan then shows
the named index if, and only if, an index matches the query's expressions. Without the
index (or with a query the index does not fit) the plan falls back to a scan and fails.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.models import QuerySet

from participants.models import Participant, Visit
from participants.services import registry_search
from tests.factories import TODAY, make_participant

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the indexes and JIT setting are PostgreSQL's"
    ),
]


def _plan(queryset: QuerySet) -> str:  # type: ignore[type-arg]
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")  # a GIN index answers by bitmap
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize(
    ("query", "index"),
    [
        ("lindqv", "participant_last_name_trgm"),
        ("ANNA", "participant_first_name_trgm"),
        ("8112", "participant_identity_number_trgm"),
    ],
)
def test_registry_search_by_part_of_a_name_or_number_uses_a_trigram_index(
    lotsen, query: str, index: str
) -> None:
    make_participant(lotsen)
    found = registry_search(Participant.objects.all(), query=query, filters={}, today=TODAY)
    assert index in _plan(found.values("pk"))


def test_the_days_visits_of_a_programme_are_read_by_index(lotsen, training) -> None:
    day = Visit.objects.filter(programme=training, date=TODAY).values("pk")
    assert "visit_programme_date" in _plan(day)


def test_the_places_on_a_days_sheet_are_read_by_index(lotsen, training) -> None:
    """Years of ended places make the start date useless: the end date finds today's."""
    from activities.attendance import sheet_places
    from participants.models import Enrolment

    person = make_participant(lotsen)
    ended = datetime.date(2016, 1, 1)
    Enrolment.objects.bulk_create(
        Enrolment(participant=person, programme=training, start_date=ended, end_date=ended)
        for _ in range(2000)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE participants_enrolment")
    places = sheet_places([training.pk], day=TODAY, visible=Participant.objects.all())
    assert "enrolment_programme_end" in _plan(places)


def test_jit_is_off_for_this_load() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
