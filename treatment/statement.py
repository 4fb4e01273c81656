"""R25: the monthly statement to the commissioner, paid monthly in arrears for agreed and
performed services. A confirmed statement is frozen; a correction is a new version."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.db.models.functions import TruncMonth
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


@dataclass
class Performed:
    """The sessions held and attended in a period (R16, R25): the monthly statement and the
    annual report count them the same way."""

    group_sessions: int = 0
    attendances: int = 0
    motivation_sessions: int = 0
    motivation_attendances: int = 0
    individual_sessions: int = 0
    # Group, motivation and individual sessions starting at or after the unit's evening_from.
    evening_sessions: int = 0

    def __add__(self, other: Performed) -> Performed:
        return Performed(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


def total(months: Iterable[Performed]) -> Performed:
    return sum(months, Performed())


def performed_by_month(
    *, unit: Unit, first: datetime.date, last: datetime.date
) -> dict[datetime.date, Performed]:
    """What was performed each month from `first` to `last` (keyed by the month's first day).

    Group treatment is the group sessions of the programmes run as courses; a cancelled
    session was not held. Three queries whatever the period and the data size."""
    months: dict[datetime.date, Performed] = {}

    def month(day: datetime.date) -> Performed:
        return months.setdefault(day, Performed())

    group, motivation = _group_treatment(), _motivation()
    evening = Q(starts_at__gte=unit.evening_from)
    held = Session.objects.filter(activity__unit=unit, date__range=(first, last), cancelled=False)
    for row in (
        held.annotate(m=TruncMonth("date"))
        .values("m")
        .annotate(
            group=Count("pk", filter=group),
            motivation=Count("pk", filter=motivation),
            evening=Count("pk", filter=(group | motivation) & evening),
        )
        .order_by()
    ):
        month(row["m"]).group_sessions = row["group"]
        month(row["m"]).motivation_sessions = row["motivation"]
        month(row["m"]).evening_sessions += row["evening"]
    for row in (
        SessionAttendance.objects.filter(session__in=held)
        .annotate(m=TruncMonth("session__date"))
        .values("m")
        .annotate(
            group=Count("pk", filter=_group_treatment("session__")),
            motivation=Count("pk", filter=_motivation("session__")),
        )
        .order_by()
    ):
        month(row["m"]).attendances = row["group"]
        month(row["m"]).motivation_attendances = row["motivation"]
    for row in (
        IndividualSession.objects.filter(programme__unit=unit, date__range=(first, last))
        .annotate(m=TruncMonth("date"))
        .values("m")
        .annotate(n=Count("pk"), evening=Count("pk", filter=evening))
        .order_by()
    ):
        month(row["m"]).individual_sessions = row["n"]
        month(row["m"]).evening_sessions += row["evening"]
    return months


def _group_treatment(session: str = "") -> Q:
    """A session of a course's group (`session`: the path to the session from the model)."""
    return Q(
        **{
            f"{session}activity__kind": ActivityKind.GROUP_TREATMENT,
            f"{session}activity__programme__course_type__isnull": False,
        }
    )


def _motivation(session: str = "") -> Q:
    return Q(**{f"{session}activity__kind": ActivityKind.MOTIVATION_GROUP})


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
    performed = performed_by_month(unit=unit, first=first, last=last).get(first, Performed())
    courses = Course.objects.filter(programme__unit=unit)
    yearly = yearly_amount(agreement, month.year) if agreement else Decimal(0)
    main = max(types, key=lambda t: t.parallel_groups, default=None)
    sessions = performed.group_sessions
    average = Decimal(performed.attendances) / sessions if sessions else Decimal(0)
    return {
        "month": first.isoformat(),
        "agreed_groups": main.parallel_groups if main else 0,
        "agreed_group_min": main.programme.group_min if main else None,
        "agreed_group_max": main.programme.group_max if main else None,
        "agreed_yearly": str(agreement.yearly_amount) if agreement else "0",
        "price_year": agreement.price_year if agreement else None,
        "indexed_yearly": str(yearly),
        **asdict(performed),
        "average_group_size": str(average.quantize(Decimal("0.1"))),
        "courses_started": courses.filter(start_date__range=(first, last)).count(),
        "courses_completed": courses.filter(end_date__range=(first, last)).count(),
        "amount": str((yearly / MONTHS_A_YEAR).quantize(ORE, rounding=ROUND_HALF_UP)),
    }


def below_agreed_group_size(figures: dict[str, Any]) -> bool:
    """R18: the month's groups were smaller on average than the agreement's minimum (as
    shown, one decimal). A month without group sessions has no average to judge."""
    minimum = figures.get("agreed_group_min")
    if not minimum or not figures.get("group_sessions"):
        return False
    return Decimal(figures["average_group_size"]) < minimum


def changed_since_confirmed(statement: Statement, live: Performed) -> list[str]:
    """The performed figures (keys) that differ now from the confirmed statement's: marks
    made on the month's days after it was confirmed. A key the statement lacks (confirmed
    before the figure existed) is not compared."""
    confirmed = statement.figures
    return [
        key for key, value in asdict(live).items() if key in confirmed and confirmed[key] != value
    ]


class StatementConflict(Exception):
    """A newer version was confirmed after the page the manager saved from was loaded."""

    def __init__(self, current: Statement) -> None:
        super().__init__(current.version)
        self.current = current


def statement_confirm(
    *,
    unit: Unit,
    month: datetime.date,
    reason: str,
    today: datetime.date,
    by: User,
    seen_version: int | None = None,
) -> Statement:
    """The manager confirms the month: the figures are frozen in a new version.

    A second version is a correction and needs a reason; the earlier one stays readable.
    `seen_version` is the latest version on the manager's page (0 for none): a newer one
    means two corrections crossed, and the later would quietly supersede the other."""
    first, last = month_bounds(month)
    if last >= today:
        raise ValidationError(_("Månaden är inte slut än. Bekräfta den efter månadens slut."))
    if not by.is_manager:
        raise ValidationError(_("Enhetschefen bekräftar månadsredovisningen."))
    with transaction.atomic():
        Unit.objects.select_for_update().get(pk=unit.pk)
        versions = Statement.objects.filter(unit=unit, month=first)
        latest = versions.aggregate(v=Max("version"))["v"]
        if seen_version is not None and latest and latest != seen_version:
            raise StatementConflict(versions.select_related("confirmed_by").get(version=latest))
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
