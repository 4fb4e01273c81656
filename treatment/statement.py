"""R25: the monthly statement to the commissioner, paid monthly in arrears for agreed and
performed services. A confirmed statement is frozen; a correction is a new version."""

from __future__ import annotations

import calendar
import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.models import ActivityKind, Session, SessionAttendance
from lotsen.models import Unit
from treatment.models import Agreement, Course, CourseType, IndividualSession, Statement

if TYPE_CHECKING:
    from lotsen.models import User

MONTHS_A_YEAR = 12
ORE = Decimal("0.01")


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    last = calendar.monthrange(month.year, month.month)[1]
    return month.replace(day=1), month.replace(day=last)


def yearly_amount(agreement: Agreement, year: int) -> Decimal:
    """The yearly sum in `year`'s prices: the base sum raised by each year's index since."""
    amount = agreement.yearly_amount
    for index in agreement.indices.filter(year__gt=agreement.price_year, year__lte=year):
        amount = amount * (1 + index.percent / 100)
    return amount.quantize(ORE, rounding=ROUND_HALF_UP)


def month_figures(
    *, unit: Unit, month: datetime.date, today: datetime.date | None = None
) -> dict[str, Any]:
    """What was agreed and what was performed in the month, from the sessions' attendance.

    Only what has happened by `today` is performed (R25): the part of the month still ahead
    holds no sessions and ends or starts no courses yet. A fixed number of queries whatever
    the data size."""
    first, month_last = month_bounds(month)
    last = min(month_last, today or timezone.localdate())
    agreement = Agreement.objects.filter(unit=unit).first()
    types = list(CourseType.objects.filter(programme__unit=unit).select_related("programme"))
    course_programmes = [t.programme_id for t in types]
    held = Session.objects.filter(activity__unit=unit, date__range=(first, last), cancelled=False)
    group = held.filter(
        activity__kind=ActivityKind.GROUP_TREATMENT, activity__programme__in=course_programmes
    )
    sessions = group.aggregate(
        n=Count("pk"), evening=Count("pk", filter=Q(starts_at__gte=unit.evening_from))
    )
    attendances = SessionAttendance.objects.filter(session__in=group).count()
    motivation = held.filter(activity__kind=ActivityKind.MOTIVATION_GROUP).aggregate(
        n=Count("pk"), evening=Count("pk", filter=Q(starts_at__gte=unit.evening_from))
    )
    motivation_attendances = SessionAttendance.objects.filter(
        session__in=held.filter(activity__kind=ActivityKind.MOTIVATION_GROUP)
    ).count()
    individual = IndividualSession.objects.filter(
        programme__unit=unit, date__range=(first, last)
    ).aggregate(n=Count("pk"), evening=Count("pk", filter=Q(starts_at__gte=unit.evening_from)))
    courses = Course.objects.filter(programme__unit=unit)
    yearly = yearly_amount(agreement, month.year) if agreement else Decimal(0)
    main = max(types, key=lambda t: t.parallel_groups, default=None)
    average = Decimal(attendances) / sessions["n"] if sessions["n"] else Decimal(0)
    return {
        "month": first.isoformat(),
        "agreed_groups": main.parallel_groups if main else 0,
        "agreed_group_min": main.programme.group_min if main else None,
        "agreed_group_max": main.programme.group_max if main else None,
        "agreed_yearly": str(agreement.yearly_amount) if agreement else "0",
        "price_year": agreement.price_year if agreement else None,
        "indexed_yearly": str(yearly),
        "group_sessions": sessions["n"],
        "attendances": attendances,
        "average_group_size": str(average.quantize(Decimal("0.1"))),
        "courses_started": courses.filter(start_date__range=(first, last)).count(),
        "courses_completed": courses.filter(end_date__range=(first, last)).count(),
        "motivation_sessions": motivation["n"],
        "motivation_attendances": motivation_attendances,
        "individual_sessions": individual["n"],
        "evening_sessions": sessions["evening"] + motivation["evening"] + individual["evening"],
        "amount": str((yearly / MONTHS_A_YEAR).quantize(ORE, rounding=ROUND_HALF_UP)),
    }


def statement_confirm(
    *, unit: Unit, month: datetime.date, reason: str, today: datetime.date, by: User
) -> Statement:
    """The manager confirms the month: the figures are frozen in a new version.

    A second version is a correction and needs a reason; the earlier one stays readable."""
    first, last = month_bounds(month)
    if last >= today:
        raise ValidationError(_("Månaden är inte slut än. Bekräfta den efter månadens slut."))
    if not by.is_manager:
        raise ValidationError(_("Enhetschefen bekräftar månadsredovisningen."))
    with transaction.atomic():
        Unit.objects.select_for_update().get(pk=unit.pk)
        latest = Statement.objects.filter(unit=unit, month=first).aggregate(v=Max("version"))["v"]
        if latest and not reason.strip():
            raise ValidationError(
                {
                    "reason": _(
                        "Månaden är redan bekräftad. Skriv skälet till rättelsen för att "
                        "göra en ny version."
                    )
                }
            )
        figures = month_figures(unit=unit, month=first, today=today)
        try:
            return Statement.objects.create(
                unit=unit,
                month=first,
                version=(latest or 0) + 1,
                figures=figures,
                amount=Decimal(figures["amount"]),
                reason=reason.strip(),
                confirmed_by=by,
                confirmed_at=timezone.now(),
            )
        except IntegrityError:
            raise ValidationError(_("Redovisningen bekräftades just av någon annan.")) from None
