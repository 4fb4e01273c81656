"""The annual activity report (verksamhetsberättelse, R20) with figures from the records."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.template.loader import render_to_string

from activities.calendar import OpeningCounts, opening_counts, opening_days
from activities.models import AnonymousVisit, Session, SessionAttendance
from lotsen.models import Unit
from lotsen.pdf import render_pdf
from participants.models import Assessment, Enrolment, Visit
from plans.models import Plan
from referrals.statistics import (
    CollaborationFigures,
    ReferralFigures,
    collaboration_figures,
    referral_figures,
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
    return AnnualFigures(
        unit=unit,
        year=year,
        as_of=as_of,
        plans_overdue=_overdue_on(unit, as_of),
        assessments=Assessment.objects.filter(unit=unit, date__range=(start, as_of)).count(),
        programmes=_programme_rows(unit, start, as_of),
        referrals=referral_figures(unit=unit, year=year, today=today),
        collaboration=collaboration_figures(unit=unit, year=year, today=today),
        opening=opening_counts(unit, year),
        open_days_to_date=sum(d.is_open for d in opening_days(unit, start, as_of)),
        attendance=_attendance(unit, start, as_of),
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


def annual_report_pdf(figures: AnnualFigures, *, base_url: str) -> bytes:
    """Render the one-page report; pure function of the figures."""
    html = render_to_string("reporting/annual_report_pdf.html", {"f": figures})
    return render_pdf(html, base_url=base_url)
