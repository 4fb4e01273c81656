"""The home page: what a staff member should do next (Mina uppgifter).

It reads plans (reminders), places (R6 weekly hours) and the journal (drafts), and each
role's own work, so it is the top layer: it may import every app and none imports it
(decision 0011).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, OuterRef, Window
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from employment.home import specialist_work
from home.context_processors import UNIT_SESSION_KEY, work_of
from home.dashboard import unit_dashboard
from lotsen.access import get_unit_for_user, user_of
from lotsen.models import Programme, Role, User
from participants.models import Assessment, Enrolment, Participant
from participants.record_log import log_shown_ids
from participants.training_hours import (
    low_attendance_message,
    low_attendance_places,
    training_attendance_of,
)
from plans.caseload import caseload_reminders
from plans.reminders import KIND_LABELS, Digest
from reporting.home import manager_reports_due
from treatment.home import therapist_home

HOME_LIST_LENGTH = 50


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Mina uppgifter: what needs doing in the places where I am the contact person,
    in the order to do it (R13 follow-ups and missing plans, R14 renewals, R7 ends).
    A fixed number of queries, whatever the caseload: every kind is ranked in one."""
    today = timezone.localdate()
    user = user_of(request)
    work = work_of(request)
    programmes = list(Programme.objects.filter(unit__staff=user))
    # The places at the user's units (L2), as for_user_units says it, by the programmes just
    # read: the planner then goes by contact person and programme, not by every programme's
    # places.
    mine = Enrolment.objects.filter(contact_person=user, programme__in=[p.pk for p in programmes])
    items, people = caseload_reminders(
        today=today, per_partition=HOME_LIST_LENGTH, places=mine, programmes=programmes
    )
    by_kind: dict[str, Digest] = defaultdict(Digest)
    for item in items:
        by_kind[item.kind].add(item)
    sections = [
        (kind, label, by_kind[kind].finish(HOME_LIST_LENGTH))
        for kind, label in KIND_LABELS.items()
        if kind in by_kind
    ]
    # R6: found in the database with their count, then only the first few are worked out
    # week by week.
    flagged = list(
        low_attendance_places(mine.running_on(today), today=today, programmes=programmes)
        .select_related("participant", "programme", "contact_person")
        .annotate(found=Window(Count("pk")))
        .order_by("participant__last_name", "participant__first_name", "pk")[:HOME_LIST_LENGTH]
    )
    low_attendance = [
        (row, low_attendance_message(row))
        for row in training_attendance_of(
            sorted(flagged, key=lambda place: place.start_date, reverse=True), today=today
        )
        if row.flagged
    ]
    # Unsigned journal drafts.
    drafts = list(
        user.journal_drafts.filter(
            participant__in=Participant.objects.visible_to(user)
        ).select_related("participant")
    )
    shown = [people[i.place_id] for _k, _l, d in sections for i in d.items]
    shown += [
        (row.place.participant_id, row.place.participant.unit_id) for row, _m in low_attendance
    ]
    drafted = [(d.participant_id, d.participant.unit_id) for d in drafts]
    to_assess = (
        assessments_to_do(user, today=today) if user.role == Role.OCCUPATIONAL_THERAPIST else None
    )
    assessed = [(p.participant_id, p.participant.unit_id) for p in to_assess or []]
    log_shown_ids(request, [*shown, *drafted, *assessed])
    context: dict[str, Any] = {
        "drafts": drafts,
        "employment": specialist_work(user, today=today),
        "low_attendance": low_attendance,
        "low_attendance_count": flagged[0].found if flagged else 0,  # type: ignore[attr-defined]
        "sections": sections,
        "today": today,
        "reports_due": manager_reports_due(user, today=today),
        "treatment": therapist_home(user, today=today, units=work.course_units),
        "work_here": work,
    }
    if user.is_manager and work.unit is not None:
        context["dashboard"] = unit_dashboard(work.unit, today=today)
    if to_assess is not None:
        context["assessments_to_do"] = to_assess
    return render(request, "home.html", context)


def assessments_to_do(user: User, *, today: datetime.date) -> list[Enrolment]:
    """R10: people in first-step training at the user's units with no assessment of work
    capacity there yet, longest in training first."""
    assessed = Assessment.objects.filter(
        participant_id=OuterRef("participant_id"), unit_id=OuterRef("programme__unit_id")
    )
    return list(
        Enrolment.objects.for_user_units(user)
        .running_on(today)
        .filter(programme__is_work_training=True)
        .filter(participant__in=Participant.objects.visible_to(user))
        .exclude(Exists(assessed))
        .select_related("participant", "programme")
        .order_by("start_date", "pk")[:HOME_LIST_LENGTH]
    )


@login_required
@require_POST
def switch_unit(request: HttpRequest) -> HttpResponse:
    """The header's unit switch, for staff of several units: kept in the session."""
    unit = get_unit_for_user(request, request.POST.get("unit", ""))
    request.session[UNIT_SESSION_KEY] = unit.pk
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = "/"
    return redirect(target)
