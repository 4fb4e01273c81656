"""Demo treatment at Beroendemottagningen: a year of history, so that every page shows
something real. Two primary groups run back to back all year (R18: two groups of 6-8),
an extended and a relapse course run now, a primary course about to start is below its
minimum, the motivation group has drop-in attendance for the year, people are measured at
every stage (R23), individual and evening sessions are recorded (R16), and the unit
manager (sara) has confirmed the last twelve monthly statements (R25).

The seeded course types, measures, stages and agreement come from the migration; this
module only adds history. The price indices are illustrative demo values, not published
OPI figures."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal

from activities.models import Activity, ActivityKind, Session, SessionAttendance
from lotsen.demo import DEMO_PASSWORD, FIRST_NAMES, LAST_NAMES, DemoWorld, skatteverket_numbers
from lotsen.models import Programme, Role, Unit, User
from participants.demo import register_person
from participants.identity import parse_identity
from participants.models import Participant, Visit
from treatment.models import (
    Agreement,
    Course,
    CourseOutcome,
    CourseParticipant,
    EarlyEndReason,
    IndividualKind,
    Measure,
    PriceIndex,
    Stage,
    StageAnchor,
)
from treatment.results import measurement_record, stage_due
from treatment.services import course_create, course_join, course_leave, individual_session_record
from treatment.statement import statement_confirm

T = datetime.time
# How far back the two primary groups run; a little over a year, so that the first
# people are due or measured at the 12-month follow-up.
HISTORY_WEEKS = 62
# Measurements due within this many days are left for the therapist's work list.
LEFT_FOR_THE_WORK_LIST = datetime.timedelta(days=7)
DEMO_INDICES = {2022: "2.6", 2023: "4.9", 2024: "4.1", 2025: "2.9", 2026: "2.5"}


def load(world: DemoWorld) -> None:
    unit = Unit.objects.get(slug="beroendemottagningen")
    maria = world.staff["maria"]
    sara = _manager(unit)
    demo = _Demo(world, unit, maria)
    _price_indices(unit)
    demo.primary_streams()
    demo.now_running()
    demo.motivation_group()
    demo.individual_sessions()
    month = world.today.replace(day=1)
    for _ in range(12):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
        statement_confirm(unit=unit, month=month, reason="", today=world.today, by=sara)


def _manager(unit: Unit) -> User:
    sara = User.objects.create_user(
        username="sara",
        password=DEMO_PASSWORD,
        first_name="Sara",
        last_name="Berg",
        email="sara@lotsen.example",
        role=Role.MANAGER,
    )
    sara.units.add(unit)
    return sara


def _price_indices(unit: Unit) -> None:
    agreement = Agreement.objects.get(unit=unit)
    for year, percent in DEMO_INDICES.items():
        PriceIndex.objects.get_or_create(
            agreement=agreement, year=year, defaults={"percent": Decimal(percent)}
        )


class _Demo:
    def __init__(self, world: DemoWorld, unit: Unit, maria: User) -> None:
        self.world, self.unit, self.maria, self.rng = world, unit, maria, world.rng
        self.today = world.today
        used = set(Participant.objects.values_list("identity_number", flat=True))
        numbers = [n for n in skatteverket_numbers(born_between=(1958, 2000)) if n not in used]
        self.numbers: Iterator[str] = iter(self.rng.sample(numbers, 400))
        self.stages = list(Stage.objects.order_by("order"))
        self.measures = {m.slug: m for m in Measure.objects.all()}
        self.people: list[Participant] = []

    def primary_streams(self) -> None:
        """Two groups all year: group A on Mondays and Wednesdays, group B on Tuesdays and
        Thursdays three weeks later, each course followed by the next."""
        primary = Programme.objects.get(slug="12-steg-primar")
        weeks = primary.course_type.weeks
        first = self.today - datetime.timedelta(weeks=HISTORY_WEEKS, days=self.today.weekday())
        for letter, weekdays, offset in (("A", [0, 2], 0), ("B", [1, 3], 3)):
            start = first + datetime.timedelta(weeks=offset)
            while start <= self.today:
                name = f"Primärgrupp {letter}, start {start.isoformat()}"
                self.course(primary, name, start, weekdays, T(9), T(11, 30), self.rng.randint(6, 7))
                start += datetime.timedelta(weeks=weeks)

    def now_running(self) -> None:
        """An extended course in the evening, a relapse course, and a primary course about
        to start with too few people (flagged to the therapists)."""
        monday = self.today - datetime.timedelta(days=self.today.weekday())
        extended = Programme.objects.get(slug="forlangd-behandling")
        relapse = Programme.objects.get(slug="aterfallsbehandling")
        primary = Programme.objects.get(slug="12-steg-primar")
        start = monday - datetime.timedelta(weeks=5)
        self.course(extended, "Förlängd grupp, kvällar", start, [1], T(17, 30), T(19, 30), 6)
        start = monday - datetime.timedelta(weeks=2)
        self.course(relapse, "Återfallsgrupp", start, [4], T(9), T(11, 30), 6)
        start = monday + datetime.timedelta(weeks=2)
        self.course(primary, "Primärgrupp C, kommande", start, [0, 2], T(13), T(15, 30), 4)

    def course(
        self,
        programme: Programme,
        name: str,
        start: datetime.date,
        weekdays: list[int],
        starts_at: datetime.time,
        ends_at: datetime.time,
        size: int,
    ) -> Course:
        course = course_create(
            programme=programme,
            name=name,
            start_date=start,
            weekdays=weekdays,
            starts_at=starts_at,
            ends_at=ends_at,
            place="Beroendemottagningen, gruppen",
            leaders=[self.maria],
            by=self.maria,
        )
        members = []
        for _ in range(size):
            person = self.person()
            membership, _created = course_join(
                course=course, participant=person, on=start, by=self.maria
            )
            members.append(membership)
        if start > self.today:
            return course
        leaving = {m.pk: self.leaving(course, m) for m in members}
        came = []
        for session in course.activity.sessions.filter(date__lt=self.today, cancelled=False):
            for m in members:
                left = leaving[m.pk][0]
                if (left is None or session.date <= left) and self.rng.random() < 0.85:
                    came.append((session, m.participant))
        self.attend(came, programme)
        for m in members:
            left, outcome, reason = leaving[m.pk]
            if left is not None:
                course_leave(
                    membership=m,
                    on=left,
                    outcome=outcome,
                    early_reason=reason,
                    by=self.maria,
                    today=self.today,
                )
                m.refresh_from_db()
            self.measure(m)
        return course

    def leaving(
        self, course: Course, membership: CourseParticipant
    ) -> tuple[datetime.date | None, str, str]:
        """Most complete the course; some end early with a reason, some go on to extended."""
        if course.end_date >= self.today:
            return None, "", ""
        roll = self.rng.random()
        if roll < 0.15:
            days = (course.end_date - course.start_date).days
            left = course.start_date + datetime.timedelta(days=self.rng.randint(7, days - 1))
            reason = self.rng.choice(EarlyEndReason.values)
            return left, CourseOutcome.ENDED_EARLY, reason
        if roll < 0.25:
            return course.end_date, CourseOutcome.MOVED_TO_EXTENDED, ""
        return course.end_date, CourseOutcome.COMPLETED, ""

    def measure(self, membership: CourseParticipant) -> None:
        """Every stage that fell due more than a week ago is measured; the newer ones
        are left for the work list."""
        values = self.intake_values()
        earliest = membership.joined_on  # nothing after intake is dated before it
        for stage in self.stages:
            due = stage_due(membership, stage)
            if due is None or due > self.today:
                continue
            if stage.anchor != StageAnchor.INTAKE and due > self.today - LEFT_FOR_THE_WORK_LIST:
                continue
            values = values if stage.anchor == StageAnchor.INTAKE else self.later(values)
            on = min(due + datetime.timedelta(days=self.rng.randint(0, 10)), self.today)
            on = max(on, earliest)
            earliest = on if stage.anchor == StageAnchor.INTAKE else earliest
            measurement_record(
                membership=membership,
                stage=stage,
                measured_on=on,
                values={self.measures[k]: v for k, v in values.items()},
                today=self.today,
                by=self.maria,
            )

    def intake_values(self) -> dict[str, str]:
        rng = self.rng
        values = {
            "audit": str(rng.randint(14, 32)),
            "alcohol-days": str(rng.randint(8, 26)),
            "housing": rng.choice(self.measures["housing"].choice_list),
            "occupation": rng.choice(self.measures["occupation"].choice_list),
            "health": str(rng.randint(1, 3)),
        }
        if rng.random() < 0.4:
            values |= {"dudit": str(rng.randint(8, 30)), "drug-days": str(rng.randint(4, 20))}
        return values

    def later(self, before: dict[str, str]) -> dict[str, str]:
        """A later measurement: on the whole better, sometimes a relapse."""
        rng = self.rng
        relapse = rng.random() < 0.2
        after = dict(before)
        for slug, low, high in (
            ("audit", 0, 40),
            ("dudit", 0, 44),
            ("alcohol-days", 0, 30),
            ("drug-days", 0, 30),
        ):
            if slug in before:
                change = rng.randint(0, 6) if relapse else -rng.randint(2, 9)
                after[slug] = str(max(low, min(high, int(before[slug]) + change)))
        after["health"] = str(max(1, min(5, int(before["health"]) + rng.choice([-1, 0, 1, 1]))))
        if not relapse and rng.random() < 0.3:
            after["occupation"] = rng.choice(["Arbete", "Studier", "Praktik eller arbetsträning"])
        return after

    def person(self) -> Participant:
        person = register_person(
            identity=parse_identity(next(self.numbers), today=self.today),
            first_name=self.rng.choice(FIRST_NAMES),
            last_name=self.rng.choice(LAST_NAMES),
            unit=self.unit,
            by=self.maria,
            gender=self.rng.choice(["woman", "man", "man"]),
        )
        self.people.append(person)
        return person

    def motivation_group(self) -> None:
        """Drop-in: a few people at each session, some before or after their course."""
        groups = Activity.objects.filter(unit=self.unit, kind=ActivityKind.MOTIVATION_GROUP)
        regulars = self.rng.sample(self.people, 30)
        sessions = Session.objects.filter(activity__in=groups, date__lt=self.today, cancelled=False)
        came = [
            (session, person)
            for session in sessions.order_by("date")
            for person in self.rng.sample(regulars, self.rng.randint(3, 7))
        ]
        self.attend(came, groups[0].programme)

    def attend(self, came: list[tuple[Session, Participant]], programme: Programme | None) -> None:
        """What attendance_mark does for one mark, in bulk: a year of sessions marked one by
        one would make the demo take minutes. Each attendance has its day's visit, as
        decision 0013 wants."""
        SessionAttendance.objects.bulk_create(
            SessionAttendance(session=s, participant=p, recorded_by=self.maria) for s, p in came
        )
        if programme is not None:
            Visit.objects.bulk_create(
                (
                    Visit(participant=p, programme=programme, date=s.date, recorded_by=self.maria)
                    for s, p in came
                ),
                ignore_conflicts=True,
            )

    def individual_sessions(self) -> None:
        """About one a week in the past year; every fourth in the evening."""
        programme = Programme.objects.get(slug="12-steg-primar")
        for week in range(52):
            day = self.today - datetime.timedelta(weeks=week, days=self.rng.randint(1, 5))
            if day.weekday() >= 5:
                day -= datetime.timedelta(days=2)
            evening = self.rng.random() < 0.25
            individual_session_record(
                participant=self.rng.choice(self.people),
                programme=programme,
                date=day,
                starts_at=T(18) if evening else T(self.rng.choice([10, 13, 15])),
                minutes=self.rng.choice([45, 60, 60, 90]),
                kind=self.rng.choice(IndividualKind.values),
                therapist=self.maria,
                today=self.today,
                by=self.maria,
            )
