"""The figures of the annual activity report (verksamhetsberättelse, R20), from the records.

Every figure is as it was at the end of the period (`as_of`): past years are not read from
today's state. A fixed number of queries whatever the amount of data, each counted in the
database: visits come back added up by programme and day (at most a row per programme and
day), plans and follow-ups as counts, waiting times as a median (PostgreSQL; the embedded
SQLite sends the days).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Count, Exists, F, Max, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth, Greatest
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from activities.calendar import CalendarDay, OpeningCounts, opening_year
from activities.models import AnonymousVisit, Session, SessionAttendance
from employment.figures import period_figures
from employment.models import EmploymentProgramme
from lotsen.models import Programme, Unit
from lotsen.pdf import render_pdf
from lotsen.sql import AddInterval, DaysBetween, Median
from participants.models import Assessment, Enrolment, Outcome, Visit
from plans.models import FollowUp, Plan
from referrals.models import Referral, ReferralStep, Status
from referrals.services import WaitingFigures, waiting_figures, waiting_figures_of, waiting_from
from referrals.statistics import (
    WAITED,
    CollaborationFigures,
    ReferralFigures,
    accepted_steps,
    collaboration_figures,
    referral_figures,
)
from treatment.models import (
    COMPLETED_OUTCOMES,
    Agreement,
    Course,
    CourseOutcome,
    CourseParticipant,
    CourseType,
    EarlyEndReason,
)
from treatment.statement import performed_by_month, total


@dataclass
class ProgrammeRow:
    name: str
    participants: int
    new_places: int
    visits: int
    anonymous_visits: int = 0
    sessions: int = 0


@dataclass
class Attendance:
    """Visits counted without names (L7), training hours (R6) and group sessions (R17, R18)."""

    anonymous_visits: int
    training_hours: Decimal
    sessions_held: int
    sessions_cancelled: int
    session_attendances: int
    session_attendees: int


@dataclass
class AnnualFigures:
    unit: Unit
    year: int
    as_of: datetime.date
    participants: int
    new_places: int
    ended_places: int
    with_housing_support: int
    in_work_training: int
    visits: int
    visitors: int
    plans_overdue: int
    assessments: int
    opening: OpeningCounts  # the whole calendar year (R16, L8)
    open_days_to_date: int
    attendance: Attendance
    programmes: list[ProgrammeRow] = field(default_factory=list)
    referrals: ReferralFigures | None = None  # R2, R22
    collaboration: CollaborationFigures | None = None  # R4, R19
    kind: str = "day_activity"  # which commission the unit's report answers
    waiting_at_end: WaitingFigures | None = None  # R22: the list on `as_of`
    outcomes: list[tuple[str, int]] = field(default_factory=list)  # R11
    handed_over: int = 0  # R11: to the labour-market administration
    cost: Cost | None = None  # R25
    ips: IpsFigures | None = None  # R21
    treatment: TreatmentFigures | None = None  # R18, R20, R23
    months: list[MonthRow] = field(default_factory=list)
    weeks: list[tuple[str, Decimal]] = field(default_factory=list)  # training hours (R5)
    training_hours_per_week: Decimal | None = None  # the mean of `weeks`


def annual_figures(*, unit: Unit, year: int, today: datetime.date) -> AnnualFigures:
    start = datetime.date(year, 1, 1)
    # The period runs to today for the current year: planned starts and ends do not count.
    as_of = min(today, datetime.date(year, 12, 31))
    programmes = _programmes(unit, start, as_of)
    # Places by the unit's programme ids (known here): their index, not a scan of the register.
    ids = [p.pk for p in programmes]
    places = Enrolment.objects.filter(programme__in=ids).overlapping(start, as_of)
    totals = places.aggregate(
        participants=Count("participant", distinct=True),
        new_places=Count("pk", filter=Q(start_date__gte=start)),
        ended_places=Count("pk", filter=Q(end_date__lte=as_of) & ~Q(outcome="")),
        with_housing_support=Count(
            "participant", filter=Q(participant__has_housing_support=True), distinct=True
        ),
        in_work_training=Count(
            "participant", filter=Q(programme__is_work_training=True), distinct=True
        ),
    )
    visits = _visit_days(unit, start, as_of, programmes)
    kind = unit_kind(unit)
    referrals = referral_figures(unit=unit, year=year, today=today)
    attendance = _attendance(unit, start, as_of, visits)
    by_code = outcomes_by_code(ids, start, as_of)
    ips = _ips(unit, start, as_of, today) if kind == "ips" else None
    treatment = _treatment(unit, start, as_of) if kind == "treatment" else None
    if ips is not None:
        # R21, R25: the commission pays for the cases the team takes on, "20–25 enskilda
        # ärenden per år" per FTE: the year's new cases, not those still open at its end.
        services, service_label = ips.new_cases, _("nytt ärende")
    elif treatment is not None:
        services, service_label = treatment.attendances, _("deltagartillfälle i grupp")
    else:
        services = visits.total + attendance.anonymous_visits
        service_label = _("besök")
    days, opening = opening_year(unit, year)
    weeks = _training_weeks(visits.hours_by_week, days, as_of) if kind == "day_activity" else []
    return AnnualFigures(
        unit=unit,
        year=year,
        as_of=as_of,
        kind=kind,
        waiting_at_end=waiting_on(unit, as_of),
        outcomes=_outcomes(by_code),
        handed_over=dict(by_code).get(Outcome.LABOUR_MARKET, 0),
        cost=_cost(unit, year, totals["participants"], services, str(service_label)),
        ips=ips,
        treatment=treatment,
        months=_months(unit, start, as_of, visits),
        weeks=weeks,
        training_hours_per_week=_mean([hours for _week, hours in weeks]),
        plans_overdue=_overdue_on(ids, as_of),
        assessments=Assessment.objects.filter(unit=unit, date__range=(start, as_of)).count(),
        programmes=_programme_rows(programmes, visits),
        referrals=referrals,
        collaboration=collaboration_figures(unit=unit, year=year, today=today),
        opening=opening,
        open_days_to_date=sum(d.is_open for d in days if d.date <= as_of),
        attendance=attendance,
        visits=visits.total,
        visitors=visits.visitors,
        **totals,
    )


@dataclass
class _Counts:
    """Visits of a period added up in the database by programme and day (one row each), and
    the anonymous visits, sessions and attendances beside them, for every table of the
    report: by programme, by month and, for first-step training, hours by ISO week."""

    total: int = 0
    visitors: int = 0
    training_hours: Decimal | None = None
    by_programme: dict[int, int] = field(default_factory=dict)
    by_month: dict[int, int] = field(default_factory=dict)
    hours_by_week: dict[datetime.date, Decimal | None] = field(default_factory=dict)  # Mondays
    anonymous: int | None = None
    anonymous_by_programme: dict[int, int] = field(default_factory=dict)
    anonymous_by_month: dict[int, int] = field(default_factory=dict)
    held_by_programme: dict[int, int] = field(default_factory=dict)
    attended_by_month: dict[int, int] = field(default_factory=dict)


def _programmes(unit: Unit, start: datetime.date, end: datetime.date) -> list[Programme]:
    in_year = Q(enrolments__start_date__lte=end) & (
        Q(enrolments__end_date__isnull=True) | Q(enrolments__end_date__gte=start)
    )
    return list(
        unit.programmes.annotate(
            n_participants=Count("enrolments__participant", filter=in_year, distinct=True),
            n_new=Count(
                "enrolments", filter=Q(enrolments__start_date__range=(start, end)), distinct=True
            ),
        ).order_by("name")
    )


def _visit_days(
    unit: Unit, start: datetime.date, end: datetime.date, programmes: list[Programme]
) -> _Counts:
    training = {p.pk for p in programmes if p.is_work_training}
    counts = _Counts()
    by_day, counts.visitors = _visits_by_day([p.pk for p in programmes], start, end)
    for programme, day, n, hours in by_day:
        counts.total += n
        counts.by_programme[programme] = counts.by_programme.get(programme, 0) + n
        counts.by_month[day.month] = counts.by_month.get(day.month, 0) + n
        if programme in training:
            counts.training_hours = _add(counts.training_hours, hours)
            monday = _monday(day)
            counts.hours_by_week[monday] = _add(counts.hours_by_week.get(monday), hours)
    for programme, day, n in (
        AnonymousVisit.objects.filter(programme__unit=unit, date__range=(start, end))
        .values_list("programme", "date")
        .annotate(n=Sum("delta"))
        .order_by()
    ):
        counts.anonymous = (counts.anonymous or 0) + n
        by_programme, by_month = counts.anonymous_by_programme, counts.anonymous_by_month
        by_programme[programme] = by_programme.get(programme, 0) + n
        by_month[day.month] = by_month.get(day.month, 0) + n
    return counts


def _monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _training_weeks(
    hours_by_week: dict[datetime.date, Decimal | None],
    days: list[CalendarDay],
    as_of: datetime.date,
) -> list[tuple[str, Decimal]]:
    """R5: first-step training hours in every ISO week with an open day up to `as_of`, 0 when
    nobody trained; a week without an open day (a closure) is left out unless hours were
    noted in it. Nothing when no one trained in the whole period."""
    if not hours_by_week:
        return []
    open_weeks = {_monday(d.date) for d in days if d.is_open and d.date <= as_of}
    return [
        (f"{w.isocalendar()[1]:02d}", hours_by_week.get(w) or Decimal(0))
        for w in sorted(open_weeks | hours_by_week.keys())
    ]


def _mean(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"), ROUND_HALF_UP)


VisitDay = tuple[int, datetime.date, int, Decimal | None]


# Read from the visits' covering index alone (programme, date, with person and hours).
VISITS_BY_DAY_SQL = f"""
    SELECT programme_id, date, count(*), sum(hours), GROUPING(participant_id)
    FROM {Visit._meta.db_table}
    WHERE programme_id = ANY(%s::bigint[]) AND date BETWEEN %s AND %s
    GROUP BY GROUPING SETS ((programme_id, date), (participant_id))
