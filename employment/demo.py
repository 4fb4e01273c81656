"""Demo IPS work at Hantverkshuset: a unit manager, three employment specialists (henrik and
two more, one part-time), about 70 cases over two years in every step, each come through a
referral and the waiting list, an employer register with contacts and job starts, and a
queue today. Test personnummer only."""

from __future__ import annotations

import datetime
import importlib
import itertools
from decimal import Decimal

from django.apps import apps

from employment.models import (
    OUTCOME_OF_KIND,
    CaseOutcome,
    ContactKind,
    Employer,
    EmploymentProgramme,
    JobKind,
    Step,
)
from employment.services import (
    case_end,
    case_move,
    case_open,
    contact_record,
    job_end,
    specialist_add,
)
from employment.services import job_start_record as job_start
from lotsen.demo import DEMO_PASSWORD, FIRST_NAMES, LAST_NAMES, DemoWorld, skatteverket_numbers
from lotsen.models import Role, Unit, User
from participants.demo import register_person
from participants.identity import parse_identity
from participants.models import Participant
from referrals.models import Initiator, Status
from referrals.services import referral_accept, referral_create, referral_move

DAY = datetime.timedelta(days=1)
CASES = 70
EMPLOYERS = [
    ("Bageriet på Ågatan AB", "livsmedel"),
    ("Linköpings Cykelverkstad", "handel och service"),
    ("Stångåstadens fastighetsservice", "fastighet"),
    ("Lagerhuset Östergötland AB", "lager och logistik"),
    ("Café Trädgården", "restaurang"),
    ("Stadsbiblioteket", "kultur"),
    ("Mekaniska verkstaden i Tornby", "industri"),
    ("Second hand Återbruket", "handel och service"),
    ("Grönyteskötsel Öst AB", "park och trädgård"),
    ("Kontorsservice Linköping", "kontor"),
    ("Hotell Stångån", "hotell"),
    ("IT-supporten AB", "IT"),
    ("Förskolan Solrosen", "förskola"),
    ("Matbutiken Ryd", "dagligvaror"),
    ("Tvätteriet i Berga", "service"),
]
SPECIALISTS = [
    # username, first, last, FTE two years ago, FTE from 1 January this year; henrik is in
    # lotsen.demo's STAFF. jonas went from half to three-quarter time this year (R21).
    ("henrik", "", "", Decimal("1.00"), Decimal("1.00")),
    ("sofia", "Sofia", "Holm", Decimal("1.00"), Decimal("1.00")),
    ("jonas", "Jonas", "Ek", Decimal("0.50"), Decimal("0.75")),
]
# Where a case ends up, by how long ago its intake was (days): older cases have gone further.
TARGETS = [
    (400, {Step.ENDED: 85, Step.FOLLOW_ALONG: 15}),
    (150, {Step.JOB_SEARCH: 3, Step.STARTED: 2, Step.FOLLOW_ALONG: 3, Step.ENDED: 4}),
    (45, {Step.PROFILE: 2, Step.JOB_SEARCH: 4, Step.STARTED: 1}),
    (0, {Step.INTAKE: 2, Step.PROFILE: 2, Step.JOB_SEARCH: 1}),
]
PATH = [Step.PROFILE, Step.JOB_SEARCH, Step.STARTED, Step.FOLLOW_ALONG, Step.ENDED]


def load(world: DemoWorld) -> None:
    importlib.import_module("employment.migrations.0002_seed_ips_programme").seed(apps, None)
    unit = Unit.objects.get(slug="hantverkshuset")
    ips = EmploymentProgramme.objects.get(programme__unit=unit)
    _user(world, "lena", "Lena", "Strömberg", Role.MANAGER, unit)
    specialists = []
    began = world.today.replace(day=1, year=world.today.year - 2)
    this_year = world.today.replace(month=1, day=1)
    for username, first, last, before, now in SPECIALISTS:
        user = world.staff.get(username) or _user(world, username, first, last, Role.SUPPORT, unit)
        shares = [(began, before)] + ([(this_year, now)] if now != before else [])
        specialist_add(programme=ips, user=user, shares=shares)
        specialists.append(user)
    employers = [
        Employer.objects.create(
            unit=unit,
            name=name,
            industry=industry,
            contact_name=f"{first} {last}",
            phone=f"013-{world.rng.randint(100000, 999999)}",
            created_by=specialists[0],
        )
        for (name, industry), (first, last) in zip(
            EMPLOYERS,
            world.rng.sample(list(itertools.product(FIRST_NAMES, LAST_NAMES)), 15),
            strict=True,
        )
    ]
    people = _people(world, unit, specialists[0])
    for index in range(CASES):
        specialist = specialists[index % len(specialists)]
        intake = world.today - DAY * world.rng.randint(3, 730)
        _case(world, ips, next(people), specialist, intake, employers)
    _job_development(world, specialists, employers)
    for _ in range(6):
        _waiting(world, ips, next(people), specialists[0])


def _user(world: DemoWorld, username: str, first: str, last: str, role: str, unit: Unit) -> User:
    user = User.objects.create_user(
        username=username,
        password=DEMO_PASSWORD,
        first_name=first,
        last_name=last,
        email=f"{username}@lotsen.example",
        role=role,
    )
    user.units.add(unit)
    world.staff[username] = user
    return user


