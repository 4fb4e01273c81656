"""Referrals and the work with boendestöd, fetched only within the user's units (L2)."""

from __future__ import annotations

from auditlog.signals import accessed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from lotsen.access import units_of, user_of
from participants.models import Participant
from referrals.models import (
    CollaborationAction,
    CollaborationMeeting,
    HousingSupportUnit,
    OutreachActivity,
    Referral,
)


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
