"""Demo: each unit's manager has begun this year's report, with goals and last year's text;
Lotsen's two earlier years for those years' reports (`demo_history`)."""

from __future__ import annotations

from decimal import Decimal

from lotsen.demo import DemoWorld
from lotsen.models import Role, Unit, User
from reporting import demo_history
from reporting.models import Goal, Indicator, ReportText

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
    demo_history.load(world)
