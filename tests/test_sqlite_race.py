"""The embedded SQLite default queues writers (decision 0002): two staff taking the last
place at the same moment get one place and one clear "full" message, never "database is
locked" (R5, R8). PostgreSQL has its own race test with row locks (test_concurrency.py)."""

from __future__ import annotations

import os
from decimal import Decimal

import pytest
from django.db import OperationalError, connection

from participants.models import Enrolment
from participants.services import enrolment_create
from tests.factories import TODAY, make_participant, make_place
from tests.race import race

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "sqlite", reason="SQLite only; PostgreSQL: test_concurrency.py"
    ),
]


@pytest.mark.parametrize("attempt", range(3))
def test_r8_two_staff_take_the_last_team_isa_place_at_once_on_sqlite(
    isa, lotsen, anna, omar, attempt
) -> None:
    """Run three times: the threads do not always overlap, and once is enough to fail."""
    # Threads share the database through a file, as web processes do; in memory they would
    # not wait for each other at all.
    assert not connection.is_in_memory_db()
    for _ in range(5):
        make_place(make_participant(lotsen, young=True), isa, contact_person=anna)
    people = [make_participant(lotsen, young=True), make_participant(lotsen, young=True)]
    outcomes = race(
        [
            lambda p=p, by=by: enrolment_create(
                participant=p,
                programme=isa,
                start_date=TODAY,
                hours_per_week=Decimal(10),
                contact_person=by,
                by=by,
            )
            for p, by in zip(people, (anna, omar), strict=True)
        ],
        # "database is locked": a writer that failed instead of waiting its turn.
        conflicts=(OperationalError,),
    )
    assert sorted(outcomes) == [
        "Programmet är fullt den 2026-11-23: 6 personer har redan plats, så inga platser "
        "lediga. Välj ett senare startdatum.",
        "ok",
    ]
    assert Enrolment.objects.filter(programme=isa).count() == 6


def test_each_xdist_worker_has_a_database_file_of_its_own() -> None:
    """pytest-django adds the worker's id (_gw0, _gw1, ...) to the test database's name."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    name = str(connection.settings_dict["NAME"])
    assert name.endswith(f"_{worker}") if worker else "_gw" not in name
