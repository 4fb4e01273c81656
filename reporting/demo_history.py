"""Demo: Lotsen's two years before this one, so that the annual reports of earlier years
(R19, R20) have figures: people in the drop-in, Yngre Lotsen, first-step training and Team
ISA, their places ended with an outcome (R11), visits on the unit's open days (R16, L8) with
hours for trainees (R5, R6), visits counted without names (L7), assessments (R10), plans
with their follow-ups (R12, R13), and the earlier visits of today's drop-in visitors.

Written with bulk inserts (a few dozen queries for thousands of rows), as browser tests load
the demo once per process. It runs last, after every other app's demo, so that the test
numbers and random draws of those stay as they were. Skatteverket's test numbers only."""

from __future__ import annotations

import datetime
import itertools
import uuid
from decimal import Decimal

from django.utils import timezone

from activities.calendar import opening_days
from activities.models import AnonymousVisit
from lotsen.demo import FIRST_NAMES, LAST_NAMES, DemoWorld, skatteverket_numbers
from lotsen.models import Programme, Unit, User
from participants.identity import parse_identity
from participants.models import (
    Assessment,
    AssessmentInstrument,
    Enrolment,
    HousingSupport,
    HousingSupportOccasion,
    Outcome,
    Participant,
    Visit,
)
from plans.models import FollowUp, GoalProgress, Method, Plan, PlanActivity, Progress

DAY = datetime.timedelta(days=1)
# slug, how many people over the two years, numbers from the young pool, days a place lasts
GROUPS = [
    ("basverksamhet", 16, False, (120, 540)),
    ("yngre-lotsen", 6, True, (90, 360)),
    ("forstegstraning", 10, False, (120, 330)),
    ("team-isa", 8, True, (90, 270)),
]
# Where places led when they ended (R11), by kind of programme.
OUTCOMES = {
    False: [Outcome.OTHER_SERVICE, Outcome.MOVED, Outcome.ENDED_EARLY, Outcome.LABOUR_MARKET],
    True: [
        Outcome.EMPLOYMENT,
        Outcome.STUDIES,
        Outcome.INTERNSHIP,
        Outcome.LABOUR_MARKET,
        Outcome.LABOUR_MARKET,
        Outcome.OTHER_SERVICE,
        Outcome.ENDED_EARLY,
    ],
}
ACTIVITIES = [
    {
        "goal": "Komma till verksamheten på bestämda dagar.",
        "activity": "Arbetsträning i caféet och köket.",
        "responsible": "Personen, med kontaktman",
        "when": "Tre förmiddagar i veckan",
        "how": "Korta pass att börja med; kontaktman stämmer av varje vecka.",
    },
    {
        "goal": "Pröva en uppgift utanför huset.",
        "activity": "Följa med på leveranser och inköp.",
        "responsible": "Kontaktman",
        "when": "Från andra månaden",
        "how": "Lågaffektivt bemötande; personen väljer uppgift.",
    },
]


def load(world: DemoWorld) -> None:
    lotsen = Unit.objects.get(slug="lotsen")
    anna, omar = world.staff["anna"], world.staff["omar"]
    first = world.today.replace(year=world.today.year - 2, month=1, day=1)
    last = world.today.replace(year=world.today.year - 1, month=12, day=31)
    open_days = [d.date for d in opening_days(lotsen, first, world.today) if d.is_open]
    programmes = {p.slug: p for p in Programme.objects.filter(unit=lotsen)}
    places = _places(world, lotsen, programmes, first, last, (anna, omar))
    visits = _visits(world, places, open_days, anna)
    visits += _earlier_visits(world, programmes["basverksamhet"], open_days, first, anna)
    Visit.objects.bulk_create(visits)
    _anonymous(world, programmes["basverksamhet"], [d for d in open_days if d <= last], anna)
    _plans(world, [p for p in places if p.programme.follow_up_interval])
    _assessments(world, lotsen, places, omar)


def _people(world: DemoWorld, unit: Unit, n: int, *, young: bool, by: User) -> list[Participant]:
    """`n` new people at the unit, with test numbers and names nobody has yet."""
    used = set(Participant.objects.values_list("identity_number", flat=True))
    years = (1993, 2004) if young else (1960, 1992)
    numbers = [x for x in skatteverket_numbers(born_between=years) if x not in used]
    taken = set(Participant.objects.filter(unit=unit).values_list("first_name", "last_name"))
    names = [x for x in itertools.product(FIRST_NAMES, LAST_NAMES) if x not in taken]
    people = []
    for number, (first, last) in zip(
        world.rng.sample(numbers, n), world.rng.sample(names, n), strict=True
    ):
        identity = parse_identity(number, today=world.today)
        people.append(
            Participant(
                unit=unit,
                identity_number=identity.number,
                identity_kind=identity.kind,
                birth_date=identity.birth_date,
                first_name=first,
                last_name=last,
                municipality=unit.home_municipality,
                has_housing_support=world.rng.random() < 0.4,
                phone=f"013-{world.rng.randint(100000, 999999)}",
                created_by=by,
            )
        )
    people = Participant.objects.bulk_create(people)
    Participant.team.through.objects.bulk_create(
        Participant.team.through(participant=p, user=by) for p in people
    )
    return people


