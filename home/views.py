"""The home page: what a staff member should do next (Mina uppgifter).

It reads plans (reminders), places (R6 weekly hours) and the journal (drafts), and each
role's own work, so it is the top layer: it may import every app and none imports it
(decision 0011).
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from employment.home import specialist_work
from lotsen.access import user_of
from participants.models import Enrolment, Participant
from participants.record_log import log_shown_ids
from participants.training_hours import (
    low_attendance_message,
    low_attendance_places,
    training_attendance,
)
from plans.reminders import KIND_LABELS, Digest, reminder_items
from reporting.home import manager_reports_due
from treatment.home import therapist_home

HOME_LIST_LENGTH = 50


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Mina uppgifter: what needs doing in the places where I am the contact person,
    in the order to do it (R13 follow-ups and missing plans, R14 renewals, R7 ends).
    One query per kind, whatever the caseload."""
    today = timezone.localdate()
    user = user_of(request)
    mine = Enrolment.objects.filter(contact_person=user).for_user_units(user)
    items = reminder_items(today=today, per_partition=HOME_LIST_LENGTH, places=mine)
    by_kind: dict[str, Digest] = defaultdict(Digest)
    for item in items:
        by_kind[item.kind].add(item)
    sections = [
        (kind, label, by_kind[kind].finish(HOME_LIST_LENGTH))
        for kind, label in KIND_LABELS.items()
        if kind in by_kind
    ]
    # R6: found in the database, then only the first few are worked out week by week.
    flagged = low_attendance_places(mine.running_on(today), today=today).order_by(
        "participant__last_name", "participant__first_name", "pk"
    )
    low_attendance = [
        (row, low_attendance_message(row))
        for row in training_attendance(
            Enrolment.objects.filter(pk__in=[p.pk for p in flagged[:HOME_LIST_LENGTH]]),
            today=today,
        )
        if row.flagged
    ]
    # Unsigned journal drafts.
    drafts = list(
        user.journal_drafts.filter(
            participant__in=Participant.objects.visible_to(user)
        ).select_related("participant")
    )
    places = {i.place_id for _k, _l, d in sections for i in d.items}
    places |= {row.place.pk for row, _m in low_attendance}
    shown = Enrolment.objects.filter(pk__in=places).values_list(
        "participant_id", "participant__unit_id"
    )
    drafted = [(d.participant_id, d.participant.unit_id) for d in drafts]
    log_shown_ids(request, [*shown, *drafted])
    context = {
        "drafts": drafts,
        "employment": specialist_work(user, today=today),
        "low_attendance": low_attendance,
        "low_attendance_count": flagged.count(),
        "sections": sections,
        "today": today,
        "reports_due": manager_reports_due(user, today=today),
    }
    context["treatment"] = therapist_home(user, today=today)
    return render(request, "home.html", context)
