"""Pages for group activities and their sessions (R17, R18).

Plain forms that redirect back; people are chosen from lists, so no names reach a URL.
"""

from __future__ import annotations

from typing import Any

from dateutil.relativedelta import relativedelta
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities.access import get_activity_for_user, get_session_for_user
from activities.attendance import past_correction_window
from activities.correction_views import corrections_shown
from activities.forms import (
    ActivityForm,
    PersonChoiceForm,
    SessionCancelForm,
    SessionMoveForm,
)
from activities.models import Activity, ActivityMember, Session, SessionAttendance
from activities.services import (
    activity_create,
    attendance_mark,
    attendance_unmark,
    member_add,
    member_remove,
    session_cancel,
    session_move,
    session_reinstate,
)
from lotsen.access import get_unit_for_user, user_of, working_staff
from lotsen.input import posted_id
from lotsen.models import Unit
from participants.models import Participant
from participants.record_log import log_shown


@login_required
def activity_list(request: HttpRequest, unit: str) -> HttpResponse:
    the_unit = get_unit_for_user(request, unit)
    today = timezone.localdate()
    activities = (
        the_unit.activity_set.filter(last_date__gte=today)
        .select_related("programme")
        .annotate(n_members=Count("members", distinct=True))
        .prefetch_related(
            "leaders",
            Prefetch(
                "sessions",
                queryset=Session.objects.filter(date__gte=today, cancelled=False),
                to_attr="coming",
            ),
        )
        .order_by("title")
    )
    return render(
        request,
        "activities/list.html",
        {"unit": the_unit, "activities": activities, "today": today},
    )


@login_required
def activity_create_view(request: HttpRequest, unit: str) -> HttpResponse:
    the_unit = get_unit_for_user(request, unit)
    form = ActivityForm(
        request.POST or None,
        programmes=the_unit.programmes.all(),
        staff=working_staff(Unit.objects.filter(pk=the_unit.pk)),
        initial={"first_date": timezone.localdate(), "place": the_unit.name},
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in {"leaders", "weekdays"}}
        try:
            activity = activity_create(
                unit=the_unit,
                leaders=list(form.cleaned_data["leaders"]),
                weekdays=form.cleaned_data["weekdays"],
                by=user_of(request),
                **data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Aktiviteten är sparad med %(n)s tillfällen.") % {"n": activity.sessions.count()},
            )
            return redirect("activities:activity", activity_pk=activity.pk)
    return render(
        request,
        "activities/activity_form.html",
        {"form": form, "unit": the_unit},
        status=400 if form.is_bound else 200,
    )


def _people_for(request: HttpRequest, unit: Unit) -> Any:
    return Participant.objects.visible_to(user_of(request)).filter(unit=unit)


def _of_age(people: Any, activity: Activity) -> Any:
    """The picker offers only people inside the activity's ages today (R17); the service
    still checks the age on the day a person is added."""
    low, high = activity.age_limits()
    today = timezone.localdate()
    if low is not None:
        people = people.filter(birth_date__lte=today - relativedelta(years=low))
    if high is not None:
        people = people.filter(birth_date__gt=today - relativedelta(years=high + 1))
    return people


@login_required
def activity_detail(request: HttpRequest, activity_pk: int) -> HttpResponse:
    activity = get_activity_for_user(request, activity_pk)
    people = _people_for(request, activity.unit)
    members = list(
        ActivityMember.objects.filter(activity=activity, participant__in=people).select_related(
            "participant"
        )
    )
    context = {
        "activity": activity,
        "leaders": activity.leaders.all(),
        "sessions": activity.sessions.annotate(n_present=Count("attendances")),
        "members": members,
        "hidden_members": activity.members.count() - len(members),
        "member_form": PersonChoiceForm(
            people=_of_age(people, activity).exclude(activity_memberships__activity=activity)
        ),
        "limit": activity.participant_limit(),
        "today": timezone.localdate(),
    }
    return render(request, "activities/activity.html", context)


