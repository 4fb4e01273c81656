"""Demo attendance, opening calendar and group series, so a new user sees a realistic day."""

from __future__ import annotations

import datetime
import random
import uuid
from collections.abc import Callable
from decimal import Decimal

from activities.attendance import anonymous_visit_add, visit_mark
from activities.models import Activity, ActivityKind, ClosureDay, ExtraOpening
from activities.services import (
    activity_create,
    attendance_mark,
    member_add,
    session_cancel,
    session_move,
)
from lotsen.demo import DemoWorld
from lotsen.models import Programme, Unit, User
from participants.demo import person
from participants.models import Enrolment, Participant
from participants.services import enrolment_create

DAY = datetime.timedelta(days=1)
T = datetime.time


def load(world: DemoWorld) -> None:
    load_attendance(
        person=lambda numbers, unit, by: person(world, numbers, unit, by),  # type: ignore[arg-type]
        staff=world.staff,
        today=world.today,
        rng=world.rng,
        adults=world.adults,
    )


def load_attendance(
    *,
    person: Callable[[object, Unit, User], Participant],
    staff: dict[str, User],
    today: datetime.date,
    rng: random.Random,
    adults: object,
) -> None:
    lotsen = Unit.objects.get(slug="lotsen")
    beroende = Unit.objects.get(slug="beroendemottagningen")
    _calendar(lotsen, staff["eva"], today)
    _more_regulars(person, lotsen, staff["anna"], today, rng, adults)
    _training_hours(lotsen, staff["anna"], today, rng)
    _anonymous(lotsen, staff["anna"], today, rng)
    _lotsen_activities(lotsen, staff, today, rng)
    _beroende_groups(person, beroende, staff["maria"], today, rng, adults)


def _calendar(unit: Unit, by: User, today: datetime.date) -> None:
    """R16: every third Saturday open for the next three months; a planning day (L8)."""
    saturday = today + datetime.timedelta(days=(5 - today.weekday()) % 7 or 7)
    for n in range(0, 13, 3):
        ExtraOpening.objects.create(
            unit=unit,
            date=saturday + datetime.timedelta(weeks=n),
            opens=T(11),
            closes=T(15),
            note="Helgöppet",
            created_by=by,
        )
    planning = today + datetime.timedelta(days=(4 - today.weekday()) % 7 + 14)
    ClosureDay.objects.create(unit=unit, date=planning, reason="Planeringsdag", created_by=by)


def _more_regulars(person, unit, by, today, rng, adults) -> None:  # type: ignore[no-untyped-def]
    """Enough regular visitors that today's sheet has about 40 people."""
    drop_in = Programme.objects.get(slug="basverksamhet")
    for _ in range(12):
        enrolment_create(
            participant=person(adults, unit, by),
            programme=drop_in,
            start_date=today - datetime.timedelta(days=rng.randint(20, 300)),
            by=by,
        )


def _training_hours(unit: Unit, by: User, today: datetime.date, rng: random.Random) -> None:
    """Six weeks of attended hours for trainees; the first trainee has dropped below R6."""
    places = list(
        Enrolment.objects.filter(programme__unit=unit, programme__is_work_training=True)
        .select_related("programme", "participant")
        .order_by("start_date")
    )
    # Anna's longest-running trainee has come less and less: her home page shows the warning.
    low = next(
        p for p in places if p.contact_person_id == by.pk and p.programme.slug == "forstegstraning"
    )
    for place in places:
        struggling = place == low
        for days_ago in range(1, 43):
            day = today - days_ago * DAY
            if day.weekday() >= 5 or day < place.start_date or rng.random() < 0.25:
                continue
            hours = Decimal("1") if struggling and days_ago < 22 else Decimal(rng.choice([2, 3, 4]))
            if struggling and days_ago < 22 and day.weekday() > 1:
                continue
            visit_mark(
                participant=place.participant,
                programme=place.programme,
                day=day,
                hours=hours,
                by=by,
                today=today,
            )


def _anonymous(unit: Unit, by: User, today: datetime.date, rng: random.Random) -> None:
    """L7: drop-in visitors counted without names over the last weeks."""
    drop_in = Programme.objects.get(slug="basverksamhet")
    for days_ago in range(1, 30):
        day = today - days_ago * DAY
        if day.weekday() >= 5:
            continue
        for _ in range(rng.randint(0, 5)):
            anonymous_visit_add(
                programme=drop_in,
                day=day,
                delta=1,
                token=str(uuid.uuid4()),
                by=by,
                today=today,
            )