"""  # noqa: S608 (the table's name; the values are parameters)


def _visits_by_day(
    programmes: list[int], start: datetime.date, end: datetime.date
) -> tuple[list[VisitDay], int]:
    """The period's visits added up by programme and day (count, hours), and the number of
    people who visited. By the programmes' ids: the index on programme and date is used,
    not a scan of the whole register."""
    if not programmes:
        return [], 0
    if connection.vendor != "postgresql":
        visits = Visit.objects.filter(programme__in=programmes, date__range=(start, end))
        rows = visits.values_list("programme", "date").annotate(n=Count("pk"), h=Sum("hours"))
        people = visits.values("participant").order_by().distinct().count()
        return list(rows.order_by()), people
    # One pass over the year's visits for both groupings (PostgreSQL hashes them together);
    # a row per programme and day, and a row per person who visited.
    with connection.cursor() as cursor:
        cursor.execute(VISITS_BY_DAY_SQL, [programmes, start, end])
        rows = cursor.fetchall()
    by_day = [(p, day, n, hours) for p, day, n, hours, grouped_by_day in rows if grouped_by_day]
    return by_day, len(rows) - len(by_day)


def _add(total: Decimal | None, value: Decimal | None) -> Decimal | None:
    """A sum as SQL's SUM makes it: NULLs left out, NULL when there was nothing else."""
    if value is None:
        return total
    return value if total is None else total + value