def _people(world: DemoWorld, unit: Unit, by: User):  # type: ignore[no-untyped-def]
    """New people at the unit with unused test numbers and names."""
    used = set(Participant.objects.values_list("identity_number", flat=True))
    numbers = [n for n in skatteverket_numbers(born_between=(1962, 2002)) if n not in used]
    names = list(itertools.product(FIRST_NAMES, LAST_NAMES))
    taken = set(Participant.objects.filter(unit=unit).values_list("first_name", "last_name"))
    names = [n for n in names if n not in taken]
    for number, (first, last) in zip(
        world.rng.sample(numbers, 90), world.rng.sample(names, 90), strict=True
    ):
        identity = parse_identity(number, today=world.today)
        yield register_person(identity=identity, first_name=first, last_name=last, unit=unit, by=by)


def _referral(world, ips, person, by, received):  # type: ignore[no-untyped-def]
    referral, _created = referral_create(
        unit=ips.programme.unit,
        by=by,
        initiator=world.rng.choice(
            [
                Initiator.SELF,
                Initiator.PSYCHIATRY,
                Initiator.EMPLOYMENT_SERVICE,
                Initiator.SOCIAL_INSURANCE,
            ]
        ),
        received_on=received,
        first_name=person.first_name,
        last_name=person.last_name,
        identity_number=person.identity_number,
        participant=person,
        programme=ips.programme,
        contact="013-100 00 00",
        consent="Samtycker till kontakt och att uppgifterna sparas.",
    )
    for to, days in ((Status.CONTACTED, 1), (Status.WAITING, 3)):
        referral = referral_move(
            referral=referral,
            to=to,
            on=min(received + DAY * days, world.today),
            by=by,
            revision=None,
            today=world.today,
        )
    return referral


def _waiting(world: DemoWorld, ips: EmploymentProgramme, person: Participant, by: User) -> None:
    _referral(world, ips, person, by, world.today - DAY * world.rng.randint(5, 80))


def _case(world, ips, person, specialist, intake, employers) -> None:  # type: ignore[no-untyped-def]
    rng, today = world.rng, world.today
    received = intake - DAY * rng.randint(10, 120)
    referral = _referral(world, ips, person, specialist, received)
    place = referral_accept(
        referral=referral,
        programme=ips.programme,
        start_date=intake,
        on=intake,
        by=specialist,
        revision=None,
        today=today,
    )
    case = case_open(
        enrolment=place, specialist=specialist, intake_on=intake, by=specialist, today=today
    )
    age = (today - intake).days
    weights = next(w for older_than, w in TARGETS if age > older_than)
    target = rng.choices(list(weights), weights=list(weights.values()))[0]
    steps = list(Step)
    day = intake
    # A first employer contact for most cases, sometimes late, sometimes not yet.
    if target != Step.INTAKE and rng.random() < 0.85:
        first = intake + DAY * rng.randint(3, 50)
        if first <= today:
            contact_record(
                employer=rng.choice(employers),
                on=first,
                kind=ContactKind.FIRST,
                by=specialist,
                today=today,
                case=case,
            )
    kind = None
    for step in PATH:
        if steps.index(target) < steps.index(step):
            break
        day = min(day + DAY * rng.randint(7, max(8, age // 5)), today)
        if target == Step.ENDED and step == Step.STARTED and rng.random() < 0.4:
            # Ends without a start: another measure, or it ended without work or studies.
            _end(case, rng.choice([CaseOutcome.OTHER_MEASURE, CaseOutcome.NONE]), day, world)
            return
        if step == Step.STARTED:
            kind = rng.choices(list(JobKind), weights=[5, 3, 2, 1])[0]
            job = job_start(
                case=case,
                kind=kind,
                start_date=day,
                employer=None if kind == JobKind.STUDIES else rng.choice(employers),
                hours_per_week=Decimal(rng.choice([10, 15, 20, 25, 30, 40])),
                by=specialist,
                today=today,
                revision=None,
            )
            if rng.random() < 0.25 and day + DAY * 20 < today:
                end = min(day + DAY * rng.randint(20, 80), today)
                job_end(
                    job=job,
                    end_date=end,
                    reason="Provanställningen förlängdes inte.",
                    by=specialist,
                )
        elif step == Step.ENDED:
            # The model's rule for a start; "annan insats" for a case without one.
            outcome = OUTCOME_OF_KIND[kind] if kind else CaseOutcome.OTHER_MEASURE
            _end(case, outcome, day, world)
        else:
            case_move(case=case, to=step, on=day, by=specialist, revision=None, today=today)
    if target in (Step.JOB_SEARCH, Step.STARTED, Step.FOLLOW_ALONG):
        recent = max(today - DAY * rng.randint(0, 25), day)
        contact_record(
            employer=rng.choice(employers),
            on=recent,
            kind=rng.choice([ContactKind.MEETING, ContactKind.PLACEMENT, ContactKind.FOLLOW_UP]),
            by=specialist,
            today=today,
            case=case,
        )


def _end(case, outcome, day, world) -> None:  # type: ignore[no-untyped-def]
    case_end(
        case=case,
        outcome=outcome,
        on=day,
        note="Personen valde att avsluta." if outcome == CaseOutcome.NONE else "",
        by=case.specialist,
        revision=None,
        today=world.today,
    )


def _job_development(world: DemoWorld, specialists: list[User], employers: list[Employer]) -> None:
    """Contacts for job development in general, most weeks for the last twelve weeks."""
    kinds = [ContactKind.FIRST, ContactKind.MEETING, ContactKind.FOLLOW_UP]
    for specialist in specialists:
        for days_ago in range(0, 84):
            day = world.today - DAY * days_ago
            if day.weekday() < 5 and world.rng.random() < 0.8:
                contact_record(
                    employer=world.rng.choice(employers),
                    on=day,
                    kind=world.rng.choice(kinds),
                    by=specialist,
                    today=world.today,
                )