def _places(world, unit, programmes, first, last, staff) -> list[Enrolment]:  # type: ignore[no-untyped-def]
    """Places spread over the two years, each ended with an outcome by the end of the last
    one; trainees with hours and a contact person, and a plan where the programme has one."""
    rng = world.rng
    anna, omar = staff
    places, housing = [], []
    span = (last - first).days
    for slug, n, young, (shortest, longest) in GROUPS:
        programme = programmes[slug]
        training = programme.is_work_training
        for index, person in enumerate(_people(world, unit, n, young=young, by=anna)):
            # Spread evenly, so that Team ISA never has more than its six places at once.
            start = first + DAY * int(span * (index + rng.random() * 0.6) / (n + 0.5))
            # Places still running near the year's end ended in its last weeks.
            end = start + DAY * rng.randint(shortest, longest)
            if end > last:
                end = max(last - DAY * rng.randint(0, 40), start + DAY * 30)
            contact = (anna, omar)[index % 2] if programme.requires_contact_person else None
            planned = programme.follow_up_interval is not None
            places.append(
                Enrolment(
                    participant=person,
                    programme=programme,
                    start_date=start,
                    end_date=end,
                    hours_per_week=Decimal(rng.choice([6, 8, 10, 12, 16, 20]))
                    if training
                    else None,
                    contact_person=contact,
                    outcome=rng.choice(OUTCOMES[training]),
                    ended_by=contact or anna,
                    created_by=anna,
                    has_plan=planned,
                )
            )
            if person.has_housing_support:
                housing += [
                    HousingSupport(
                        participant=person,
                        recorded_on=on,
                        occasion=occasion,
                        provider=rng.choice(["Boendestöd Öst", "Boendestöd Väst"]),
                        hours_per_week=Decimal(hours),
                        created_by=anna,
                    )
                    for on, occasion, hours in (
                        (start, HousingSupportOccasion.START, rng.choice([4, 6, 8, 10])),
                        (end, HousingSupportOccasion.LEAVE, rng.choice([0, 2, 3, 4])),
                    )
                ]
    HousingSupport.objects.bulk_create(housing)
    places = Enrolment.objects.bulk_create(places)
    # Registered when they started, not on the day the demo was loaded ("newest" sorting).
    for place in places:
        place.created_at = place.participant.created_at = _at(place.start_date - DAY)
    Participant.objects.bulk_update([p.participant for p in places], ["created_at"])
    Enrolment.objects.bulk_update(places, ["created_at"])
    return places


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def _visits(world, places, open_days, by) -> list[Visit]:  # type: ignore[no-untyped-def]
    """Drop-in visitors come one or two days a week; trainees on three days, with their
    hours spread over them, and miss about one day in seven."""
    rng, visits = world.rng, []
    for place in places:
        training = place.programme.is_work_training
        rate = 0.6 if training else rng.choice([0.15, 0.25, 0.35])
        hours = (place.hours_per_week / 3).quantize(Decimal("0.5")) if training else None
        for day in open_days:
            if not place.start_date <= day <= place.end_date:
                continue
            if training and day.weekday() in (1, 3):
                continue  # three training days a week
            if rng.random() < (rate / 0.6 * 0.85 if training else rate):
                visits.append(
                    Visit(
                        participant=place.participant,
                        programme=place.programme,
                        date=day,
                        hours=hours,
                        recorded_by=by,
                    )
                )
    return visits


def _earlier_visits(world, drop_in, open_days, first, by) -> list[Visit]:  # type: ignore[no-untyped-def]
    """Today's drop-in visitors also came before the three months the visits demo covers."""
    rng = world.rng
    recorded = set(Visit.objects.filter(programme=drop_in).values_list("participant_id", "date"))
    visits = []
    for participant_id, start in Enrolment.objects.filter(
        programme=drop_in, end_date__isnull=True
    ).values_list("participant_id", "start_date"):
        rate = rng.choice([0.15, 0.25, 0.35])
        for day in open_days:
            if day < max(start, first) or day >= world.today - 90 * DAY:
                continue
            if (participant_id, day) not in recorded and rng.random() < rate:
                visits.append(
                    Visit(
                        participant_id=participant_id, programme=drop_in, date=day, recorded_by=by
                    )
                )
    return visits


