"""A city-sized register seeded with SQL in seconds (generate_series, no per-object saves).

The shape measured by `make bench` (issue "fast at a city's scale"): PEOPLE people at Lotsen,
VISITS visits spread over ten years, RUNNING places running today at the unit's programmes,
each with a plan, a third of them overdue, and one ended place with an outcome for everyone
else. Identity numbers are Skatteverket's test numbers only; past their end, people have a
reserve identity (no number), as the demo does.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection

from lotsen.demo import FIRST_NAMES, LAST_NAMES, skatteverket_numbers
from lotsen.models import Programme, Role, Unit, User
from participants.identity import parse_identity

# Surnames built from syllables, so that a name matches a handful of people the way a
# real register's would (a few hundred distinct surnames, not 100,000 unique ones).
HEADS = ["Lind", "Berg", "Sjö", "Ek", "Holm", "Ström", "Dahl", "Björk", "Gran", "Nord"]
TAILS = ["qvist", "berg", "ström", "lund", "gren", "man", "dahl", "bäck", "blad", "sten"]


@dataclass(frozen=True)
class Shape:
    people: int
    visits: int
    running: int
    staff: int = 20
    today: datetime.date = datetime.date(2026, 11, 23)


def seed(shape: Shape) -> dict[str, int]:
    """Seed the shape into the (empty) bench database; return ids the measurements use."""
    lotsen = Unit.objects.get(slug="lotsen")
    programmes = list(Programme.objects.filter(unit=lotsen).order_by("pk"))
    staff = [
        User.objects.create_user(
            username=f"bench{i}",
            password="x",  # noqa: S106 (bench only)
            email=f"bench{i}@lotsen.test",
            role=Role.SUPPORT,
        )
        for i in range(shape.staff)
    ]
    for user in staff:
        user.units.add(lotsen)
    numbers = [
        parse_identity(n, today=shape.today)
        for n in skatteverket_numbers(born_between=(1940, 2006))
    ]
    first = FIRST_NAMES
    last = [h + t for h in HEADS for t in TAILS] + LAST_NAMES
    staff_ids = [u.pk for u in staff]
    programme_ids = [p.pk for p in programmes]
    with connection.cursor() as c:
        c.execute(
            """
            INSERT INTO participants_participant
              (identity_number, identity_kind, birth_date, first_name, last_name, phone, email,
               address, municipality, residency_exception_reason, residency_exception_agreed_by,
               has_housing_support, protected_identity, created_at, gender, unit_id)
            SELECT n.number, coalesce(n.kind, 'reserve'),
                   coalesce(n.birth, date '1960-01-01' + (i %% 15000)),
                   (%(first)s::text[])[1 + i %% cardinality(%(first)s::text[])],
                   (%(last)s::text[])[1 + (i / 7) %% cardinality(%(last)s::text[])],
                   '', '', '', 'Linköping', '', '', i %% 5 = 0, i %% 997 = 0, now(),
                   (array['woman','man','other','undisclosed'])[1 + i %% 4], %(unit)s
            FROM generate_series(1, %(people)s) AS i
            LEFT JOIN unnest(%(numbers)s::text[], %(kinds)s::text[], %(births)s::date[])
                 WITH ORDINALITY AS n(number, kind, birth, ord) ON n.ord = i
            """,
            {
                "first": first,
                "last": last,
                "unit": lotsen.pk,
                "people": shape.people,
                "numbers": [n.number for n in numbers],
                "kinds": [n.kind for n in numbers],
                "births": [n.birth_date for n in numbers],
            },
        )
        c.execute(
            "SELECT min(id), max(id) FROM participants_participant WHERE unit_id = %s",
            [lotsen.pk],
        )
        low, high = c.fetchone()
        # Everyone has an ended place with an outcome; RUNNING people also one running today.
        c.execute(
            """
            INSERT INTO participants_enrolment
              (start_date, end_date, hours_per_week, created_at, contact_person_id, programme_id,
               participant_id, outcome, outcome_note, has_plan)
            SELECT date '2016-12-01' + (p.id %% 3000)::int,
                   date '2016-12-01' + (p.id %% 3000)::int + 180,
                   4, now(), (%(staff)s::bigint[])[1 + p.id %% cardinality(%(staff)s::bigint[])],
                   (%(programmes)s::bigint[])[1 + p.id %% cardinality(%(programmes)s::bigint[])],
                   p.id,
                   (array['employment','studies','internship','labour_market','other_service',
                          'ended_early','moved'])[1 + p.id %% 7], '', false
            FROM participants_participant p WHERE p.unit_id = %(unit)s
            """,
            {"staff": staff_ids, "programmes": programme_ids, "unit": lotsen.pk},
        )
        c.execute(
            """
            INSERT INTO participants_enrolment
              (start_date, end_date, hours_per_week, created_at, contact_person_id, programme_id,
               participant_id, outcome, outcome_note, has_plan, plan_follow_up_due)
            SELECT %(today)s::date - 60 - (i %% 200), NULL, 4, now(),
                   (%(staff)s::bigint[])[1 + i %% cardinality(%(staff)s::bigint[])],
                   (%(programmes)s::bigint[])[1 + i %% cardinality(%(programmes)s::bigint[])],
                   %(high)s - i, '', '', true,
                   CASE WHEN i %% 3 = 0 THEN %(today)s::date - 30 ELSE %(today)s::date + 40 END
            FROM generate_series(0, %(running)s - 1) AS i
            """,
            {
                "today": shape.today,
                "staff": staff_ids,
                "programmes": programme_ids,
                "high": high,
                "running": shape.running,
            },
        )
        c.execute(
            """
            INSERT INTO plans_plan
              (established_on, goals, participation, summary, follow_up_due, created_at,
               created_by_id, enrolment_id, collaboration, revision, updated_at)
            SELECT e.start_date + 10, 'Mål', '', 'Sammanfattning', e.plan_follow_up_due, now(),
                   e.contact_person_id, e.id, '', 0, now()
            FROM participants_enrolment e WHERE e.outcome = '' AND e.has_plan
            """
        )
        # VISITS visits over ten years: each person's visits fall on distinct days of their
        # programmes; the running places have today's visit for every other person.
        per_person = max(1, shape.visits // shape.people)
        c.execute(
            """
            INSERT INTO participants_visit (date, hours, recorded_at, participant_id, programme_id)
            SELECT %(today)s::date - 1 - ((p * 7 + k * 73) %% 3650)::int, 2, now(), p,
                   (%(programmes)s::bigint[])[1 + (p %% cardinality(%(programmes)s::bigint[]))::int]
            FROM generate_series(%(low)s::bigint, %(high)s::bigint) AS p,
                 generate_series(0, %(per)s - 1) AS k
            """,
            {
                "today": shape.today,
                "programmes": programme_ids,
                "low": low,
                "high": high,
                "per": per_person,
            },
        )
        c.execute(
            """
            INSERT INTO participants_visit (date, hours, recorded_at, participant_id, programme_id)
            SELECT %(today)s, 2, now(), e.participant_id, e.programme_id
            FROM participants_enrolment e
            WHERE e.outcome = '' AND e.end_date IS NULL AND e.participant_id %% 2 = 0
            ON CONFLICT DO NOTHING
            """,
            {"today": shape.today},
        )
        # VACUUM as well: the seed leaves dead pages behind that a count would read through
        # (autovacuum may be off or late on a bench server). Outside a transaction: the
        # session fixture runs in autocommit.
        c.execute("VACUUM ANALYZE")
    ids = seeded()
    assert ids is not None
    return ids


def seeded() -> dict[str, int] | None:
    """The ids the measurements use, if the shape is already in the database."""
    staff = User.objects.filter(username="bench0").first()
    if staff is None:
        return None
    with connection.cursor() as c:
        c.execute(
            "SELECT e.participant_id, p.id FROM participants_enrolment e "
            "JOIN plans_plan p ON p.enrolment_id = e.id ORDER BY e.id LIMIT 1"
        )
        participant, plan = c.fetchone()
    return {"participant": participant, "plan": plan, "staff": staff.pk}
