"""Demo data for `make run`: staff, participants, places, plans and visits.

Identity numbers come only from Skatteverket's test personnummer (the file beside
this module), never invented: a merely valid number may belong to a real person.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from lotsen.demo.attendance import load_attendance
from lotsen.models import Programme, Role, Unit, User
from participants.identity import parse_identity
from participants.models import (
    Assessment,
    AssessmentInstrument,
    HousingSupport,
    HousingSupportOccasion,
    Participant,
    Relative,
)
from participants.services import enrolment_create, participant_register, visit_record
from plans.models import Method, Progress
from plans.services import plan_create

DEMO_PASSWORD = "lotsen-demo-2026"  # noqa: S105 (demo only, printed by make run)
TEST_NUMBERS = Path(__file__).with_name("testpersonnummer.txt")

STAFF = [
    # username, first, last, role, unit slugs
    ("anna", "Anna", "Lindqvist", Role.SUPPORT, ["lotsen"]),
    ("omar", "Omar", "Haddad", Role.OCCUPATIONAL_THERAPIST, ["lotsen"]),
    ("eva", "Eva", "Berg", Role.MANAGER, ["lotsen"]),
    ("henrik", "Henrik", "Sjöberg", Role.SUPPORT, ["hantverkshuset"]),
    ("maria", "Maria", "Ek", Role.DRUG_THERAPIST, ["beroendemottagningen"]),
]
FIRST_NAMES = [
    "Alva",
    "Bo",
    "Cecilia",
    "David",
    "Elin",
    "Filip",
    "Greta",
    "Hampus",
    "Ida",
    "Johan",
    "Karin",
    "Linus",
    "Maja",
    "Nils",
    "Olivia",
    "Per",
    "Rut",
    "Sami",
    "Tove",
    "Ulf",
    "Vera",
    "William",
    "Yusuf",
    "Zara",
    "Amir",
    "Britt",
    "Conny",
    "Dalia",
    "Emil",
    "Fatima",
]
LAST_NAMES = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Lindberg",
    "Axelsson",
    "Lundgren",
    "Mohammed",
    "Ali",
]


def skatteverket_numbers(*, born_between: tuple[int, int]) -> list[str]:
    low, high = born_between
    lines = TEST_NUMBERS.read_text().split()
    return [n for n in lines if low <= int(n[:4]) <= high and int(n[6:8]) <= 31]


@transaction.atomic
def load_demo(*, today: datetime.date) -> bool:
    """Create the demo world once; return False if it was already there."""
    if User.objects.filter(username="anna").exists():
        return False
    rng = random.Random(2026)  # noqa: S311 (reproducible demo data, not security)
    staff = _create_staff()
    lotsen = Unit.objects.get(slug="lotsen")
    young = iter(rng.sample(skatteverket_numbers(born_between=(1993, 2005)), 40))
    adults = iter(rng.sample(skatteverket_numbers(born_between=(1960, 1992)), 80))
    names = iter(
        rng.sample([(f, s) for f in FIRST_NAMES for s in LAST_NAMES], len(FIRST_NAMES) * 3)
    )

    def person(numbers: object, unit: Unit, by: User) -> Participant:
        identity = parse_identity(next(numbers), today=today)  # type: ignore[call-overload]
        first, last = next(names)
        participant = participant_register(
            by=by,
            unit=unit,
            identity_number=identity.number,
            identity_kind=identity.kind,
            birth_date=identity.birth_date,
            first_name=first,
            last_name=last,
            municipality=unit.home_municipality,
            has_housing_support=rng.random() < 0.4,
            phone=f"013-{rng.randint(100000, 999999)}",
        )
        _relations(participant, today, rng, by)
        return participant

    anna, omar = staff["anna"], staff["omar"]
    _training(person, lotsen, anna, omar, today, young, adults)
    _day_activity(person, lotsen, anna, today, adults, rng)
    for slug, username in (("hantverkshuset", "henrik"), ("beroendemottagningen", "maria")):
        unit = Unit.objects.get(slug=slug)
        for _ in range(6):
            p = person(adults, unit, staff[username])
            enrolment_create(
                participant=p,
                programme=unit.programmes.order_by("pk").first(),  # type: ignore[arg-type]
                start_date=today - datetime.timedelta(days=rng.randint(10, 300)),
                by=staff[username],
            )
    from referrals import demo as referrals_demo  # imported here: it imports this module

    referrals_demo.load(today=today, staff=staff)
    load_attendance(person=person, staff=staff, today=today, rng=rng, adults=adults)
    return True


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


def _create_staff() -> dict[str, User]:
    staff = {}
    for username, first, last, role, unit_slugs in STAFF:
        user = User.objects.create_user(
            username=username,
            password=DEMO_PASSWORD,
            first_name=first,
            last_name=last,
            email=f"{username}@lotsen.example",
            role=role,
        )
        user.units.set(Unit.objects.filter(slug__in=unit_slugs))
        staff[username] = user
    admin = User.objects.create_superuser(
        "admin", "admin@lotsen.example", DEMO_PASSWORD, role=Role.ADMINISTRATOR
    )
    admin.units.set(Unit.objects.all())
    return staff


def _training(person, lotsen, anna, omar, today, young, adults) -> None:
    """Förstegsträning nearly full (96 of 105 h) and Team ISA full (6 of 6)."""
    training = Programme.objects.get(slug="forstegstraning")
    hours = [20, 20, 16, 12, 10, 8, 6, 4]
    for index, h in enumerate(hours):
        start = today - datetime.timedelta(days=30 + index * 40)
        place = enrolment_create(
            participant=person(adults, lotsen, anna),
            programme=training,
            start_date=start,
            hours_per_week=Decimal(h),
            contact_person=anna if index % 2 == 0 else omar,
            by=anna,
        )
        if index != 0:  # the newest place still lacks a plan
            _plan(place, start + datetime.timedelta(days=7), anna)
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
            participant=person(young, lotsen, omar),
            programme=isa,
            start_date=start,
            hours_per_week=Decimal(10 + index * 2),
            contact_person=omar if index % 2 == 0 else anna,
            by=omar,
        )
        _plan(place, start + datetime.timedelta(days=3), omar)


def _plan(place, established_on, by) -> None:
    plan = plan_create(
        enrolment=place,
        established_on=established_on,
        goals="Komma igång med regelbunden arbetsträning och pröva olika arbetsuppgifter.",
        activities=[
            {
                "goal": "Komma till caféet tre förmiddagar i veckan.",
                "activity": "Arbetsträning i caféet: disk, kassa och servering.",
                "responsible": "Personen, med kontaktman",
                "when": "Måndag, onsdag och fredag 9–12",
                "how": "Handledare i caféet visar; kontaktman stämmer av varje fredag.",
            },
            {
                "goal": "Pröva arbetsuppgifter i köket.",
                "activity": "Följa kocken en förmiddag i veckan.",
                "responsible": "Kontaktman",
                "when": "Från fjärde veckan",
                "how": "Lågaffektivt bemötande; korta pass att börja med.",
            },
        ],
        participation="Personen vill börja med förmiddagar: ”Jag vill testa köket först.”",
        summary="Förstegsträning med fokus på rutiner och samarbete; följs upp enligt intervall.",
        by=by,
        methods=Method.objects.filter(name__in=["Supported Employment", "Lågaffektivt bemötande"]),
        collaboration="Avstämning med boendestödet varannan vecka om rutiner på morgonen.",
    )
    # Every other plan old enough has had its first follow-up, with progress on each goal.
    first = plan.due_after(established_on)
    if first is not None and first <= timezone.localdate() and place.pk % 2 == 0:
        statuses = [Progress.ON_THE_WAY, Progress.ACHIEVED, Progress.NOT_STARTED]
        goals = [(None, plan.goals)] + [(a, a.goal) for a in plan.activities.all()]
        plan.record_follow_up(
            on=first - datetime.timedelta(days=2),
            by=by,
            attendees="Personen, kontaktman och boendestöd",
            progress="Har kommit de flesta dagar; trött på måndagar.",
            next_steps="Pröva en eftermiddag i veckan.",
            goals=[
                {"activity": activity, "goal": text, "status": status, "comment": ""}
                for (activity, text), status in zip(goals, statuses, strict=False)
            ],
        )


def _day_activity(person, lotsen, anna, today, adults, rng) -> None:
    """Day-activity visitors with visits over the last three months, some young adults."""
    drop_in = Programme.objects.get(slug="basverksamhet")
    for _ in range(14):
        visitor = person(adults, lotsen, anna)
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
