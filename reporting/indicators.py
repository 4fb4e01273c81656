"""R19: the fixed catalogue of indicators a goal is measured by, computed from the register.

Each indicator is a function of the unit and a list of periods; a goal shows target and
actual for its year and the two years before, computed together: a few queries per
indicator for the three years, whatever the data, every count made in the database."""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from activities.calendar import opening_days
from activities.models import ActivityKind, SessionAttendance
from employment.figures import period_figures
from employment.models import EmploymentProgramme
from lotsen.days import whole_days
from lotsen.models import CapacityKind, Unit
from lotsen.sql import AddInterval, Median, as_statistics_median
from participants.models import (
    Enrolment,
    HousingSupport,
    HousingSupportOccasion,
    Outcome,
    Participant,
    Visit,
)
from plans.models import FollowUp, Plan
from referrals.models import ReferralStep, Status
from referrals.statistics import WAITED
from reporting.figures import unit_kind
from reporting.models import Goal, Indicator
from treatment.models import COMPLETED_OUTCOMES, CourseParticipant

NEXT_STEPS = [Outcome.EMPLOYMENT, Outcome.STUDIES, Outcome.INTERNSHIP, Outcome.LABOUR_MARKET]
Value = Decimal | None


def _share(part: int, whole: int) -> Value:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


Period = tuple[datetime.date, datetime.date]
Values = Callable[[Unit, list[Period]], list[Value]]


def _span(periods: list[Period]) -> Period:
    return min(p[0] for p in periods), max(p[1] for p in periods)


def next_step_shares(unit: Unit, periods: list[Period]) -> list[Value]:
    ended = Enrolment.objects.filter(
        programme__unit=unit, programme__is_work_training=True, end_date__range=_span(periods)
    ).exclude(outcome="")
    counts = ended.aggregate(
        **{f"all{i}": Count("pk", filter=Q(end_date__range=p)) for i, p in enumerate(periods)},
        **{
            f"next{i}": Count("pk", filter=Q(end_date__range=p, outcome__in=NEXT_STEPS))
            for i, p in enumerate(periods)
        },
    )
    return [_share(counts[f"next{i}"], counts[f"all{i}"]) for i in range(len(periods))]


def next_step_share(unit: Unit, start: datetime.date, end: datetime.date) -> Value:
    return next_step_shares(unit, [(start, end)])[0]


def housing_support_change(unit: Unit, start: datetime.date, end: datetime.date) -> Value:
    """Mean change in hours of boendestöd a week, for those who left in the period: from
    their first record at start to their last at leaving (up to the end of the period)."""
    records = HousingSupport.objects.filter(participant=OuterRef("pk"), recorded_on__lte=end)
    first = records.filter(occasion=HousingSupportOccasion.START).order_by("recorded_on")
    last = records.filter(occasion=HousingSupportOccasion.LEAVE).order_by("-recorded_on")
    got = (
        Participant.objects.filter(
            Exists(Enrolment.objects.filter(participant=OuterRef("pk"), programme__unit=unit)),
            Exists(
                HousingSupport.objects.filter(
                    participant=OuterRef("pk"),
                    occasion=HousingSupportOccasion.LEAVE,
                    recorded_on__range=(start, end),
                )
            ),
        )
        .annotate(
            first=Subquery(first.values("hours_per_week")[:1]),
            last=Subquery(last.values("hours_per_week")[:1]),
        )
        .filter(first__isnull=False, last__isnull=False)
        .aggregate(total=Sum(F("last") - F("first")), n=Count("pk"))
    )
    if not got["n"]:
        return None
    return (got["total"] / got["n"]).quantize(Decimal("0.1"))


def open_days_each(unit: Unit, periods: list[Period]) -> list[Value]:
    days = opening_days(unit, *_span(periods))
    return [Decimal(sum(d.is_open for d in days if s <= d.date <= e)) for s, e in periods]


def open_days(unit: Unit, start: datetime.date, end: datetime.date) -> Value:
    return open_days_each(unit, [(start, end)])[0]


def median_waits(unit: Unit, periods: list[Period]) -> list[Value]:
    steps = ReferralStep.objects.filter(
        referral__unit=unit, to_status=Status.ACCEPTED, on__range=_span(periods)
    )
    if connection.vendor != "postgresql":
        rows = list(steps.annotate(days=WAITED).values_list("on", "days"))
        medians = [
            statistics.median(days) if (days := [d for on, d in rows if s <= on <= e]) else None
            for s, e in periods
        ]
    else:
        got = steps.aggregate(
            **{f"n{i}": Count("pk", filter=Q(on__range=p)) for i, p in enumerate(periods)},
            **{f"m{i}": Median(WAITED, filter=Q(on__range=p)) for i, p in enumerate(periods)},
        )
        medians = [as_statistics_median(got[f"m{i}"], got[f"n{i}"]) for i in range(len(periods))]
    # Whole days, as every page shows a waiting time (lotsen.days).
    return [None if (whole := whole_days(m)) is None else Decimal(whole) for m in medians]


