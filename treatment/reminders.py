"""Measurements due (R23) in the daily reminder e-mail, like plan follow-ups.

Registered with plans' digest in TreatmentConfig.ready (decision 0013): plans lies below
treatment in the layers and never imports it."""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from lotsen.models import Role, User
from treatment.models import CourseParticipant, Stage
from treatment.results import DUE_SOON, Due, due_measurements

if TYPE_CHECKING:
    from plans.reminders import EmailLine


def measurement_lines(today: datetime.date) -> dict[User, list[EmailLine]]:
    """Per recipient, the measurements due within two weeks and not yet taken, oldest first.

    To the course's therapists who still work at the unit and have an e-mail address;
    otherwise to the unit's managers. A fixed number of queries."""
    stages = list(Stage.objects.all())
    if not stages:
        return {}
    longest = max(s.months_after for s in stages)
    # Follow-ups count from the day a person left; older memberships have nothing due
    # unless a measurement was never taken, which the work list on the home page shows.
    since = today - relativedelta(months=longest) - DUE_SOON
    memberships = list(
        CourseParticipant.objects.filter(Q(left_on__isnull=True) | Q(left_on__gte=since))
        .select_related("participant", "course__programme")
        .prefetch_related("measurements", "course__activity__leaders__units")
    )
    due = due_measurements(memberships, stages, today=today)
    managers = _managers({d.membership.course.programme.unit_id for d in due})
    lines: dict[User, list[EmailLine]] = defaultdict(list)
    for item in due:
        for person in _recipients(item, managers):
            lines[person].append(_line(item))
    return lines


def _recipients(item: Due, managers: dict[int, list[User]]) -> list[User]:
    unit_id = item.membership.course.programme.unit_id
    leaders = [
        leader
        for leader in item.membership.course.activity.leaders.all()
        if leader.is_active and leader.email and unit_id in {u.pk for u in leader.units.all()}
    ]
    return leaders or managers.get(unit_id, [])


def _managers(unit_ids: set[int]) -> dict[int, list[User]]:
    through = User.units.through.objects.filter(
        unit_id__in=unit_ids, user__is_active=True, user__role=Role.MANAGER
    ).select_related("user")
    found: dict[int, list[User]] = defaultdict(list)
    for membership in through:
        found[membership.unit_id].append(membership.user)
    return found


def _line(item: Due) -> EmailLine:
    person = item.membership.participant
    short = f"{person.first_name} {person.last_name[:1]}."
    path = reverse("treatment:measure", kwargs={"membership_pk": item.membership.pk})
    return {
        # L4: a person with protected identity is never named in an e-mail.
        "name": None if person.protected_identity else short,
        "programme": item.membership.course.name,
        # Lazy: the e-mail is rendered in Swedish whatever language the worker runs in.
        "label": format_lazy("{}: {}", _("Mätning"), item.stage.name),
        "date": item.date,
        "path": f"{path}?stage={item.stage.pk}",
        "hidden": _("en mätning i en av dina kurser ska göras"),
    }
