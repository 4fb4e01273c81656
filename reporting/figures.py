"""The figures of the annual activity report (verksamhetsberättelse, R20), from the records.

Every figure is as it was at the end of the period (`as_of`): past years are not read from
today's state. A fixed number of queries whatever the amount of data.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import ExtractMonth, TruncWeek
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from activities.calendar import OpeningCounts, opening_counts, opening_days
from activities.models import ActivityKind, AnonymousVisit, Session, SessionAttendance
from employment.figures import period_figures
from employment.models import EmploymentProgramme
from lotsen.models import Unit
from lotsen.pdf import render_pdf
from participants.models import Assessment, Enrolment, Outcome, Visit
from plans.models import Plan
from referrals.models import Referral, ReferralStep, Status
from referrals.services import WaitingFigures, waiting_figures
from referrals.statistics import (
    CollaborationFigures,
    ReferralFigures,
    collaboration_figures,
    referral_figures,
)
from treatment.models import (
    Agreement,
    Course,
    CourseOutcome,
    CourseParticipant,
    CourseType,
    EarlyEndReason,
)


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


def annual_figures(*, unit: Unit, year: int, today: datetime.date) -> AnnualFigures:
    start = datetime.date(year, 1, 1)
    # The period runs to today for the current year: planned starts and ends do not count.
    as_of = min(today, datetime.date(year, 12, 31))
    places = Enrolment.objects.filter(programme__unit=unit).overlapping(start, as_of)
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
    visits = Visit.objects.filter(programme__unit=unit, date__range=(start, as_of)).aggregate(
        visits=Count("pk"), visitors=Count("participant", distinct=True)
    )
    kind = unit_kind(unit)
    referrals = referral_figures(unit=unit, year=year, today=today)
    performed_visits = visits["visits"]
    attendance = _attendance(unit, start, as_of)
    outcomes = _outcomes(unit, start, as_of)
    ips = _ips(unit, start, as_of, today) if kind == "ips" else None
    treatment = _treatment(unit, start, as_of) if kind == "treatment" else None
    if ips is not None:
        services, service_label = ips.caseload, _("ärende")
    elif treatment is not None:
        services, service_label = treatment.attendances, _("deltagartillfälle i grupp")
    else:
        services = performed_visits + attendance.anonymous_visits
        service_label = _("besök")
    return AnnualFigures(
        unit=unit,
        year=year,
        as_of=as_of,
        kind=kind,
        waiting_at_end=waiting_on(unit, as_of),
        outcomes=outcomes,
        handed_over=dict(outcomes_by_code(unit, start, as_of)).get(Outcome.LABOUR_MARKET, 0),
        cost=_cost(unit, year, totals["participants"], services, str(service_label)),
        ips=ips,
        treatment=treatment,
        months=_months(unit, start, as_of),
        weeks=_weeks(unit, start, as_of) if kind == "day_activity" else [],
        plans_overdue=_overdue_on(unit, as_of),
        assessments=Assessment.objects.filter(unit=unit, date__range=(start, as_of)).count(),
        programmes=_programme_rows(unit, start, as_of),
        referrals=referrals,
        collaboration=collaboration_figures(unit=unit, year=year, today=today),
        opening=opening_counts(unit, year),
        open_days_to_date=sum(d.is_open for d in opening_days(unit, start, as_of)),
        attendance=attendance,
        **totals,
        **visits,
    )


def _programme_rows(unit: Unit, start: datetime.date, end: datetime.date) -> list[ProgrammeRow]:
    in_year = Q(enrolments__start_date__lte=end) & (
        Q(enrolments__end_date__isnull=True) | Q(enrolments__end_date__gte=start)
    )
    rows = unit.programmes.annotate(
        n_participants=Count("enrolments__participant", filter=in_year, distinct=True),
        n_new=Count(
            "enrolments", filter=Q(enrolments__start_date__range=(start, end)), distinct=True
        ),
    ).order_by("name")
    visit_counts = dict(
        Visit.objects.filter(programme__unit=unit, date__range=(start, end))
        .values_list("programme")
        .annotate(n=Count("pk"))
    )
    anonymous = dict(
        AnonymousVisit.objects.filter(programme__unit=unit, date__range=(start, end))
        .values_list("programme")
        .annotate(n=Sum("delta"))
    )
    sessions = dict(
        Session.objects.filter(activity__unit=unit, date__range=(start, end), cancelled=False)
        .values_list("activity__programme")
        .annotate(n=Count("pk"))
    )
    return [
        ProgrammeRow(
            p.name,
            p.n_participants,
            p.n_new,
            visit_counts.get(p.pk, 0),
            anonymous.get(p.pk) or 0,
            sessions.get(p.pk, 0),
        )
        for p in rows
    ]


def _attendance(unit: Unit, start: datetime.date, end: datetime.date) -> Attendance:
    in_period = {"date__range": (start, end)}
    sessions = Session.objects.filter(activity__unit=unit, **in_period).aggregate(
        held=Count("pk", filter=Q(cancelled=False)), cancelled=Count("pk", filter=Q(cancelled=True))
    )
    attended = SessionAttendance.objects.filter(
        session__activity__unit=unit, session__date__range=(start, end), session__cancelled=False
    ).aggregate(n=Count("pk"), people=Count("participant", distinct=True))
    anonymous = AnonymousVisit.objects.filter(programme__unit=unit, **in_period).aggregate(
        n=Sum("delta")
    )
    hours = Visit.objects.filter(
        programme__unit=unit, programme__is_work_training=True, **in_period
    ).aggregate(h=Sum("hours"))
    return Attendance(
        anonymous_visits=anonymous["n"] or 0,
        training_hours=hours["h"] or Decimal(0),
        sessions_held=sessions["held"],
        sessions_cancelled=sessions["cancelled"],
        session_attendances=attended["n"],
        session_attendees=attended["people"],
    )


def _overdue_on(unit: Unit, day: datetime.date) -> int:
    """R13: plans whose follow-up was overdue on `day`, judged from the follow-ups then."""
    plans = (
        Plan.objects.filter(enrolment__programme__unit=unit, established_on__lte=day)
        .in_active_places(day)
        .select_related("enrolment__programme")
        .prefetch_related("follow_ups")
    )
    count = 0
    for plan in plans:
        done = [f.date for f in plan.follow_ups.all() if f.date <= day]
        due = plan.due_after(max([plan.established_on, *done]))
        count += due is not None and due < day
    return count


def unit_kind(unit: Unit) -> str:
    """Which commission the unit's report answers: IPS (002, 003), 12-step treatment (004)
    or day activity with first-step training (000, 001). Read from the unit's programmes."""
    if EmploymentProgramme.objects.filter(programme__unit=unit).exists():
        return "ips"
    if CourseType.objects.filter(programme__unit=unit).exists():
        return "treatment"
    return "day_activity"


