"""The therapists' part of the home page: their courses, this week's sessions, who is
expected, groups below their minimum and measurements due (R18, R23)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch

from activities.models import Session
from lotsen.models import Unit
from participants.models import Participant
from treatment.models import Course, CourseParticipant, Stage, Statement
from treatment.results import due_measurements
from treatment.services import below_minimum

if TYPE_CHECKING:
    from lotsen.models import User


def therapist_home(
    user: User, *, today: datetime.date, units: list[Unit] | None = None
) -> dict[str, Any]:
    """Seven queries whatever the number of courses and people; empty where no unit of the
    user runs courses (a unit sees only what its programmes need). `units`: the user's
    units that run courses, when the caller has them (read when not given)."""
    if units is None:
        units = list(
            Unit.objects.filter(staff=user, programmes__course_type__isnull=False).distinct()
        )
    if not units:
        return {}
    monday = today - datetime.timedelta(days=today.weekday())
    sunday = monday + datetime.timedelta(days=6)
    visible = Participant.objects.visible_to(user)
    current = CourseParticipant.objects.current().filter(participant__in=visible)
    courses = list(
        Course.objects.filter(activity__leaders=user, end_date__gte=today)
        .select_related("programme")
        .prefetch_related(
            Prefetch(
                "participants",
                queryset=current.select_related("participant"),
                to_attr="expected",
            ),
            Prefetch(
                "activity__sessions",
                queryset=Session.objects.between(monday, sunday),
                to_attr="this_week",
            ),
        )
        .order_by("start_date")
    )
    rows = [
        (c, below_minimum(c, current=len(c.expected), on=today))  # type: ignore[attr-defined]
        for c in courses
    ]
    memberships = list(
        CourseParticipant.objects.filter(course__activity__leaders=user, participant__in=visible)
        .select_related("participant", "course")
        .prefetch_related("measurements")
    )
    due = due_measurements(memberships, list(Stage.objects.all()), today=today)
    return {
        "units": units,
        "courses": rows,
        "due_measurements": due,
        "statements_due": _statements_due(user, units, today),
        "today": today,
    }


def _statements_due(user: User, units: list[Unit], today: datetime.date) -> list[Unit]:
    """For the unit manager: units whose last month is not yet confirmed (R25)."""
    if not user.is_manager:
        return []
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    confirmed = set(
        Statement.objects.filter(unit__in=units, month=last_month).values_list("unit", flat=True)
    )
    return [u for u in units if u.pk not in confirmed]