def _programme_rows(programmes: list[Programme], counts: _Counts) -> list[ProgrammeRow]:
    return [
        ProgrammeRow(
            p.name,
            p.n_participants,  # type: ignore[attr-defined]
            p.n_new,  # type: ignore[attr-defined]
            counts.by_programme.get(p.pk, 0),
            counts.anonymous_by_programme.get(p.pk) or 0,
            counts.held_by_programme.get(p.pk, 0),
        )
        for p in programmes
    ]


def _attendance(
    unit: Unit, start: datetime.date, end: datetime.date, counts: _Counts
) -> Attendance:
    held, cancelled = 0, 0
    for programme, n_held, n_cancelled in (
        Session.objects.filter(activity__unit=unit, date__range=(start, end))
        .values_list("activity__programme")
        .annotate(
            held=Count("pk", filter=Q(cancelled=False)),
            cancelled=Count("pk", filter=Q(cancelled=True)),
        )
        .order_by()
    ):
        held, cancelled = held + n_held, cancelled + n_cancelled
        if programme is not None:
            counts.held_by_programme[programme] = n_held
    attended = SessionAttendance.objects.filter(
        session__activity__unit=unit, session__date__range=(start, end), session__cancelled=False
    ).aggregate(
        n=Count("pk"),
        people=Count("participant", distinct=True),
        **{f"m{m}": Count("pk", filter=Q(session__date__month=m)) for m in range(1, 13)},
    )
    counts.attended_by_month = {m: attended[f"m{m}"] for m in range(1, 13)}
    return Attendance(
        anonymous_visits=counts.anonymous or 0,
        training_hours=counts.training_hours or Decimal(0),
        sessions_held=held,
        sessions_cancelled=cancelled,
        session_attendances=attended["n"],
        session_attendees=attended["people"],
    )


