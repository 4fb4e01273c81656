"""A plan, fetched only within the user's units and for people they may see (L2, L4)."""

from __future__ import annotations

from auditlog.signals import accessed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from lotsen.access import units_of, user_of
from participants.models import Participant
from plans.models import Plan


def get_plan_for_user(request: HttpRequest, pk: int) -> Plan:
    visible = Participant.objects.visible_to(user_of(request))
    queryset = (
        Plan.objects.for_units(units_of(request))
        .filter(enrolment__participant__in=visible)
        .select_related(
            "enrolment__participant",
            "enrolment__programme__unit",
            "enrolment__contact_person",
            "created_by",
        )
    )
    plan = get_object_or_404(queryset, pk=pk)
    # Logged on the person too, so that "who read X's records" finds plan reads (L2).
    accessed.send(sender=Participant, instance=plan.enrolment.participant)
    accessed.send(sender=Plan, instance=plan)
    return plan