def waiting_on(unit: Unit, day: datetime.date) -> WaitingFigures:
    """R22: the waiting list as it stood on `day`, from the referrals' recorded steps."""
    status_then = Subquery(
        ReferralStep.objects.filter(referral=OuterRef("pk"), on__lte=day)
        .order_by("-on", "-at", "-pk")
        .values("to_status")[:1]
    )
    received = (
        Referral.objects.filter(unit=unit, received_on__lte=day)
        .annotate(status_then=status_then)
        .filter(status_then=Status.WAITING)
        .values_list("received_on", flat=True)
    )
    return waiting_figures([(day - received_on).days for received_on in received])


def outcomes_by_code(unit: Unit, start: datetime.date, end: datetime.date) -> list[tuple[str, int]]:
    """R11: places ended in the period, by where they led."""
    rows = (
        Enrolment.objects.filter(programme__unit=unit, end_date__range=(start, end))
        .exclude(outcome="")
        .values_list("outcome")
        .annotate(n=Count("pk"))
        .order_by("outcome")
    )
    return [(code, n) for code, n in rows]


def _outcomes(unit: Unit, start: datetime.date, end: datetime.date) -> list[tuple[str, int]]:
    counts = dict(outcomes_by_code(unit, start, end))
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

    fte: Decimal
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
    completed: int
    ended_early: int
    moved_on: int


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
        return sum(r.completed + r.ended_early + r.moved_on for r in self.rows)

    @property
    def completed_share(self) -> Decimal | None:
        done = sum(r.completed + r.moved_on for r in self.rows)
        return _share(done, self.left)


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
                filter=left & Q(enrolments__course_memberships__outcome=CourseOutcome.COMPLETED),
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
    held = Session.objects.filter(activity__unit=unit, date__range=(start, end), cancelled=False)
    sessions = held.aggregate(
        group=Count("pk", filter=Q(activity__kind=ActivityKind.GROUP_TREATMENT)),
        motivation=Count("pk", filter=Q(activity__kind=ActivityKind.MOTIVATION_GROUP)),
        evening=Count("pk", filter=Q(starts_at__gte=unit.evening_from)),
    )
    attended = SessionAttendance.objects.filter(session__in=held).aggregate(
        group=Count("pk", filter=Q(session__activity__kind=ActivityKind.GROUP_TREATMENT)),
        motivation=Count("pk", filter=Q(session__activity__kind=ActivityKind.MOTIVATION_GROUP)),
    )
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
        group_sessions=sessions["group"],
        attendances=attended["group"],
        motivation_sessions=sessions["motivation"],
        motivation_attendances=attended["motivation"],
        evening_sessions=sessions["evening"],
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


