"""Activities and sessions, fetched only within the user's units (L2)."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from activities.models import Activity, Session
from lotsen.access import units_of


def get_activity_for_user(request: HttpRequest, pk: int) -> Activity:
    queryset = Activity.objects.for_units(units_of(request)).select_related("unit", "programme")
    return get_object_or_404(queryset, pk=pk)


def get_session_for_user(request: HttpRequest, pk: int) -> Session:
    queryset = Session.objects.filter(activity__unit__in=units_of(request)).select_related(
        "activity__unit", "activity__programme"
    )
    return get_object_or_404(queryset, pk=pk)
