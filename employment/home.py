"""What an employment specialist should do next, for the home page (decision 0011): their
active cases with the next step and days since the last employer contact, new cases this
year against the target, and employer contacts this week. A fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Max

from employment.models import Case, EmployerContact, EmploymentSpecialist

if TYPE_CHECKING:
    from lotsen.models import User


@dataclass
class CaseLine:
    case: Case
    days_since_contact: int | None  # None: no employer contact yet
    days_since_intake: int
    contact_overdue: bool  # no first contact within the programme's target


def specialist_work(user: User, *, today: datetime.date) -> dict[str, Any] | None:
    """The specialist's own work, or None for staff who are not employment specialists."""
    roles = list(
        EmploymentSpecialist.objects.filter(user=user, active=True).select_related(
            "programme__programme"
        )
    )
    if not roles:
        return None
    programme = roles[0].programme
    fte = sum((r.fte for r in roles), Decimal(0))
    cases = (
        Case.objects.visible_to(user)
        .filter(specialist=user, ended_on__isnull=True)
        .select_related("enrolment__participant")
        .annotate(last_contact=Max("employer_contacts__on"))
        .order_by("intake_on", "pk")
    )
    lines = [_line(c, today, programme.first_contact_days) for c in cases]
    monday = today - datetime.timedelta(days=today.weekday())
    return {
        "programme": programme,
        "fte": fte,
        "lines": sorted(lines, key=lambda line: (not line.contact_overdue, line.case.intake_on)),
        "caseload_max": fte * programme.max_caseload_per_fte,
        "new_this_year": Case.objects.filter(specialist=user, intake_on__year=today.year).count(),
        "target_min": fte * programme.new_cases_per_fte_min,
        "target_max": fte * programme.new_cases_per_fte_max,
        "contacts_this_week": EmployerContact.objects.filter(
            by=user, on__range=(monday, today)
        ).count(),
        "contacts_target": fte * programme.employer_contacts_per_week,
    }


def _line(case: Case, today: datetime.date, target_days: int) -> CaseLine:
    last = case.last_contact  # type: ignore[attr-defined]
    since_intake = (today - case.intake_on).days
    return CaseLine(
        case=case,
        days_since_contact=None if last is None else (today - last).days,
        days_since_intake=since_intake,
        contact_overdue=last is None and since_intake > target_days,
    )