def _overdue_on(programmes: list[int], day: datetime.date) -> int:
    """R13: plans whose follow-up was overdue on `day`, judged from the follow-ups then:
    one programme interval after the latest follow-up on or before `day` (or the plan)."""
    done = FollowUp.objects.filter(plan=OuterRef("pk"), date__lte=day).order_by("-date")
    last = Greatest("established_on", Coalesce(Subquery(done.values("date")[:1]), "established_on"))
    return (
        Plan.objects.filter(enrolment__programme__in=programmes, established_on__lte=day)
        .in_active_places(day)
        .alias(
            due=AddInterval(
                last,
                F("enrolment__programme__follow_up_interval"),
                F("enrolment__programme__follow_up_interval_unit"),
            )
        )
        .filter(due__lt=day)
        .count()
    )


def unit_kind(unit: Unit) -> str:
    """Which commission the unit's report answers: IPS (002, 003), 12-step treatment (004)
    or day activity with first-step training (000, 001). Read from the unit's programmes."""
    ips, treatment = (
        Unit.objects.filter(pk=unit.pk)
        .annotate(
            ips=Exists(EmploymentProgramme.objects.filter(programme__unit=OuterRef("pk"))),
            treatment=Exists(CourseType.objects.filter(programme__unit=OuterRef("pk"))),
        )
        .values_list("ips", "treatment")
        .get()
    )
    if ips:
        return "ips"
    if treatment:
        return "treatment"
    return "day_activity"


def waiting_on(unit: Unit, day: datetime.date) -> WaitingFigures:
    """R22: the waiting list as it stood on `day`, from the referrals' recorded steps."""
    status_then = Subquery(
        ReferralStep.objects.filter(referral=OuterRef("pk"), on__lte=day)
        .order_by("-on", "-at", "-pk")
        .values("to_status")[:1]
    )
    waiting = (
        Referral.objects.filter(unit=unit, received_on__lte=day)
        .alias(status_then=status_then)
        .filter(status_then=Status.WAITING)
    )
    return waiting_figures_of(waiting, DaysBetween(Value(day), F("received_on")))


def outcomes_by_code(
    programmes: list[int], start: datetime.date, end: datetime.date
) -> list[tuple[str, int]]:
    """R11: places of the programmes (a unit's) ended in the period, by where they led."""
    rows = (
        Enrolment.objects.filter(programme__in=programmes, end_date__range=(start, end))
        .exclude(outcome="")
        .values_list("outcome")
        .annotate(n=Count("pk"))
        .order_by("outcome")
    )
    return [(code, n) for code, n in rows]


def _outcomes(by_code: list[tuple[str, int]]) -> list[tuple[str, int]]:
    counts = dict(by_code)
    return [(str(label), counts[code]) for code, label in Outcome.choices if code in counts]


