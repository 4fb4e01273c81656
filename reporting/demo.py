"""Demo: each unit's manager has begun this year's report, with goals and last year's text;
Lotsen's retention proposal offers a person and a referral from long ago (L3); Lotsen's two
earlier years for those years' reports (`demo_history`)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings

from lotsen.demo import DemoWorld
from lotsen.models import Programme, Role, Unit, User
from participants.demo import register_person
from participants.identity import parse_identity
from participants.models import Outcome, Participant
from participants.services import enrolment_create, enrolment_end, visit_record
from referrals.models import Referral, Status
from referrals.services import referral_from_web, referral_move
from reporting import demo_history
from reporting.models import Goal, Indicator, ReportText
from reporting.retention import retention_propose

GOALS = {
    "lotsen": [
        ("Fler går vidare till arbete, studier eller praktik", Indicator.NEXT_STEP_SHARE, 40),
        ("Öppet som beställt", Indicator.OPEN_DAYS, 230),
        ("Planer följs upp i tid", Indicator.FOLLOW_UPS_ON_TIME, 90),
    ],
    "hantverkshuset": [
        ("Fler får arbete", Indicator.IPS_GOT_WORK, 6),
        ("Kort väntetid", Indicator.MEDIAN_WAIT, 30),
    ],
    "beroendemottagningen": [
        ("Fler fullföljer primärbehandlingen", Indicator.COURSE_COMPLETED_SHARE, 75),
    ],
}
TEXT = {
    "introduction": (
        "Året har präglats av ett nära samarbete med boendestödet och med "
        "arbetsmarknadsförvaltningen. Deltagarna har varit med och planerat verksamheten."
    ),
    "quality_work": (
        "Egenkontroll av planuppföljningar varje månad, utbildning i lågaffektivt bemötande "
        "och en genomgång av rutinen för avvikelser."
    ),
}


def load(world: DemoWorld) -> None:
    year = world.today.year
    for unit in Unit.objects.filter(slug__in=GOALS):
        by = User.objects.filter(units=unit, role=Role.MANAGER).first()
        for title, indicator, target in GOALS[unit.slug]:
            for y in (year - 1, year):
                Goal.objects.create(
                    unit=unit,
                    year=y,
                    title=title,
                    indicator=indicator,
                    target=Decimal(target),
                    created_by=by,
                )
        ReportText.objects.create(unit=unit, year=year, revision=1, saved_by=by, **TEXT)
    _retention(world)  # first: it takes the next test numbers, the history the unused ones
    demo_history.load(world)


def _retention(world: DemoWorld) -> None:
    """Someone who last came to Lotsen's drop-in more than five years ago, and a web referral
    withdrawn as long ago without ever being linked: this year's proposal offers both, so the
    manager (eva) sees the retention page at work. Fixed dates, no draws from the shared
    random source: the demo's other data stay as they were."""
    lotsen, anna = Unit.objects.get(slug="lotsen"), world.staff["anna"]
    long_ago = world.today - relativedelta(years=7)
    identity = parse_identity(next(world.adults), today=world.today)
    while identity.birth_date.day in settings.RETENTION_EXEMPT_BIRTH_DAYS:
        identity = parse_identity(next(world.adults), today=world.today)
    first, last = next(world.names)
    person = register_person(
        identity=identity, first_name=first, last_name=last, unit=lotsen, by=anna
    )
    drop_in = Programme.objects.get(slug="basverksamhet")
    place = enrolment_create(participant=person, programme=drop_in, start_date=long_ago, by=anna)
    for weeks in range(0, 40, 4):
        day = long_ago + datetime.timedelta(weeks=weeks)
        visit_record(participant=person, programme=drop_in, date=day, by=anna)
    ended = long_ago + relativedelta(months=10)
    enrolment_end(enrolment=place, on=ended, outcome=Outcome.MOVED, note="", by=anna)
    _registered_on(Participant, person.pk, long_ago)
    first, last = next(world.names)
    referral, _new = referral_from_web(
        unit=lotsen,
        name=f"{first} {last}",
        contact="070-000 00 00",
        programme=drop_in,
        interest="Vill komma och fika och träffa andra.",
        submission_key="demo-retention",
        today=long_ago,
    )
    for to, days in ((Status.CONTACTED, 3), (Status.WITHDRAWN, 10)):
        on = long_ago + datetime.timedelta(days=days)
        note = "Tackade nej när vi ringde." if to == Status.WITHDRAWN else ""
        referral_move(
            referral=referral, to=to, on=on, note=note, by=anna, revision=None, today=world.today
        )
    _registered_on(Referral, referral.pk, long_ago)
    retention_propose(unit=lotsen, today=world.today)


def _registered_on(model: type[Participant] | type[Referral], pk: int, day: datetime.date) -> None:
    """Typed in on that day, not today (the record's first entry, L3)."""
    at = datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)
    model.objects.filter(pk=pk).update(created_at=at)