def _series(unit: Unit, by: User, leaders: list[User], **fields: object) -> Activity:
    return activity_create(unit=unit, by=by, leaders=leaders, **fields)  # type: ignore[arg-type]


def _lotsen_activities(
    unit: Unit, staff: dict[str, User], today: datetime.date, rng: random.Random
) -> None:
    anna, omar = staff["anna"], staff["omar"]
    start = today - datetime.timedelta(weeks=4)
    young = _series(
        unit,
        anna,
        [anna, omar],
        programme=Programme.objects.get(slug="yngre-lotsen"),
        kind=ActivityKind.ACTIVITY,
        title="Yngre Lotsen: torsdagsaktivitet",
        place="Lotsen, stora rummet",
        description="Bowling, matlagning eller promenad; deltagarna väljer.",
        weekdays=[3],
        first_date=start,
        last_date=today + datetime.timedelta(weeks=12),
        starts_at=T(14),
        ends_at=T(16),
        max_participants=12,
    )
    isa_people = [
        e.participant
        for e in Enrolment.objects.filter(programme__slug="team-isa").select_related("participant")
    ]
    _attend_past(young, isa_people, anna, today, rng)
    esl = _series(
        unit,
        omar,
        [omar],
        kind=ActivityKind.ESL_GROUP,
        title="ESL – Ett självständigt liv",
        place="Lotsen, grupprummet",
        weekdays=[1],
        first_date=start,
        last_date=today + datetime.timedelta(weeks=8),
        starts_at=T(10),
        ends_at=T(11, 30),
        max_participants=8,
    )
    trainees = [
        e.participant
        for e in Enrolment.objects.filter(programme__slug="forstegstraning").select_related(
            "participant"
        )[:6]
    ]
    for participant in trainees:
        member_add(activity=esl, participant=participant, by=omar)
    _attend_past(esl, trainees, omar, today, rng)
    coming = [s for s in esl.sessions.all() if s.date > today]
    if len(coming) > 2:
        session_cancel(session=coming[1], reason="Ledaren på utbildning", by=omar)
        moved = coming[2]
        session_move(
            session=moved,
            date=moved.date + DAY,
            starts_at=T(13),
            ends_at=T(14, 30),
            place="",
            by=omar,
        )
    for weeks, kind, title in (
        (1, ActivityKind.INFORMATION_MEETING, "Informationsmöte om Lotsen"),
        (3, ActivityKind.STUDY_VISIT, "Studiebesök från boendestödet"),
        (5, ActivityKind.INFORMATION_MEETING, "Informationsmöte om Team ISA (18–35 år)"),
    ):
        day = _next_weekday(today + datetime.timedelta(weeks=weeks), 0, unit)
        _series(
            unit,
            staff["eva"],
            [staff["eva"], anna],
            kind=kind,
            title=title,
            place="Lotsen, caféet",
            weekdays=[],
            first_date=day,
            last_date=day,
            starts_at=T(13),
            ends_at=T(14),
            is_public=True,
        )


def _next_weekday(day: datetime.date, weekday: int, unit: Unit) -> datetime.date:
    from activities.calendar import opening_days

    day += datetime.timedelta(days=(weekday - day.weekday()) % 7)
    while not opening_days(unit, day, day)[0].is_open:
        day += datetime.timedelta(weeks=1)
    return day


def _attend_past(
    activity: Activity,
    people: list[Participant],
    by: User,
    today: datetime.date,
    rng: random.Random,
) -> None:
    for session in activity.sessions.filter(date__lt=today):
        for participant in people:
            if rng.random() < 0.7:
                attendance_mark(session=session, participant=participant, by=by, today=today)


def _beroende_groups(person, unit, maria, today, rng, adults) -> None:  # type: ignore[no-untyped-def]
    """R18: the motivation group two days a week, the past year's series and this term's
    (a series is at most a year). The 12-step groups are treatment courses (treatment.demo),
    which also marks who came to the motivation group."""
    term = today - datetime.timedelta(weeks=8, days=today.weekday())
    for first, last in (
        (term - datetime.timedelta(weeks=48), term - DAY),
        (term, today + datetime.timedelta(weeks=10)),
    ):
        _series(
            unit,
            maria,
            [maria],
            programme=Programme.objects.get(slug="motivationsgrupp"),
            kind=ActivityKind.MOTIVATION_GROUP,
            title="Motivationsgruppen",
            place="Beroendemottagningen, rum 2",
            weekdays=[1, 3],
            first_date=first,
            last_date=last,
            starts_at=T(13),
            ends_at=T(14, 30),
        )