@dataclass
class Cost:
    """R25: the yearly compensation in the year's prices, per participant and service."""

    base_amount: Decimal
    price_year: int
    amount: Decimal
    participants: int
    services: int
    service_label: str
    # Years after the price year with no index entered: the amount is not raised for them.
    missing_index_years: list[int] = field(default_factory=list)

    @property
    def per_participant(self) -> Decimal | None:
        return _per(self.amount, self.participants)

    @property
    def per_service(self) -> Decimal | None:
        return _per(self.amount, self.services)


def _per(amount: Decimal, n: int) -> Decimal | None:
    return (amount / n).quantize(Decimal(1), rounding=ROUND_HALF_UP) if n else None


def _cost(unit: Unit, year: int, participants: int, services: int, label: str) -> Cost | None:
    agreement = Agreement.objects.filter(unit=unit).prefetch_related("indices").first()
    if agreement is None:
        return None
    return Cost(
        base_amount=agreement.yearly_amount,
        price_year=agreement.price_year,
        amount=indexed_amount(agreement, year),
        participants=participants,
        services=services,
        service_label=label,
        missing_index_years=sorted(
            set(range(agreement.price_year + 1, year + 1))
            - {index.year for index in agreement.indices.all()}
        ),
    )


def indexed_amount(agreement: Agreement, year: int) -> Decimal:
    """The yearly sum in `year`'s prices, from prefetched indices (one query for all)."""
    amount = agreement.yearly_amount
    for index in agreement.indices.all():
        if agreement.price_year < index.year <= year:
            amount = amount * (1 + index.percent / 100)
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class IpsFigures:
    """R21: the team's figures for the year."""

    fte: Decimal  # the average share over the year so far, from the shares of those days
    new_cases: int
    caseload: int
    got_work: int
    started_studies: int
    job_starts: int
    employer_contacts: int
    target_new_low: Decimal
    target_new_high: Decimal
    first_contact_within: int
    first_contact_evaluated: int
    first_contact_days: int


def _ips(
    unit: Unit, start: datetime.date, end: datetime.date, today: datetime.date
) -> IpsFigures | None:
    programme = (
        EmploymentProgramme.objects.filter(programme__unit=unit).select_related("programme").first()
    )
    if programme is None:
        return None
    f = period_figures(programme, start=start, end=end, today=today)
    low, high = f.target_new(f.team)
    return IpsFigures(
        fte=f.team.fte,
        new_cases=f.team.new_cases,
        caseload=f.team.caseload,
        got_work=len(f.team.got_work),
        started_studies=len(f.team.started_studies),
        job_starts=f.team.job_starts,
        employer_contacts=f.team.contacts,
        target_new_low=low,
        target_new_high=high,
        first_contact_within=f.first_contact_within(f.team),
        first_contact_evaluated=f.team.first_contact_evaluated,
        first_contact_days=programme.first_contact_days,
    )


@dataclass
class CourseRow:
    name: str
    courses_started: int
    courses_ended: int
    participants: int
    completed: int  # those who went on to extended treatment too (COMPLETED_OUTCOMES)
    ended_early: int
    moved_on: int  # of the completed, those who went on to extended treatment