def median_wait(unit: Unit, start: datetime.date, end: datetime.date) -> Value:
    return median_waits(unit, [(start, end)])[0]


def follow_ups_on_time_each(unit: Unit, periods: list[Period]) -> list[Value]:
    """R13: of the follow-ups due in the period (one interval after the plan or the previous
    follow-up), the share done by their due date. One still not done counts as late, and so
    does one done late; a place that ended before the due date owed none."""
    today = timezone.localdate()
    plans = Plan.objects.filter(enrolment__programme__unit=unit)
    interval = (
        F("enrolment__programme__follow_up_interval"),
        F("enrolment__programme__follow_up_interval_unit"),
    )
    # One day per plan at most (a constraint): the previous follow-up is the latest before.
    previous = FollowUp.objects.filter(plan=OuterRef("plan"), date__lt=OuterRef("date"))
    done = (
        FollowUp.objects.filter(plan__in=plans, date__range=_span(periods))
        .annotate(
            due=AddInterval(
                Coalesce(
                    Subquery(previous.order_by("-date").values("date")[:1]),
                    F("plan__established_on"),
                ),
                *(F(f"plan__{f.name}") for f in interval),
            )
        )
        .aggregate(
            **{
                f"due{i}": Count("pk", filter=Q(date__range=(s, e), plan__established_on__lte=e))
                for i, (s, e) in enumerate(periods)
            },
            **{
                f"on_time{i}": Count(
                    "pk",
                    filter=Q(date__range=(s, e), plan__established_on__lte=e)
                    & (Q(due__isnull=True) | Q(date__lte=F("due"))),
                )
                for i, (s, e) in enumerate(periods)
            },
        )
    )
    latest = FollowUp.objects.filter(plan=OuterRef("pk")).order_by("-date").values("date")[:1]
    missed = (
        plans.filter(established_on__lte=_span(periods)[1])
        .annotate(missed=AddInterval(Coalesce(Subquery(latest), F("established_on")), *interval))
        .filter(Q(enrolment__end_date__isnull=True) | Q(enrolment__end_date__gte=F("missed")))
        .aggregate(
            **{
                f"missed{i}": Count(
                    "pk",
                    filter=Q(established_on__lte=e, missed__gte=s, missed__lt=min(e, today)),
                )
                for i, (s, e) in enumerate(periods)
            }
        )
    )
    return [
        _share(done[f"on_time{i}"], done[f"due{i}"] + missed[f"missed{i}"])
        for i in range(len(periods))
    ]


def follow_ups_on_time(unit: Unit, start: datetime.date, end: datetime.date) -> Value:
    return follow_ups_on_time_each(unit, [(start, end)])[0]


def training_hours_uses(unit: Unit, periods: list[Period]) -> list[Value]:
    """R5: hours attended in first-step training against the shared hours a week, per week."""
    training = list(
        unit.programmes.filter(is_work_training=True).values_list("pk", "capacity_kind", "capacity")
    )
    capacity = sum(
        c for _pk, kind, c in training if kind == CapacityKind.HOURS_PER_WEEK and c is not None
    )
    if not capacity:
        return [None for _p in periods]
    hours = Visit.objects.filter(
        programme__in=[pk for pk, _kind, _c in training], date__range=_span(periods)
    ).aggregate(**{f"h{i}": Sum("hours", filter=Q(date__range=p)) for i, p in enumerate(periods)})
    values = []
    for i, (start, end) in enumerate(periods):
        weeks = Decimal((end - start).days + 1) / 7
        values.append(_share(int(hours[f"h{i}"] or Decimal(0)), int(capacity * weeks)))
    return values


def training_hours_use(unit: Unit, start: datetime.date, end: datetime.date) -> Value:
    return training_hours_uses(unit, [(start, end)])[0]


def _each(compute: Callable[[Unit, datetime.date, datetime.date], Value]) -> Values:
    """An indicator computed one period at a time."""
    return lambda unit, periods: [compute(unit, start, end) for start, end in periods]


def _ips(field: str) -> Callable[[Unit, datetime.date, datetime.date], Value]:
    def compute(unit: Unit, start: datetime.date, end: datetime.date) -> Value:
        programme = EmploymentProgramme.objects.filter(programme__unit=unit).first()
        if programme is None:
            return None
        team = period_figures(programme, start=start, end=end, today=end).team
        value = getattr(team, field)
        return Decimal(len(value) if isinstance(value, set) else value)

    return compute


def course_completed_share(unit: Unit, start: datetime.date, end: datetime.date) -> Value:
    left = CourseParticipant.objects.filter(
        course__programme__unit=unit, left_on__range=(start, end)
    ).exclude(outcome="")
    counts = left.aggregate(
        all=Count("pk"),
        done=Count("pk", filter=Q(outcome__in=COMPLETED_OUTCOMES)),
    )
    return _share(counts["done"], counts["all"])


