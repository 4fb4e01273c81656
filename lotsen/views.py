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
from plans.models import Plan

HOME_LIST_LENGTH = 50


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What is mine to do today: the overdue plans where I am the contact person."""
    today = timezone.localdate()
    overdue = (
        Plan.objects.overdue(on=today)
        .for_units(units_of(request))
        .filter(enrolment__contact_person=user_of(request))
        .select_related("enrolment__participant", "enrolment__programme")
        .order_by("follow_up_due")
    )
    return render(
        request,
        "home.html",
        {"overdue": overdue[:HOME_LIST_LENGTH], "overdue_count": overdue.count(), "today": today},
    )


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
