from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from lotsen.access import user_of
from lotsen.celery import app as celery_app
from participants.attendance import (
    low_attendance_message,
    low_attendance_places,
    training_attendance,
)
from participants.models import Enrolment
from plans.reminders import KIND_LABELS, Digest, reminder_items

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
    context = {
        "low_attendance": low_attendance,
        "low_attendance_count": flagged.count(),
        "sections": sections,
        "today": today,
    }
    return render(request, "home.html", context)


@require_GET
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when the database and the broker answer, else 503."""
    checks = {"database": _check_database(), "broker": _check_broker()}
    healthy = all(state == "ok" for state in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return "error"
    return "ok"


def _check_broker() -> str:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception:
        return "error"
    return "ok"