def _months(unit: Unit, start: datetime.date, end: datetime.date) -> list[MonthRow]:
    """Visits, attendances and waiting times (received to accepted) per month of the period."""
    visits = dict(
        Visit.objects.filter(programme__unit=unit, date__range=(start, end))
        .annotate(m=ExtractMonth("date"))
        .values_list("m")
        .annotate(n=Count("pk"))
    )
    anonymous = dict(
        AnonymousVisit.objects.filter(programme__unit=unit, date__range=(start, end))
        .annotate(m=ExtractMonth("date"))
        .values_list("m")
        .annotate(n=Sum("delta"))
    )
    attended = dict(
        SessionAttendance.objects.filter(
            session__activity__unit=unit,
            session__date__range=(start, end),
            session__cancelled=False,
        )
        .annotate(m=ExtractMonth("session__date"))
        .values_list("m")
        .annotate(n=Count("pk"))
    )
    waits: dict[int, list[int]] = {}
    for received, on in ReferralStep.objects.filter(
        referral__unit=unit, to_status=Status.ACCEPTED, on__range=(start, end)
    ).values_list("referral__received_on", "on"):
        waits.setdefault(on.month, []).append((on - received).days)
    return [
        MonthRow(
            m,
            visits.get(m, 0),
            anonymous.get(m) or 0,
            attended.get(m, 0),
            waiting_figures(waits.get(m, [])),
        )
        for m in range(1, end.month + 1)
    ]


def _weeks(unit: Unit, start: datetime.date, end: datetime.date) -> list[tuple[str, Decimal]]:
    """R5: hours attended in first-step training per ISO week of the period."""
    rows = (
        Visit.objects.filter(
            programme__unit=unit, programme__is_work_training=True, date__range=(start, end)
        )
        .annotate(w=TruncWeek("date"))
        .values_list("w")
        .annotate(h=Sum("hours"))
        .order_by("w")
    )
    return [(f"{w.isocalendar()[1]:02d}", h or Decimal(0)) for w, h in rows]


def annual_report_pdf(figures: AnnualFigures, *, base_url: str, **context: object) -> bytes:
    """Render the report; a pure function of the figures and the manager's text."""
    html = render_to_string("reporting/annual_report_pdf.html", {"f": figures, **context})
    return render_pdf(html, base_url=base_url)
