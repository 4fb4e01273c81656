"""Correcting a past day's attendance (L1): after the correction window a mark is changed
or removed only with a reason, and the old mark stays readable on the sheet and session."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from activities.access import get_session_for_user
from activities.attendance import session_attendance_correct, visit_correct
from activities.forms import CorrectionForm
from activities.models import AttendanceCorrection, SessionAttendance
from lotsen.access import get_unit_for_user, user_of
from participants.access import get_participant_for_user
from participants.forms import add_rule_errors
from participants.models import Participant, Visit


def corrections_shown(
    visible: QuerySet[Participant], **where: object
) -> list[AttendanceCorrection]:
    """The corrections of a day or session, for people the user may see (one query)."""
    return list(
        AttendanceCorrection.objects.filter(participant__in=visible, **where).select_related(
            "participant", "created_by", "programme", "session__activity"
        )
    )


@login_required
def visit_correct_view(
    request: HttpRequest, unit: str, day: datetime.date, participant_pk: int, programme_pk: int
) -> HttpResponse:
    the_unit = get_unit_for_user(request, unit)
    participant = get_participant_for_user(request, participant_pk)
    programme = get_object_or_404(the_unit.programmes, pk=programme_pk)
    visit = get_object_or_404(Visit, participant=participant, programme=programme, date=day)
    form = CorrectionForm(request.POST or None, with_hours=programme.is_work_training)
    if request.method == "POST" and form.is_valid():
        try:
            visit_correct(
                participant=participant,
                programme=programme,
                day=day,
                hours=form.cleaned_data.get("hours"),
                remove=form.cleaned_data.get("remove", True),
                reason=form.cleaned_data["reason"],
                by=user_of(request),
            )
        except ValidationError as error:
            add_rule_errors(form, error)
        else:
            messages.success(request, _("Närvaron är rättad. Den gamla markeringen syns kvar."))
            return redirect("activities:sheet", unit=the_unit.slug, day=day)
    context = {
        "form": form,
        "participant": participant,
        "what": programme.name,
        "day": day,
        "old_hours": visit.hours,
        "back": reverse("activities:sheet", args=[the_unit.slug, day]),
    }
    return render(request, "activities/correct.html", context)


@login_required
def session_correct_view(
    request: HttpRequest, session_pk: int, participant_pk: int
) -> HttpResponse:
    session = get_session_for_user(request, session_pk)
    participant = get_participant_for_user(request, participant_pk)
    attendance = get_object_or_404(SessionAttendance, session=session, participant=participant)
    form = CorrectionForm(request.POST or None, with_hours=False)
    if request.method == "POST" and form.is_valid():
        try:
            session_attendance_correct(
                attendance=attendance, reason=form.cleaned_data["reason"], by=user_of(request)
            )
        except ValidationError as error:
            add_rule_errors(form, error)
        else:
            messages.success(request, _("Närvaron är borttagen. Den gamla markeringen syns kvar."))
            return redirect("activities:session", session_pk=session.pk)
    context = {
        "form": form,
        "participant": participant,
        "what": session.activity.title,
        "day": session.date,
        "old_hours": None,
        "back": reverse("activities:session", args=[session.pk]),
    }
    return render(request, "activities/correct.html", context)
