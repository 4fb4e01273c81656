"""A person and their places, fetched only within the user's units (L2); reads are logged."""

from __future__ import annotations

from auditlog.signals import accessed
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from lotsen.access import units_of, user_of
from participants.models import Enrolment, Participant


def get_participant_for_user(request: HttpRequest, pk: int) -> Participant:
    """The participant if the user may see them; the read is logged (L2)."""
    participant = Participant.objects.visible_one(user_of(request), pk)
    if participant is None:
        raise Http404
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
