"""Courses and course participants, fetched only within the user's units (L2); a read of a
person's course record is logged."""

from __future__ import annotations

from auditlog.signals import accessed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from lotsen.access import units_of, user_of
from participants.models import Participant
from treatment.models import Course, CourseParticipant


def get_course_for_user(request: HttpRequest, pk: int) -> Course:
    queryset = Course.objects.for_units(units_of(request)).select_related(
        "programme__unit", "activity"
    )
    return get_object_or_404(queryset, pk=pk)


def get_membership_for_user(request: HttpRequest, pk: int) -> CourseParticipant:
    visible = Participant.objects.visible_to(user_of(request))
    queryset = CourseParticipant.objects.filter(
        course__programme__unit__in=units_of(request), participant__in=visible
    ).select_related("participant", "course__programme__unit", "course__activity", "place")
    membership = get_object_or_404(queryset, pk=pk)
    accessed.send(sender=Participant, instance=membership.participant)
    return membership
