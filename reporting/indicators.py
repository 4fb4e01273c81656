"""R19: the fixed catalogue of indicators a goal is measured by, computed from the register.

Each indicator is a function of (unit, start, end); a goal shows target and actual for its
year and the two years before. A few queries per indicator and year, whatever the data."""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone

from activities.calendar import opening_days
from activities.models import ActivityKind, SessionAttendance
from employment.figures import period_figures
from employment.models import EmploymentProgramme
from lotsen.models import Unit
from participants.models import Enrolment, HousingSupport, HousingSupportOccasion, Outcome, Visit
from plans.models import Plan
from referrals.models import ReferralStep, Status
from reporting.models import Goal, Indicator
from treatment.models import CourseOutcome, CourseParticipant

NEXT_STEPS = [Outcome.EMPLOYMENT, Outcome.STUDIES, Outcome.INTERNSHIP, Outcome.LABOUR_MARKET]
Value = Decimal | None


def _share(part: int, whole: int) -> Value:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def next_step_share(unit: Unit, start: datetime.date, end: datetime.date) -> Value:
    ended = Enrolment.objects.filter(
        programme__unit=unit, programme__is_work_training=True, end_date__range=(start, end)
    ).exclude(outcome="")
    counts = ended.aggregate(all=Count("pk"), next=Count("pk", filter=Q(outcome__in=NEXT_STEPS)))
    return _share(counts["next"], counts["all"])


def housing_support_change(unit: Unit, start: datetime.date, end: datetime.date) -> Value:
    """Mean change in hours of boendestöd a week, for those who left in the period."""
    records = HousingSupport.objects.filter(
        participant__enrolments__programme__unit=unit,
        participant__housing_support__occasion=HousingSupportOccasion.LEAVE,
        participant__housing_support__recorded_on__range=(start, end),
        recorded_on__lte=end,
    ).distinct()
    first: dict[int, tuple[datetime.date, Decimal]] = {}
    last: dict[int, tuple[datetime.date, Decimal]] = {}
    for r in records.values("participant_id", "occasion", "recorded_on", "hours_per_week"):
        pid, day, hours = r["participant_id"], r["recorded_on"], r["hours_per_week"]
        if r["occasion"] == HousingSupportOccasion.START and (
            pid not in first or day < first[pid][0]
        ):
            first[pid] = (day, hours)
        if r["occasion"] == HousingSupportOccasion.LEAVE and (
            pid not in last or day > last[pid][0]
        ):
            last[pid] = (day, hours)
    changes = [last[p][1] - first[p][1] for p in last if p in first]
    if not changes:
        return None
    return (sum(changes, Decimal(0)) / len(changes)).quantize(Decimal("0.1"))


def open_days(unit: Unit, start: datetime.date, end: datetime.date) -> Value:
    return Decimal(sum(d.is_open for d in opening_days(unit, start, end)))


def median_wait(unit: Unit, start: datetime.date, end: datetime.date) -> Value:
    days = [
        (on - received).days
        for received, on in ReferralStep.objects.filter(
            referral__unit=unit, to_status=Status.ACCEPTED, on__range=(start, end)
        ).values_list("referral__received_on", "on")
    ]
    return Decimal(str(statistics.median(days))) if days else None


def follow_ups_on_time(unit: Unit, start: datetime.date, end: datetime.date) -> Value:
    """R13: of the follow-ups due in the period (one interval after the plan or the previous
    follow-up), the share done by their due date. One still not done counts as late, and so
    does one done late; a place that ended before the due date owed none."""
    cutoff = min(end, timezone.localdate())
    plans = (
        Plan.objects.filter(enrolment__programme__unit=unit, established_on__lte=end)
        .select_related("enrolment__programme")
        .prefetch_related("follow_ups")
    )
    due_count = on_time = 0
    for plan in plans:
        previous = plan.established_on
        for f in sorted(plan.follow_ups.all(), key=lambda f: f.date):
            due = plan.due_after(previous)
            if start <= f.date <= end:
                due_count += 1
                on_time += due is None or f.date <= due
            previous = f.date
        missed = plan.due_after(previous)
        ended = plan.enrolment.end_date
        if missed is not None and start <= missed < cutoff and (ended is None or ended >= missed):
            due_count += 1  # due in the period and still not done
    return _share(on_time, due_count)


def training_hours_use(unit: Unit, start: datetime.date, end: datetime.date) -> Value:
    """R5: hours attended in first-step training against the shared hours a week, per week."""
    capacity = (
        unit.programmes.filter(is_work_training=True, capacity_kind="hours_per_week").aggregate(
            c=Sum("capacity")
        )["c"]
        or 0
    )
    hours = Visit.objects.filter(
        programme__unit=unit, programme__is_work_training=True, date__range=(start, end)
    ).aggregate(h=Sum("hours"))["h"] or Decimal(0)
    weeks = Decimal((end - start).days + 1) / 7
    return _share(int(hours), int(capacity * weeks)) if capacity else None


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
        done=Count(
            "pk", filter=Q(outcome__in=[CourseOutcome.COMPLETED, CourseOutcome.MOVED_TO_EXTENDED])
        ),
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


CATALOGUE: dict[str, Callable[[Unit, datetime.date, datetime.date], Value]] = {
    Indicator.NEXT_STEP_SHARE: next_step_share,
    Indicator.HOUSING_SUPPORT_CHANGE: housing_support_change,
    Indicator.OPEN_DAYS: open_days,
    Indicator.MEDIAN_WAIT: median_wait,
    Indicator.FOLLOW_UPS_ON_TIME: follow_ups_on_time,
    Indicator.TRAINING_HOURS_USE: training_hours_use,
    Indicator.IPS_GOT_WORK: _ips("got_work"),
    Indicator.IPS_STARTED_STUDIES: _ips("started_studies"),
    Indicator.IPS_NEW_CASES: _ips("new_cases"),
    Indicator.COURSE_COMPLETED_SHARE: course_completed_share,
    Indicator.GROUP_ATTENDANCES: group_attendances,
}


def indicator_value(indicator: str, *, unit: Unit, year: int, today: datetime.date) -> Value:
    """The indicator over `year`, up to `today` for the current year; None for a future year."""
    start = datetime.date(year, 1, 1)
    if start > today:
        return None
    return CATALOGUE[indicator](unit, start, min(today, datetime.date(year, 12, 31)))


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


def goal_rows(*, unit: Unit, year: int, today: datetime.date) -> list[GoalRow]:
    """The year's goals with target and actual for the year and the two years before; an
    earlier year's target is that year's goal with the same indicator, if there was one."""
    years = [year - 2, year - 1, year]
    goals = list(Goal.objects.filter(unit=unit, year__in=years))
    targets = {(g.year, g.indicator): g.target for g in goals}
    values: dict[tuple[int, str], Value] = {}
    rows = []
    for goal in (g for g in goals if g.year == year):
        cells = []
        for y in years:
            key = (y, goal.indicator)
            if key not in values:
                values[key] = indicator_value(goal.indicator, unit=unit, year=y, today=today)
            cells.append(Cell(y, targets.get(key), values[key]))
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