@dataclass
class TreatmentFigures:
    """R18, R20, R23: performed services and results of the 12-step programmes."""

    rows: list[CourseRow]
    group_sessions: int
    attendances: int
    motivation_sessions: int
    motivation_attendances: int
    evening_sessions: int
    early_reasons: list[tuple[str, int]]

    @property
    def left(self) -> int:
        return sum(r.completed + r.ended_early for r in self.rows)

    @property
    def completed_share(self) -> Decimal | None:
        return _share(sum(r.completed for r in self.rows), self.left)


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _treatment(unit: Unit, start: datetime.date, end: datetime.date) -> TreatmentFigures:
    left = Q(enrolments__course_memberships__left_on__range=(start, end))
    in_year = Q(enrolments__course_memberships__joined_on__lte=end) & (
        Q(enrolments__course_memberships__left_on__isnull=True)
        | Q(enrolments__course_memberships__left_on__gte=start)
    )
    courses = Course.objects.filter(programme__unit=unit)
    started = dict(
        courses.filter(start_date__range=(start, end))
        .values_list("programme")
        .annotate(n=Count("pk"))
    )
    ended = dict(
        courses.filter(end_date__range=(start, end))
        .values_list("programme")
        .annotate(n=Count("pk"))
    )
    programmes = (
        unit.programmes.filter(course_type__isnull=False)
        .annotate(
            people=Count(
                "enrolments__course_memberships__participant", filter=in_year, distinct=True
            ),
            completed=Count(
                "enrolments__course_memberships",
                filter=left & Q(enrolments__course_memberships__outcome__in=COMPLETED_OUTCOMES),
            ),
            early=Count(
                "enrolments__course_memberships",
                filter=left & Q(enrolments__course_memberships__outcome=CourseOutcome.ENDED_EARLY),
            ),
            moved=Count(
                "enrolments__course_memberships",
                filter=left
                & Q(enrolments__course_memberships__outcome=CourseOutcome.MOVED_TO_EXTENDED),
            ),
        )
        .order_by("name")
    )
    rows = [
        CourseRow(
            p.name,
            started.get(p.pk, 0),
            ended.get(p.pk, 0),
            p.people,
            p.completed,
            p.early,
            p.moved,
        )
        for p in programmes
    ]
    # The monthly statements' count (R25): the year's figures are the sum of its months.
    performed = total(performed_by_month(unit=unit, first=start, last=end).values())
    reasons = dict(
        CourseParticipant.objects.filter(
            course__programme__unit=unit,
            left_on__range=(start, end),
            outcome=CourseOutcome.ENDED_EARLY,
        )
        .exclude(early_reason="")
        .values_list("early_reason")
        .annotate(n=Count("pk"))
    )
    return TreatmentFigures(
        rows=rows,
        group_sessions=performed.group_sessions,
        attendances=performed.attendances,
        motivation_sessions=performed.motivation_sessions,
        motivation_attendances=performed.motivation_attendances,
        evening_sessions=performed.evening_sessions,
        early_reasons=[
            (str(label), reasons[code]) for code, label in EarlyEndReason.choices if code in reasons
        ],
    )


@dataclass
class MonthRow:
    month: int
    visits: int
    anonymous_visits: int
    attendances: int
    waits: WaitingFigures


def _months(
    unit: Unit, start: datetime.date, end: datetime.date, counts: _Counts
) -> list[MonthRow]:
    """Visits, attendances and waiting times (received to accepted) per month of the period."""
    waits = _waits_by_month(unit, start, end)
    return [
        MonthRow(
            m,
            counts.by_month.get(m, 0),
            counts.anonymous_by_month.get(m) or 0,
            counts.attended_by_month.get(m, 0),
            waits[m - 1],
        )
        for m in range(1, end.month + 1)
    ]


def _waits_by_month(unit: Unit, start: datetime.date, end: datetime.date) -> list[WaitingFigures]:
    """R22: days from received to accepted for those accepted each month, January on."""
    steps = accepted_steps(unit, start, end)
    if connection.vendor != "postgresql":
        waits: dict[int, list[int]] = {}
        for on, days in steps.annotate(days=WAITED).values_list("on", "days"):
            waits.setdefault(on.month, []).append(days)
        return [waiting_figures(waits.get(m, [])) for m in range(1, 13)]
    rows = {
        m: waiting_from(n, median, longest)
        for m, n, median, longest in steps.annotate(m=ExtractMonth("on"))
        .values_list("m")
        .annotate(n=Count("pk"), median=Median(WAITED), longest=Max(WAITED))
        .order_by()
    }
    return [rows.get(m, waiting_figures([])) for m in range(1, 13)]


def annual_report_pdf(figures: AnnualFigures, *, base_url: str, **context: object) -> bytes:
    """Render the report; a pure function of the figures and the manager's text."""
    html = render_to_string("reporting/annual_report_pdf.html", {"f": figures, **context})
    return render_pdf(html, base_url=base_url)