def group_attendances(unit: Unit, start: datetime.date, end: datetime.date) -> Value:
    return Decimal(
        SessionAttendance.objects.filter(
            session__activity__unit=unit,
            session__activity__kind=ActivityKind.GROUP_TREATMENT,
            session__date__range=(start, end),
            session__cancelled=False,
        ).count()
    )


# Each indicator over a list of periods (a goal's three years), in a few queries for all.
CATALOGUE: dict[str, Values] = {
    Indicator.NEXT_STEP_SHARE: next_step_shares,
    Indicator.HOUSING_SUPPORT_CHANGE: _each(housing_support_change),
    Indicator.OPEN_DAYS: open_days_each,
    Indicator.MEDIAN_WAIT: median_waits,
    Indicator.FOLLOW_UPS_ON_TIME: follow_ups_on_time_each,
    Indicator.TRAINING_HOURS_USE: training_hours_uses,
    Indicator.IPS_GOT_WORK: _each(_ips("got_work")),
    Indicator.IPS_STARTED_STUDIES: _each(_ips("started_studies")),
    Indicator.IPS_NEW_CASES: _each(_ips("new_cases")),
    Indicator.COURSE_COMPLETED_SHARE: _each(course_completed_share),
    Indicator.GROUP_ATTENDANCES: _each(group_attendances),
}


# Which indicators a unit is offered, by the kind of report its programmes make (decision
# 0017): a unit sees its own programmes' figures, never another's. Every unit has a queue.
FOR_EVERY_UNIT = [Indicator.MEDIAN_WAIT]
BY_KIND = {
    "day_activity": [
        Indicator.NEXT_STEP_SHARE,
        Indicator.HOUSING_SUPPORT_CHANGE,
        Indicator.OPEN_DAYS,
        Indicator.FOLLOW_UPS_ON_TIME,
        Indicator.TRAINING_HOURS_USE,
    ],
    "ips": [Indicator.IPS_GOT_WORK, Indicator.IPS_STARTED_STUDIES, Indicator.IPS_NEW_CASES],
    "treatment": [Indicator.COURSE_COMPLETED_SHARE, Indicator.GROUP_ATTENDANCES],
}


def indicators_for(unit: Unit) -> list[str]:
    """The indicators that apply to the unit's programmes, in the catalogue's order."""
    offered = {*FOR_EVERY_UNIT, *BY_KIND[unit_kind(unit)]}
    return [i for i in Indicator.values if i in offered]


# Indicators that count people or what they did: small values are hidden outside the unit.
COUNTS = {
    Indicator.IPS_GOT_WORK,
    Indicator.IPS_STARTED_STUDIES,
    Indicator.IPS_NEW_CASES,
    Indicator.GROUP_ATTENDANCES,
}


def _period(year: int, today: datetime.date) -> Period | None:
    """The year up to `today` for the current year; None for a future year."""
    start = datetime.date(year, 1, 1)
    return None if start > today else (start, min(today, datetime.date(year, 12, 31)))


def indicator_value(indicator: str, *, unit: Unit, year: int, today: datetime.date) -> Value:
    """The indicator over `year`, up to `today` for the current year; None for a future year."""
    return indicator_values(indicator, unit=unit, years=[year], today=today)[year]


def indicator_values(
    indicator: str, *, unit: Unit, years: list[int], today: datetime.date
) -> dict[int, Value]:
    """The indicator for each of `years` at once; None for a future year."""
    periods = {y: p for y in years if (p := _period(y, today)) is not None}
    values = CATALOGUE[indicator](unit, list(periods.values())) if periods else []
    return {y: dict(zip(periods, values, strict=True)).get(y) for y in years}


@dataclass
class Cell:
    year: int
    target: Decimal | None
    actual: Value


@dataclass
class GoalRow:
    goal: Goal
    title: str
    indicator: str
    indicator_label: str
    comment: str
    cells: list[Cell]

    @property
    def is_count(self) -> bool:
        return self.indicator in COUNTS


def goal_rows(*, unit: Unit, year: int, today: datetime.date) -> list[GoalRow]:
    """The year's goals with target and actual for the year and the two years before; an
    earlier year's target is that year's goal with the same indicator, if there was one."""
    years = [year - 2, year - 1, year]
    goals = list(Goal.objects.filter(unit=unit, year__in=years))
    targets = {(g.year, g.indicator): g.target for g in goals}
    values: dict[str, dict[int, Value]] = {}
    rows = []
    for goal in (g for g in goals if g.year == year):
        if goal.indicator not in values:
            values[goal.indicator] = indicator_values(
                goal.indicator, unit=unit, years=years, today=today
            )
        cells = [
            Cell(y, targets.get((y, goal.indicator)), values[goal.indicator][y]) for y in years
        ]
        rows.append(
            GoalRow(
                goal,
                goal.title,
                goal.indicator,
                str(goal.get_indicator_display()),
                goal.comment,
                cells,
            )
        )
    return rows
