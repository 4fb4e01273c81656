"""The morning run's shape, seeded with SQL in seconds: PLACES places running today at a unit
of their own, spread over CONTACTS contact persons, each with a plan (but the few missing
one), a third of them overdue and a share of every other kind the reminders know.

A unit of its own (`bench-daily`) in a database of its own (`own_database`), so that Lotsen's
pages in bench/test_scale.py see the city's register; its people have made-up names and
reserve identities.
One contact person has no e-mail address: their places go to the unit manager, so the run
sends CONTACTS e-mails, one of them a manager's copy.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.management import call_command
from django.db import connection, transaction

from lotsen.models import Programme, Role, Unit, User

SLUG = "bench-daily"


@dataclass(frozen=True)
class DailyShape:
    places: int
    contacts: int = 200
    # A Tuesday: the weekly summary (Mondays) is not part of the morning measured.
    today: datetime.date = datetime.date(2026, 11, 24)

    @property
    def people(self) -> int:
        return max(1, self.places // 100)


@contextmanager
def own_database() -> Iterator[None]:
    """Run in a copy of the city's database (CREATE DATABASE … TEMPLATE, made once and kept,
    migrated like the city's). A million running places kept in the city's register would
    change what the city's pages are measured on: the planner estimates "running today" from
    the whole table's share of running places, and with 90 % of them running it hashed the
    whole register for Lotsen's 400 (a real register is the other way round)."""
    city = connection.settings_dict["NAME"]
    own = f"{city}_daily"
    connection.close()
    with connection._nodb_cursor() as c:
        c.execute("SELECT 1 FROM pg_database WHERE datname = %s", [own])
        if c.fetchone() is None:
            c.execute(f'CREATE DATABASE "{own}" TEMPLATE "{city}"')
    connection.settings_dict["NAME"] = own
    try:
        call_command("migrate", verbosity=0)
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = city


def drop_own_database() -> None:
    """For a fresh seed (BENCH_FRESH): the copy goes with the city's database."""
    own = f"{connection.settings_dict['NAME']}_daily"
    with connection._nodb_cursor() as c:
        c.execute(f'DROP DATABASE IF EXISTS "{own}"')


def seed_daily(shape: DailyShape) -> dict[str, int]:
    """Seed the shape in one transaction (a failed seed leaves nothing that looks seeded),
    then vacuum, so that the visibility map lets the ranking read its index alone."""
    with transaction.atomic():
        _seed(shape)
    with connection.cursor() as c:
        for table in ("participants_participant", "participants_enrolment", "plans_plan"):
            c.execute(f"VACUUM ANALYZE {table}")
    ids = seeded_daily()
    assert ids is not None
    return ids


def _seed(shape: DailyShape) -> None:
    unit = Unit.objects.create(name="Daglig körning (bench)", slug=SLUG)
    for source in Programme.objects.filter(slug__in=["forstegstraning", "team-isa"]):
        source.pk, source.unit = None, unit
        source.slug = f"{SLUG}-{source.slug}"
        source.save()
    programmes = list(Programme.objects.filter(unit=unit).order_by("pk"))
    assert len(programmes) == 2, "the bench copies Lotsen's two programmes that need a plan"
    manager = User.objects.create(
        username="daily-chef", email="daily-chef@lotsen.test", role=Role.MANAGER
    )
    contacts = User.objects.bulk_create(
        User(
            username=f"daily{i}",
            first_name="Kontakt",
            last_name=f"Person {i}",
            # The last one cannot be reached by e-mail: the manager gets their items.
            email="" if i == shape.contacts - 1 else f"daily{i}@lotsen.test",
            password="!",  # unusable  # noqa: S106
        )
        for i in range(shape.contacts)
    )
    for user in [manager, *contacts]:
        user.units.add(unit)
    with connection.cursor() as c:
        _insert(c, shape, unit.pk, [u.pk for u in contacts], [p.pk for p in programmes])


def _insert(c, shape: DailyShape, unit: int, contacts: list[int], programmes: list[int]) -> None:  # type: ignore[no-untyped-def]
    c.execute(
        """
        INSERT INTO participants_participant
          (identity_number, identity_kind, birth_date, first_name, last_name, phone, email,
           address, municipality, residency_exception_reason, residency_exception_agreed_by,
           has_housing_support, protected_identity, created_at, gender, unit_id)
        SELECT NULL, 'reserve', date '1960-01-01' + (i %% 15000), 'Dagny', 'Körsson' || i,
               '', '', '', 'Linköping', '', '', false, i %% 97 = 0, now(), 'undisclosed',
               %(unit)s
        FROM generate_series(1, %(people)s) AS i
        """,
        {"unit": unit, "people": shape.people},
    )
    c.execute("SELECT min(id) FROM participants_participant WHERE unit_id = %s", [unit])
    (low,) = c.fetchone()
    # Each run of 400 places gives every contact person one place in each programme; the
    # kind is chosen per run (k = i / 400 mod 100): 33 % overdue, 5 % due soon, 5 % renewal
    # due, 2 % missing a plan, 3 % reaching the longest duration, the rest on time.
    c.execute(
        """
        INSERT INTO participants_enrolment
          (start_date, end_date, hours_per_week, created_at, contact_person_id, programme_id,
           participant_id, outcome, outcome_note, has_plan, plan_follow_up_due,
           plan_renewal_due)
        SELECT CASE WHEN k >= 45 AND k < 48 THEN t - 660 - i %% 60
                    WHEN k >= 43 AND k < 45 THEN t - 20 - i %% 100
                    ELSE t - 100 - i %% 300 END,
               NULL, 4, now(),
               (%(contacts)s::bigint[])[1 + i %% cardinality(%(contacts)s::bigint[])],
               (%(programmes)s::bigint[])[1 + (i / cardinality(%(contacts)s::bigint[])) %% 2],
               %(low)s + i %% %(people)s, '', '', NOT (k >= 43 AND k < 45),
               CASE WHEN k < 33 THEN t - 1 - i %% 90
                    WHEN k < 38 THEN t + i %% 8
                    WHEN k >= 43 AND k < 45 THEN NULL
                    ELSE t + 8 + i %% 80 END,
               CASE WHEN k >= 38 AND k < 43 THEN t - 3 + i %% 11
                    WHEN k >= 43 AND k < 45 THEN NULL
                    ELSE t + 200 END
        FROM generate_series(0, %(places)s - 1) AS i,
             LATERAL (SELECT (i / 400) %% 100 AS k, %(today)s::date AS t) AS shape
        """,
        {
            "contacts": contacts,
            "programmes": programmes,
            "low": low,
            "people": shape.people,
            "places": shape.places,
            "today": shape.today,
        },
    )
    c.execute(
        """
        INSERT INTO plans_plan
          (established_on, goals, participation, summary, follow_up_due, renewal_due,
           created_at, created_by_id, enrolment_id, collaboration, revision, updated_at)
        SELECT e.start_date + 10, 'Mål', '', 'Sammanfattning', e.plan_follow_up_due,
               e.plan_renewal_due, now(), e.contact_person_id, e.id, '', 1, now()
        FROM participants_enrolment e
        JOIN lotsen_programme p ON p.id = e.programme_id
        WHERE p.unit_id = %s AND e.has_plan
        """,
        [unit],
    )


def seeded_daily() -> dict[str, int] | None:
    """The ids the measurements use, if the shape is already in the database."""
    unit = Unit.objects.filter(slug=SLUG).first()
    if unit is None:
        return None
    manager = User.objects.get(username="daily-chef")
    return {"unit": unit.pk, "manager": manager.pk}
