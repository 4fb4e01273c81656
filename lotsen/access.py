"""Every object a view shows is fetched here, scoped to the user's units (L2).

Anything outside the user's units is a 404, so that another unit's staff cannot
even learn that a record exists.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from auditlog.signals import accessed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from activities.models import Activity, Session
from lotsen.models import Programme, Unit
from participants.models import Enrolment, Participant
from plans.models import Plan
from referrals.models import (
    CollaborationAction,
    CollaborationMeeting,
    HousingSupportUnit,
    OutreachActivity,
    Referral,
)

if TYPE_CHECKING:
    from lotsen.models import User


def user_of(request: HttpRequest) -> User:
    user = request.user
    assert user.is_authenticated
    return user  # type: ignore[return-value]


def units_of(request: HttpRequest) -> QuerySet[Unit]:
    return Unit.objects.filter(staff=user_of(request))


def get_participant_for_user(request: HttpRequest, pk: int) -> Participant:
    """The participant if the user may see them; the read is logged (L2)."""
    participant = get_object_or_404(Participant.objects.visible_to(user_of(request)), pk=pk)
    accessed.send(sender=Participant, instance=participant)
    return participant


def get_enrolment_for_user(request: HttpRequest, pk: int) -> Enrolment:
    visible = Participant.objects.visible_to(user_of(request))
    queryset = Enrolment.objects.filter(
        programme__unit__in=units_of(request), participant__in=visible
    ).select_related("participant", "programme__unit", "contact_person")
    enrolment = get_object_or_404(queryset, pk=pk)
    accessed.send(sender=Participant, instance=enrolment.participant)
    return enrolment


def get_plan_for_user(request: HttpRequest, pk: int) -> Plan:
    visible = Participant.objects.visible_to(user_of(request))
    queryset = (
        Plan.objects.for_units(units_of(request))
        .filter(enrolment__participant__in=visible)
        .select_related(
            "enrolment__participant", "enrolment__programme__unit", "enrolment__contact_person"
        )
    )
    plan = get_object_or_404(queryset, pk=pk)
    # Logged on the person too, so that "who read X's records" finds plan reads (L2).
    accessed.send(sender=Participant, instance=plan.enrolment.participant)
    accessed.send(sender=Plan, instance=plan)
    return plan


def programmes_for(request: HttpRequest) -> QuerySet[Programme]:
    return Programme.objects.filter(unit__in=units_of(request)).select_related("unit")


def get_referral_for_user(request: HttpRequest, pk: int) -> Referral:
    """A referral at the user's units; one about a protected person only for their team (L4).
    The read is logged on the referral and on the linked person (L2)."""
    queryset = Referral.objects.visible_to(user_of(request)).select_related(
        "unit", "programme", "participant", "housing_support_unit", "outreach", "enrolment"
    )
    referral = get_object_or_404(queryset, pk=pk)
    accessed.send(sender=Referral, instance=referral)
    if referral.participant is not None:
        accessed.send(sender=Participant, instance=referral.participant)
    return referral


def get_housing_support_unit_for_user(request: HttpRequest, pk: int) -> HousingSupportUnit:
    return get_object_or_404(
        HousingSupportUnit.objects.filter(unit__in=units_of(request)).select_related("unit"), pk=pk
    )


def get_meeting_for_user(request: HttpRequest, pk: int) -> CollaborationMeeting:
    return get_object_or_404(
        CollaborationMeeting.objects.filter(unit__in=units_of(request)).select_related(
            "unit", "housing_support_unit"
        ),
        pk=pk,
    )


def get_action_for_user(request: HttpRequest, pk: int) -> CollaborationAction:
    return get_object_or_404(
        CollaborationAction.objects.filter(meeting__unit__in=units_of(request)).select_related(
            "meeting"
        ),
        pk=pk,
    )


def get_outreach_for_user(request: HttpRequest, pk: int) -> OutreachActivity:
    return get_object_or_404(
        OutreachActivity.objects.filter(unit__in=units_of(request)).select_related(
            "unit", "housing_support_unit"
        ),
        pk=pk,
    )


def get_unit_for_user(request: HttpRequest, slug: str) -> Unit:
    """One of the user's units; any other unit is a 404 (L2)."""
    return get_object_or_404(units_of(request), slug=slug)


def get_activity_for_user(request: HttpRequest, pk: int) -> Activity:
    queryset = Activity.objects.for_units(units_of(request)).select_related("unit", "programme")
    return get_object_or_404(queryset, pk=pk)


def get_session_for_user(request: HttpRequest, pk: int) -> Session:
    queryset = Session.objects.filter(activity__unit__in=units_of(request)).select_related(
        "activity__unit", "activity__programme"
    )
    return get_object_or_404(queryset, pk=pk)
