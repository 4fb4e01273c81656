from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from lotsen.access import units_of, user_of
from lotsen.celery import app as celery_app
from participants.models import Enrolment

HOME_LIST_LENGTH = 50


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Mina uppgifter: what needs doing in the places where I am the contact person,
    most urgent first (R13 follow-ups and missing plans, R7 places nearing their end)."""
    today = timezone.localdate()
    places = (
        Enrolment.objects.filter(
            contact_person=user_of(request), programme__unit__in=units_of(request), outcome=""
        )
        .active_on(today)
        .select_related("participant", "programme", "plan")
    )
    tasks: dict[str, list[Enrolment]] = {"overdue": [], "missing": [], "due_soon": []}
    ending = []
    for place in places:
        status = place.plan_status(today)
        if status in tasks:
            tasks[status].append(place)
        if place.duration_warning(today):
            ending.append(place)
    tasks["overdue"].sort(key=lambda p: p.plan.follow_up_due or today)
    tasks["due_soon"].sort(key=lambda p: p.plan.follow_up_due or today)
    tasks["missing"].sort(key=lambda p: p.start_date)
    ending.sort(key=lambda p: p.duration_warning(today) or today)
    context = {
        "overdue": tasks["overdue"][:HOME_LIST_LENGTH],
        "overdue_count": len(tasks["overdue"]),
        "missing": tasks["missing"][:HOME_LIST_LENGTH],
        "due_soon": tasks["due_soon"][:HOME_LIST_LENGTH],
        "ending": [(p, p.duration_warning(today)) for p in ending[:HOME_LIST_LENGTH]],
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
