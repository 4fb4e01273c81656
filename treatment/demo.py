"""Demo treatment: maria leads two running primary courses, an extended and a relapse
course, with attendance on past sessions, measurements, and confirmed monthly statements
checked by a unit manager (sara)."""

from __future__ import annotations

import datetime
import importlib

from django.apps import apps

from activities.services import attendance_mark
from lotsen.demo import DEMO_PASSWORD, DemoWorld
from lotsen.models import Programme, Role, Unit, User
from participants.identity import parse_identity
from participants.models import Participant
from treatment.models import CourseOutcome, Measure, Stage
from treatment.results import measurement_record
from treatment.services import course_create, course_join, course_leave
from treatment.statement import statement_confirm

# programme slug, name, weeks before today it started, people
COURSES = [
    ("12-steg-primar", "Primärgrupp A", 3, 7),
    ("12-steg-primar", "Primärgrupp B", 1, 6),
    ("forlangd-behandling", "Förlängd grupp", 4, 6),
    ("aterfallsbehandling", "Återfallsgrupp", 10, 3),
    ("12-steg-primar", "Kommande primärgrupp", -2, 3),
]


def load(world: DemoWorld) -> None:
    seed = importlib.import_module("treatment.migrations.0002_seed_courses_measures_agreement")
    seed.seed(apps, None)
    unit = Unit.objects.get(slug="beroendemottagningen")
    maria = world.staff["maria"]
    sara = User.objects.create_user(
        username="sara",
        password=DEMO_PASSWORD,
        first_name="Sara",
        last_name="Berg",
        email="sara@lotsen.example",
        role=Role.MANAGER,
    )
    sara.units.add(unit)
    for slug, name, weeks_ago, size in COURSES:
        _course(world, unit, maria, slug, name, weeks_ago, size)
    month = world.today.replace(day=1)
    for _ in range(3):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
        statement_confirm(unit=unit, month=month, reason="", today=world.today, by=sara)


def _course(world, unit, maria, slug, name, weeks_ago, size) -> None:  # type: ignore[no-untyped-def]
    start = world.today - datetime.timedelta(weeks=weeks_ago)
    start -= datetime.timedelta(days=start.weekday())
    course = course_create(
        programme=Programme.objects.get(slug=slug),
        name=name,
        start_date=start,
        weekdays=[0, 2],
        starts_at=datetime.time(9),
        ends_at=datetime.time(11, 30),
        place="Gruppen",
        leaders=[maria],
        by=maria,
    )
    stages = list(Stage.objects.order_by("order"))
    measures = {m.slug: m for m in Measure.objects.all()}
    people = [_person(world, unit, maria) for _ in range(size)]
    for person in people:
        membership, _ = course_join(course=course, participant=person, on=start, by=maria)
        if start <= world.today:
            values = {
                measures["audit"]: str(world.rng.randint(12, 30)),
                measures["alcohol-days"]: str(world.rng.randint(8, 25)),
                measures["health"]: str(world.rng.randint(1, 3)),
            }
            measurement_record(
                membership=membership,
                stage=stages[0],
                measured_on=start,
                values=values,
                today=world.today,
                by=maria,
            )
    for session in course.activity.sessions.filter(date__lt=world.today, cancelled=False):
        for person in people:
            if world.rng.random() < 0.85:
                attendance_mark(session=session, participant=person, by=maria)
    if course.end_date < world.today:
        for membership in course.participants.all():
            course_leave(
                membership=membership,
                on=course.end_date,
                outcome=CourseOutcome.COMPLETED,
                by=maria,
            )


def _person(world: DemoWorld, unit: Unit, by: User) -> Participant:
    number = next(world.adults, None) or next(world.young)
    identity = parse_identity(number, today=world.today)
    first, last = next(world.names)
    return Participant.objects.create(
        identity_number=identity.number,
        identity_kind=identity.kind,
        birth_date=identity.birth_date,
        first_name=first,
        last_name=last,
        municipality=unit.home_municipality,
        gender=world.rng.choice(["woman", "man"]),
        unit=unit,
        created_by=by,
    )