@login_required
@require_POST
def activity_member_add(request: HttpRequest, activity_pk: int) -> HttpResponse:
    """R17/R18: a new member within the group size and ages, with a clear message if not."""
    activity = get_activity_for_user(request, activity_pk)
    form = PersonChoiceForm(request.POST, people=_people_for(request, activity.unit))
    if form.is_valid():
        try:
            _member, created = member_add(
                activity=activity, participant=form.cleaned_data["participant"], by=user_of(request)
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if created:
                messages.success(request, _("Personen är med i gruppen."))
            else:
                messages.info(request, _("Personen var redan med i gruppen."))
    else:
        messages.error(request, _("Välj en person i listan."))
    return redirect("activities:activity", activity_pk=activity.pk)


@login_required
@require_POST
def activity_member_remove(request: HttpRequest, activity_pk: int) -> HttpResponse:
    activity = get_activity_for_user(request, activity_pk)
    participant = get_object_or_404(
        _people_for(request, activity.unit), pk=posted_id(request, "participant")
    )
    member_remove(activity=activity, participant=participant)
    messages.success(request, _("Personen är inte längre med i gruppen."))
    return redirect("activities:activity", activity_pk=activity.pk)


@login_required
def session_detail(request: HttpRequest, session_pk: int) -> HttpResponse:
    session = get_session_for_user(request, session_pk)
    return _render_session(request, session)


def _render_session(
    request: HttpRequest, session: Session, status: int = 200, **forms: Any
) -> HttpResponse:
    people = _people_for(request, session.activity.unit)
    present = {
        a.participant_id: a
        for a in SessionAttendance.objects.filter(
            session=session, participant__in=people
        ).select_related("participant")
    }
    members = [
        m.participant
        for m in ActivityMember.objects.filter(
            activity=session.activity, participant__in=people
        ).select_related("participant")
    ]
    guests = [a.participant for pid, a in present.items() if pid not in {m.pk for m in members}]
    log_shown(request, [*members, *guests])
    today = timezone.localdate()
    context = {
        "locked": past_correction_window(session.date, today),
        "ahead": session.date > today,
        "corrections": corrections_shown(people, session=session),
        "session": session,
        "activity": session.activity,
        "rows": [(p, p.pk in present) for p in [*members, *guests]],
        "n_present": session.attendances.count(),
        "limit": session.activity.participant_limit(),
        "add_form": PersonChoiceForm(
            people=_of_age(people, session.activity).exclude(
                pk__in=[*present, *(m.pk for m in members)]
            )
        ),
        "move_form": forms.get("move_form")
        or SessionMoveForm(
            initial={
                "date": session.date,
                "starts_at": session.starts_at,
                "ends_at": session.ends_at,
                "place": session.place,
            }
        ),
        "cancel_form": forms.get("cancel_form") or SessionCancelForm(),
    }
    return render(request, "activities/session.html", context, status=status)


@login_required
@require_POST
def session_mark(request: HttpRequest, session_pk: int) -> HttpResponse:
    """Present or not at a session; a double click counts once."""
    session = get_session_for_user(request, session_pk)
    participant = get_object_or_404(
        _people_for(request, session.activity.unit), pk=posted_id(request, "participant")
    )
    error = ""
    today = timezone.localdate()
    try:
        if request.POST.get("action") == "absent":
            attendance_unmark(session=session, participant=participant, today=today)
        else:
            attendance_mark(
                session=session, participant=participant, by=user_of(request), today=today
            )
    except ValidationError as problem:
        error = " ".join(problem.messages)
    if request.headers.get("HX-Request") == "true":
        present = SessionAttendance.objects.filter(session=session, participant=participant)
        context = {
            "locked": past_correction_window(session.date, today),
            "ahead": session.date > today,
            "session": session,
            "person": participant,
            "present": present.exists(),
            "error": error,
        }
        return render(request, "activities/_session_row.html", context)
    if error:
        messages.error(request, error)
    return redirect(reverse("activities:session", args=[session.pk]) + f"#p-{participant.pk}")


@login_required
@require_POST
def session_move_view(request: HttpRequest, session_pk: int) -> HttpResponse:
    session = get_session_for_user(request, session_pk)
    form = SessionMoveForm(request.POST)
    if form.is_valid():
        try:
            session_move(session=session, by=user_of(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Tillfället är flyttat."))
            return redirect("activities:session", session_pk=session.pk)
    return _render_session(request, session, status=400, move_form=form)


@login_required
@require_POST
def session_cancel_view(request: HttpRequest, session_pk: int) -> HttpResponse:
    session = get_session_for_user(request, session_pk)
    form = SessionCancelForm(request.POST)
    if form.is_valid():
        session_cancel(session=session, reason=form.cleaned_data["reason"], by=user_of(request))
        messages.success(request, _("Tillfället är inställt."))
        return redirect("activities:session", session_pk=session.pk)
    return _render_session(request, session, status=400, cancel_form=form)


@login_required
@require_POST
def session_reinstate_view(request: HttpRequest, session_pk: int) -> HttpResponse:
    session = get_session_for_user(request, session_pk)
    session_reinstate(session=session, by=user_of(request))
    messages.success(request, _("Tillfället blir av igen."))
    return redirect("activities:session", session_pk=session.pk)
