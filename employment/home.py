"""What an employment specialist should do next, for the home page (decision 0011): their
active cases with the next step and days since the last employer contact, new cases this
year against the target, and employer contacts this week. A fixed number of queries. The
team's case list shows its cases as the same lines (`case_lines`)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Max, OuterRef, QuerySet, Subquery

from employment.models import (
    JOB_SEEKING_STEPS,
    Case,
    CaseStep,
    EmployerContact,
    EmploymentSpecialist,
    Step,
)

if TYPE_CHECKING:
    from lotsen.models import User


@dataclass
class CaseLine:
    case: Case
    days_since_contact: int | None  # None: no employer contact yet
    days_since_intake: int
    target_days: int
    # Days since a job or studies ended and the case went back to job search; None: never.
    days_since_back_to_search: int | None = None

    @property
    def days_without_contact(self) -> int:
        """Days of job development without an employer contact: since the last contact, or
        intake when there is none; a case back in job search after a job starts anew then."""
        days = (
            self.days_since_intake if self.days_since_contact is None else self.days_since_contact
        )
        if self.days_since_back_to_search is not None:
            days = min(days, self.days_since_back_to_search)
        return days

    @property
    def contact_overdue(self) -> bool:
        """R21: a case still seeking work, longer without an employer contact than the
        fidelity scale's 30 days to the first one: no contact yet that long after intake,
        or none since the last that long ago. Once a job or studies have started, the
        support is follow-along, not job development, and the flag does not apply."""
        in_job_search = self.case.step in JOB_SEEKING_STEPS
        return in_job_search and self.days_without_contact > self.target_days


def case_lines(cases: QuerySet[Case], *, today: datetime.date) -> list[CaseLine]:
    """The cases as lines, those past the limit first, the longest without a contact at the
    top; the rest keep the queryset's order. One query."""
    back_to_search = CaseStep.objects.filter(
        case=OuterRef("pk"),
        to_step=Step.JOB_SEARCH,
        from_step__in=[Step.STARTED, Step.FOLLOW_ALONG],
    ).order_by("-on")
    annotated = cases.select_related("programme").annotate(
        last_contact=Max("employer_contacts__on"),
        back_to_search_on=Subquery(back_to_search.values("on")[:1]),
    )
    lines = [_line(c, today) for c in annotated]
    return sorted(
        lines,
        key=lambda line: (
            not line.contact_overdue,
            -line.days_without_contact if line.contact_overdue else 0,
        ),
    )


def specialist_work(user: User, *, today: datetime.date) -> dict[str, Any] | None:
    """The specialist's own work, or None for staff who are not employment specialists."""
    roles = list(
        EmploymentSpecialist.objects.filter(user=user, active=True)
        .select_related("programme__programme")
        .prefetch_related("fte_shares")
    )
    if not roles:
        return None
    programme = roles[0].programme
    fte = sum((r.fte_on(today) for r in roles), Decimal(0))
    # R21: this year's intake target from the FTE-years of this year, as the shares stand on
    # each day (a change of share during the year counts from its date).
    year_start, year_end = today.replace(month=1, day=1), today.replace(month=12, day=31)
    in_year = (year_end - year_start).days + 1
    fte_years = sum((r.fte_days(year_start, year_end) for r in roles), Decimal(0)) / in_year
    cases = (
        Case.objects.visible_to(user)
        .filter(specialist=user, ended_on__isnull=True)
        .select_related("enrolment__participant")
        .order_by("intake_on", "pk")
    )
    monday = today - datetime.timedelta(days=today.weekday())
    return {
        "programme": programme,
        "fte": fte,
        "lines": case_lines(cases, today=today),
        "caseload_max": fte * programme.max_caseload_per_fte,
        # New cases: intake this year (participants.services.with_new_cases).
        "new_this_year": Case.objects.filter(specialist=user, intake_on__year=today.year).count(),
        "fte_years": fte_years,
        "target_min": fte_years * programme.new_cases_per_fte_min,
        "target_max": fte_years * programme.new_cases_per_fte_max,
        "contacts_this_week": EmployerContact.objects.filter(
            by=user, on__range=(monday, today)
        ).count(),
        "contacts_target": fte * programme.employer_contacts_per_week,
    }


def _line(case: Case, today: datetime.date) -> CaseLine:
    last = case.last_contact  # type: ignore[attr-defined]
    back = case.back_to_search_on  # type: ignore[attr-defined]
    return CaseLine(
        case=case,
        days_since_contact=None if last is None else (today - last).days,
        days_since_intake=(today - case.intake_on).days,
        target_days=case.programme.first_contact_days,
        days_since_back_to_search=None if back is None else (today - back).days,
    )
