"""Figures per unit and year for collaboration (R4, R19) and the annual report (R2, R22)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from lotsen.models import Unit
from lotsen.sql import DaysBetween
from participants.models import Enrolment
from referrals.models import (
    CollaborationMeeting,
    HousingSupportUnit,
    IsaPresented,
    MeetingStatus,
    OutreachActivity,
    Referral,
    ReferralStep,
    Status,
)
from referrals.services import (
    WaitingFigures,
    by_initiator,
    initiator_counts,
    waiting_figures_of,
)


@dataclass
class HousingUnitRow:
    name: str
    activities: int
    people_reached: int
    referrals: int
    accepted: int
    meetings_held: int


@dataclass
class CollaborationFigures:
    unit: Unit
    year: int
    participants: int
    with_housing_support: int
    via_outreach: int
    outreach_activities: int
    people_reached: int
    isa_presented: int
    rows: list[HousingUnitRow] = field(default_factory=list)


def _period(year: int, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), min(today, datetime.date(year, 12, 31))


def collaboration_figures(*, unit: Unit, year: int, today: datetime.date) -> CollaborationFigures:
    """Participants with a place in the year: how many have boendestöd (R4, R19) and how
    many came through outreach (a referral linked to an outreach activity)."""
    start, end = _period(year, today)
    places = Enrolment.objects.filter(programme__unit=unit).overlapping(start, end)
    came = Referral.objects.filter(unit=unit, outreach__isnull=False).values("participant")
    totals = places.aggregate(
        participants=Count("participant", distinct=True),
        with_housing_support=Count(
            "participant", filter=Q(participant__has_housing_support=True), distinct=True
        ),
        via_outreach=Count("participant", filter=Q(participant__in=came), distinct=True),
    )
    activities = OutreachActivity.objects.filter(unit=unit, date__range=(start, end))
    outreach = activities.aggregate(
        outreach_activities=Count("pk"),
        people_reached=Sum("people_reached", default=0),
        isa_presented=Count("pk", filter=Q(isa_presented=IsaPresented.YES)),
    )
    return CollaborationFigures(
        unit=unit, year=year, rows=_housing_rows(unit, start, end), **totals, **outreach
    )


def _housing_rows(unit: Unit, start: datetime.date, end: datetime.date) -> list[HousingUnitRow]:
    in_year = Q(outreach__date__range=(start, end))
    # Counted in a subquery: a second join would multiply the sums beside it.
    meetings = (
        CollaborationMeeting.objects.filter(
            housing_support_unit=OuterRef("pk"),
            status=MeetingStatus.HELD,
            held_on__range=(start, end),
        )
        .order_by()
        .values("housing_support_unit")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = HousingSupportUnit.objects.filter(unit=unit).annotate(
        n_activities=Count("outreach", filter=in_year),
        n_reached=Sum("outreach__people_reached", filter=in_year, default=0),
        n_meetings=Coalesce(Subquery(meetings), 0),
    )
    referral_counts = {
        row["housing_support_unit"]: row
        for row in Referral.objects.filter(unit=unit, received_on__range=(start, end))
        .values("housing_support_unit")
        .annotate(n=Count("pk"), accepted=Count("pk", filter=Q(status=Status.ACCEPTED)))
    }
    return [
        HousingUnitRow(
            name=h.name,
            activities=h.n_activities,
            people_reached=h.n_reached,
            referrals=referral_counts.get(h.pk, {}).get("n", 0),
            accepted=referral_counts.get(h.pk, {}).get("accepted", 0),
            meetings_held=h.n_meetings,
        )
        for h in rows
    ]


@dataclass
class ReferralFigures:
    received: int
    accepted: int
    by_initiator: list[tuple[str, int]]
    waiting_now: WaitingFigures
    waited_in_year: WaitingFigures


def referral_figures(*, unit: Unit, year: int, today: datetime.date) -> ReferralFigures:
    """R2 and R22 for the annual report: referrals by initiator and waiting times."""
    start, end = _period(year, today)
    counts = initiator_counts(unit=unit, start=start, end=end)
    waiting = Referral.objects.filter(unit=unit, status=Status.WAITING, erased_on__isnull=True)
    waited = accepted_steps(unit, start, end)
    waited_in_year = waiting_figures_of(waited, WAITED)
    return ReferralFigures(
        received=sum(counts.values()),
        accepted=waited_in_year.count,
        by_initiator=by_initiator(counts),
        waiting_now=waiting_figures_of(waiting, DaysBetween(Value(today), F("received_on"))),
        waited_in_year=waited_in_year,
    )


# Days from a referral's receipt to the step that accepted it (R22).
WAITED = DaysBetween(F("on"), F("referral__received_on"))


def accepted_steps(unit: Unit, start: datetime.date, end: datetime.date) -> QuerySet[ReferralStep]:
    """The steps that accepted the unit's referrals in the period (one per acceptance)."""
    return ReferralStep.objects.filter(
        referral__unit=unit, to_status=Status.ACCEPTED, on__range=(start, end)
    )
