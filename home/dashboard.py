"""The unit manager's dashboard: one unit's figures, each linking to its list.

Only the blocks the unit's programmes need are built (a unit without limited places has no
capacity block, one without a commission of open days no open-days block). Every figure is
counted in the database: a fixed number of queries whatever the amount of data.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse

from activities.calendar import opening_days
from journal.models import Entry
from lotsen.models import CapacityKind, Programme, Unit
from participants.models import Enrolment
from participants.services import capacity_weeks, free_capacity_text, with_new_cases
from referrals.models import Referral, Status
from referrals.services import WaitingFigures, waiting_figures
from treatment.models import CourseType, Statement

LATE_JOURNAL_DAYS = 30  # the window the dashboard counts late entries in


@dataclass
class ContactLine:
    name: str
    overdue: int
    missing: int
    url: str


@dataclass
class Dashboard:
    unit: Unit
    plans: list[ContactLine] | None = None  # None: no programme of the unit needs plans
    capacity: list[dict[str, Any]] = field(default_factory=list)
    yearly: list[Programme] = field(default_factory=list)
    waiting: WaitingFigures | None = None
    open_days: dict[str, Any] | None = None
    late: dict[str, int] = field(default_factory=dict)
    statements_due: list[datetime.date] | None = None
    report_due: datetime.date | None = None

    @property
    def plans_total(self) -> int:
        return sum(line.overdue + line.missing for line in self.plans or [])


def unit_dashboard(unit: Unit, *, today: datetime.date) -> Dashboard:
    """The figures of `unit` on `today` (R13, R5/R8, R22, R16, L1, R20/R25)."""
    programmes = list(Programme.objects.filter(unit=unit))
    board = Dashboard(unit=unit)
    if any(p.requires_plan for p in programmes):
        board.plans = _plans_per_contact(unit, today)
    for programme in programmes:
        if programme.limits_hours or programme.limits_people:
            week = capacity_weeks(programme, today=today, weeks=1)[0]
            free = free_capacity_text(programme, week["free"])
            board.capacity.append({"programme": programme, "free_text": free, **week})
    if any(p.capacity_kind == CapacityKind.NEW_CASES_PER_YEAR and p.capacity for p in programmes):
        board.yearly = list(
            with_new_cases(
                Programme.objects.filter(
                    unit=unit,
                    capacity_kind=CapacityKind.NEW_CASES_PER_YEAR,
                    capacity__isnull=False,
                ),
                year=today.year,
            )
        )
    # An erased referral (retention) is nobody's to wait any more.
    received = Referral.objects.filter(
        unit=unit, status=Status.WAITING, erased_on__isnull=True
    ).values_list("received_on", flat=True)
    board.waiting = waiting_figures([(today - day).days for day in received])
    if unit.commissioned_open_days:
        board.open_days = _open_days(unit, today)
    board.late = Entry.objects.filter(
        participant__unit=unit,
        signed_at__date__gt=today - datetime.timedelta(days=LATE_JOURNAL_DAYS),
    ).aggregate(total=Count("pk"), late=Count("pk", filter=Q(late=True)))
    # Monthly statements are paid for treatment courses (R25); other units' agreements
    # are yearly sums with no statement to confirm.
    if CourseType.objects.filter(programme__unit=unit).exists():
        board.statements_due = _statements_due(unit, today)
        board.report_due = annual_report_due(today)
    return board


def _plans_per_contact(unit: Unit, today: datetime.date) -> list[ContactLine]:
    """R13: overdue follow-ups and missing plans, counted per contact person."""
    places = Enrolment.objects.filter(programme__unit=unit)
    overdue = places.plan_overdue(on=today).values("pk")
    missing = places.plan_missing(on=today).values("pk")
    rows = (
        places.filter(Q(pk__in=overdue) | Q(pk__in=missing))
        .values("contact_person_id", "contact_person__first_name", "contact_person__last_name")
        .annotate(
            overdue=Count("pk", filter=Q(pk__in=overdue)),
            missing=Count("pk", filter=Q(pk__in=missing)),
        )
        .order_by("contact_person__first_name", "contact_person__last_name")
    )
    base = reverse("plans:unit")
    return [
        ContactLine(
            name=" ".join(
                filter(None, [row["contact_person__first_name"], row["contact_person__last_name"]])
            ),
            overdue=row["overdue"],
            missing=row["missing"],
            url=f"{base}?contact_person={row['contact_person_id']}"
            if row["contact_person_id"]
            else base,
        )
        for row in rows
    ]


def _open_days(unit: Unit, today: datetime.date) -> dict[str, Any]:
    """R16/L8: days open so far this year, and for the whole year, against the commission."""
    days = opening_days(unit, datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31))
    return {
        "so_far": sum(d.is_open for d in days if d.date <= today),
        "planned": sum(d.is_open for d in days),
        "target": unit.commissioned_open_days,
        "year": today.year,
    }


def _statements_due(unit: Unit, today: datetime.date) -> list[datetime.date]:
    """R25: the months of this year that have ended and have no confirmed statement."""
    ended = [datetime.date(today.year, m, 1) for m in range(1, today.month)]
    confirmed = set(
        Statement.objects.filter(unit=unit, month__year=today.year).values_list("month", flat=True)
    )
    return [month for month in ended if month not in confirmed]


def annual_report_due(today: datetime.date) -> datetime.date:
    """R20: the annual report is due on a fixed day each year (31 March by default)."""
    month, day = settings.ANNUAL_REPORT_DUE
    due = datetime.date(today.year, month, day)
    return due if due >= today else datetime.date(today.year + 1, month, day)
