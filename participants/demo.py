"""Demo participants: trainees at Förstegsträning (nearly full) and Team ISA (full), day
activity visitors with visits, and a few people at the other two units."""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from lotsen.demo import FIRST_NAMES, DemoWorld
from lotsen.models import Programme, Unit, User
from participants.identity import Identity, parse_identity
from participants.models import (
    Assessment,
    AssessmentInstrument,
    HousingSupport,
    HousingSupportOccasion,
    Participant,
    Relative,
)
from participants.services import enrolment_create, participant_register, visit_record


def load(world: DemoWorld) -> None:
    lotsen = Unit.objects.get(slug="lotsen")
    anna, omar = world.staff["anna"], world.staff["omar"]
    _training(world, lotsen, anna, omar)
    _day_activity(world, lotsen, anna)
    for slug, username in (("hantverkshuset", "henrik"), ("beroendemottagningen", "maria")):
        unit = Unit.objects.get(slug=slug)
        for _ in range(6):
            by = world.staff[username]
            enrolment_create(
                participant=person(world, world.adults, unit, by),
                programme=unit.programmes.order_by("pk").first(),  # type: ignore[arg-type]
                start_date=world.today - datetime.timedelta(days=world.rng.randint(10, 300)),
                by=by,
            )


def person(world: DemoWorld, numbers: Iterator[str], unit: Unit, by: User) -> Participant:
    """A new person at `unit` with the next test number and name."""
    rng = world.rng
    identity = parse_identity(next(numbers), today=world.today)
    first, last = next(world.names)
    participant = register_person(
        identity=identity,
        first_name=first,
        last_name=last,
        unit=unit,
        by=by,
        has_housing_support=rng.random() < 0.4,
        phone=f"013-{rng.randint(100000, 999999)}",
    )
    _relations(participant, world.today, rng, by)
    return participant


def register_person(
    *, identity: Identity, first_name: str, last_name: str, unit: Unit, by: User, **fields: Any
) -> Participant:
    """A demo person registered at `unit` with exactly these values (living in the unit's
    municipality): no draws from the shared random source and no relatives, so a demo that
    must leave the others' data as they are can use it."""
    return participant_register(
        by=by,
        unit=unit,
        identity_number=identity.number,
        identity_kind=identity.kind,
        birth_date=identity.birth_date,
        first_name=first_name,
        last_name=last_name,
        municipality=unit.home_municipality,
        **fields,
    )


def _relations(
    participant: Participant, today: datetime.date, rng: random.Random, by: User
) -> None:
    """Housing support at start for those who have it; a relative for every third person."""
    if participant.has_housing_support:
        HousingSupport.objects.create(
            participant=participant,
            recorded_on=today - datetime.timedelta(days=rng.randint(30, 300)),
            occasion=HousingSupportOccasion.START,
            provider=rng.choice(["Boendestöd Öst", "Boendestöd Väst", "Ryd boendestöd"]),
            hours_per_week=Decimal(rng.choice([3, 4, 6, 8, 10])),
            created_by=by,
        )
    if rng.random() < 0.33:
        Relative.objects.create(
            participant=participant,
            name=f"{rng.choice(FIRST_NAMES)} {participant.last_name}",
            relation=rng.choice(["mamma", "pappa", "syster", "god man"]),
            is_representative=rng.random() < 0.3,
            phone=f"070-{rng.randint(1000000, 9999999)}",
            consent="Får veta schema och närvaro, inte innehållet i planen.",
            created_by=by,
        )


def _training(world: DemoWorld, lotsen: Unit, anna: User, omar: User) -> None:
    """Förstegsträning nearly full (96 of 105 h) and Team ISA full (6 of 6); the places that
    get a plan are left for the plans' demo."""
    today = world.today
    plans = world.shared.setdefault("plans", [])
    training = Programme.objects.get(slug="forstegstraning")
    hours = [20, 20, 16, 12, 10, 8, 6, 4]
    for index, h in enumerate(hours):
        start = today - datetime.timedelta(days=30 + index * 40)
        place = enrolment_create(
            participant=person(world, world.adults, lotsen, anna),
            programme=training,
            start_date=start,
            hours_per_week=Decimal(h),
            contact_person=anna if index % 2 == 0 else omar,
            by=anna,
        )
        if index != 0:  # the newest place still lacks a plan
            plans.append((place, start + datetime.timedelta(days=7), anna))
        if index % 3 == 1:
            Assessment.objects.create(
                participant=place.participant,
                unit=lotsen,
                instrument=AssessmentInstrument.objects.get(name="AWP" if index < 4 else "WRI"),
                date=start + datetime.timedelta(days=14),
                assessor=omar,
                conclusions="Klarar enklare uppgifter i kök och servering 4 timmar per dag.",
            )
    isa = Programme.objects.get(slug="team-isa")
    for index in range(6):
        start = today - datetime.timedelta(days=20 + index * 25)
        place = enrolment_create(
            participant=person(world, world.young, lotsen, omar),
            programme=isa,
            start_date=start,
            hours_per_week=Decimal(10 + index * 2),
            contact_person=omar if index % 2 == 0 else anna,
            by=omar,
        )
        plans.append((place, start + datetime.timedelta(days=3), omar))


def _day_activity(world: DemoWorld, lotsen: Unit, anna: User) -> None:
    """Day-activity visitors with visits over the last three months, some young adults."""
    today, rng = world.today, world.rng
    drop_in = Programme.objects.get(slug="basverksamhet")
    for _ in range(14):
        visitor = person(world, world.adults, lotsen, anna)
        enrolment_create(
            participant=visitor,
            programme=drop_in,
            start_date=today - datetime.timedelta(days=rng.randint(100, 400)),
            by=anna,
        )
        for days_ago in range(1, 90):
            day = today - datetime.timedelta(days=days_ago)
            if day.weekday() < 5 and rng.random() < 0.3:
                visit_record(participant=visitor, programme=drop_in, date=day, by=anna)