def _anonymous(world, drop_in, days, by) -> None:  # type: ignore[no-untyped-def]
    """L7: a few visitors a day counted without names, one click each."""
    rng = world.rng
    AnonymousVisit.objects.bulk_create(
        AnonymousVisit(
            programme=drop_in,
            date=day,
            delta=1,
            token=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            recorded_by=by,
        )
        for day in days
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3]))
    )


def _plans(world, places) -> None:  # type: ignore[no-untyped-def]
    """R12, R13: a plan within two weeks of the start; follow-ups one interval apart, most
    on time and some late, until the place ended."""
    rng = world.rng
    methods = list(
        Method.objects.filter(name__in=["Supported Employment", "Lågaffektivt bemötande"])
    )
    plans = []
    for place in places:
        established = min(place.start_date + DAY * rng.randint(5, 14), place.end_date)
        renewal = place.programme.renewal_delta()
        plans.append(
            Plan(
                enrolment=place,
                established_on=established,
                goals="Komma igång med regelbunden arbetsträning och pröva olika uppgifter.",
                participation="Personen vill börja med förmiddagar.",
                collaboration="Avstämning med boendestödet om rutiner på morgonen.",
                summary="Arbetsträning med fokus på rutiner; följs upp enligt intervall.",
                created_by=place.contact_person,
                updated_by=place.contact_person,
                renewal_due=established + renewal if renewal else None,
            )
        )
    follow_ups = []
    for plan in plans:
        day, end = plan.established_on, plan.enrolment.end_date
        assert end is not None  # every place of the history has ended
        while (due := plan.due_after(day)) is not None and due < end:
            done = due + DAY * rng.choice([-6, -4, -2, -1, -1, 0, 0, 3, 9])
            if done >= end:
                break
            follow_ups.append((plan, done))
            day = done
        plan.follow_up_due = plan.due_after(day)
    Plan.objects.bulk_create(plans)
    for plan in plans:
        plan.created_at = plan.updated_at = _at(plan.established_on)
    Plan.objects.bulk_update(plans, ["created_at", "updated_at"])
    Plan.methods.through.objects.bulk_create(
        Plan.methods.through(plan=plan, method=method) for plan in plans for method in methods
    )
    activities = PlanActivity.objects.bulk_create(
        PlanActivity(plan=plan, position=position, **row)
        for plan in plans
        for position, row in enumerate(ACTIVITIES)
    )
    rows = FollowUp.objects.bulk_create(
        FollowUp(
            plan=plan,
            date=day,
            attendees="Personen och kontaktman",
            progress=rng.choice(
                ["Kommer de flesta dagar.", "Trött på måndagar; vill fortsätta.", "Går framåt."]
            ),
            next_steps="Fortsätta enligt planen.",
            created_by=plan.created_by,
        )
        for plan, day in follow_ups
    )
    by_plan: dict[int, list[PlanActivity]] = {}
    for activity in activities:
        by_plan.setdefault(activity.plan_id, []).append(activity)
    statuses = [Progress.ON_THE_WAY, Progress.ACHIEVED, Progress.NOT_STARTED]
    GoalProgress.objects.bulk_create(
        GoalProgress(
            follow_up=row,
            position=position,
            activity=activity,
            goal=activity.goal if activity else row.plan.goals,
            status=rng.choice(statuses),
        )
        for row in rows
        for position, activity in enumerate([None, *by_plan[row.plan_id]])
    )
    # The place's copy of the plan's schedule (decision 0008), as Plan.save() writes it.
    Enrolment.objects.bulk_update(
        [
            Enrolment(
                pk=plan.enrolment_id,
                plan_follow_up_due=plan.follow_up_due,
                plan_renewal_due=plan.renewal_due,
            )
            for plan in plans
        ],
        ["plan_follow_up_due", "plan_renewal_due"],
    )


def _assessments(world, unit, places, by) -> None:  # type: ignore[no-untyped-def]
    """R10: the occupational therapist assessed every other trainee early in the place."""
    instruments = {i.name: i for i in AssessmentInstrument.objects.filter(name__in=["AWP", "WRI"])}
    Assessment.objects.bulk_create(
        Assessment(
            participant=place.participant,
            unit=unit,
            instrument=instruments["AWP" if index % 4 == 0 else "WRI"],
            date=min(place.start_date + DAY * 14, place.end_date),
            assessor=by,
            conclusions="Klarar enklare uppgifter i kök och servering några timmar per dag.",
        )
        for index, place in enumerate(p for p in places if p.programme.is_work_training)
        if index % 2 == 0
    )
