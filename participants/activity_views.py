"""Pages for logging a day, the opening calendar and group activities (R6, R16-R18, L7, L8).

Every mark works as a plain form post (redirect back to the row) and, with htmx, answers
with the row alone. Search text stays in the session, never in a URL (privacy).
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotsen.access import (
    get_activity_for_user,
    get_session_for_user,
    get_unit_for_user,
    units_of,
    user_of,
)
from lotsen.models import Programme, Unit
from participants.activities import (
    activity_create,
    attendance_mark,
    attendance_unmark,
    member_add,
    member_remove,
    session_cancel,
    session_move,
    session_reinstate,
)
from participants.activity_forms import (
    ActivityForm,
    AnonymousForm,
    ClosureDayForm,
    ExtraOpeningForm,
    MarkForm,
    PersonChoiceForm,
    SessionCancelForm,
    SessionMoveForm,
    SheetSearchForm,
)
from participants.attendance import (
    SheetRow,
    anonymous_counts,
    anonymous_visit_add,
    attendance_sheet,
    visit_mark,
    visit_unmark,
)
from participants.calendar import opening_counts, opening_days
from participants.models import (
    ActivityMember,
    ClosureDay,
    Enrolment,
    ExtraOpening,
    OpeningHours,
    Participant,
    Session,
    SessionAttendance,
    Visit,
)
from participants.services import registry_search

SHEET_SEARCH_KEY = "sheet_search"
SEARCH_RESULTS = 10


class IsoDateConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> datetime.date:
        return datetime.date.fromisoformat(value)  # ValueError: no match, 404

    def to_url(self, value: datetime.date) -> str:
        return value.isoformat()


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _sheet_url(unit: Unit, day: datetime.date, anchor: str = "") -> str:
    url = reverse("activities:sheet", kwargs={"unit": unit.slug, "day": day})
    return f"{url}#{anchor}" if anchor else url


@login_required
def start(request: HttpRequest) -> HttpResponse:
    """Today's sheet at the user's first unit."""
    unit = units_of(request).first()
    if unit is None:
        raise PermissionDenied
    return redirect(_sheet_url(unit, timezone.localdate()))


# --- the attendance sheet -------------------------------------------------------------


@login_required
def sheet_today(request: HttpRequest, unit: str) -> HttpResponse:
    """Today's sheet, or the day chosen in the date picker (a date is no personal data)."""
    the_unit = get_unit_for_user(request, unit)
    try:
        day = datetime.date.fromisoformat(request.GET.get("dag", ""))
    except ValueError:
        day = timezone.localdate()
    return redirect(_sheet_url(the_unit, day))


@login_required
def sheet(request: HttpRequest, unit: str, day: datetime.date) -> HttpResponse:
    the_unit = get_unit_for_user(request, unit)
    visible = Participant.objects.visible_to(user_of(request))
    sections = attendance_sheet(unit=the_unit, day=day, visible=visible)
    query = request.session.get(SHEET_SEARCH_KEY, {}).get(the_unit.slug, "")
    results = []
    if query:
        found = registry_search(visible.filter(unit=the_unit), query=query, filters={}, today=day)
        results = list(found[:SEARCH_RESULTS])
    for section in sections:
        section.token = uuid.uuid4()  # type: ignore[attr-defined]
    context = {
        "unit": the_unit,
        "units": units_of(request),
        "day": day,
        "today": timezone.localdate(),
        "calendar_day": opening_days(the_unit, day, day)[0],
        "sections": sections,
        "marked": sum(1 for s in sections for r in s.rows if r.visit),
        "expected": sum(1 for s in sections for r in s.rows if not r.walk_in),
        "search": SheetSearchForm(initial={"q": query}),
        "query": query,
        "results": results,
        "walk_in_programmes": [p for p in the_unit.programmes.all() if p.records_names],
        "previous_day": day - datetime.timedelta(days=1),
        "next_day": day + datetime.timedelta(days=1),
    }
    return render(request, "activities/sheet.html", context)


@login_required
@require_POST
def sheet_mark(request: HttpRequest, unit: str, day: datetime.date) -> HttpResponse:
    """Mark present (with hours), or undo; idempotent, so a double click counts once."""
    the_unit = get_unit_for_user(request, unit)
    form = MarkForm(request.POST)
    if not form.is_valid():
        if form.has_error("hours"):
            return _mark_answer(
                request, the_unit, day, form, _("Ange timmarna som ett tal, t.ex. 2,5.")
            )
        return HttpResponseBadRequest()
    user = user_of(request)
    participant = get_object_or_404(
        Participant.objects.visible_to(user).filter(unit=the_unit),
        pk=form.cleaned_data["participant"],
    )
    programme = get_object_or_404(the_unit.programmes, pk=form.cleaned_data["programme"])
    error = ""
    try:
        if form.cleaned_data["action"] == "absent":
            visit_unmark(participant=participant, programme=programme, day=day)
        else:
            visit_mark(
                participant=participant,
                programme=programme,
                day=day,
                hours=form.cleaned_data["hours"],
                by=user,
                today=timezone.localdate(),
            )
    except ValidationError as problem:
        error = " ".join(problem.messages)
    return _mark_answer(request, the_unit, day, form, error, participant, programme)


def _mark_answer(
    request: HttpRequest,
    unit: Unit,
    day: datetime.date,
    form: MarkForm,
    error: str,
    participant: Participant | None = None,
    programme: Programme | None = None,
) -> HttpResponse:
    if participant is None or programme is None:
        participant = get_object_or_404(
            Participant.objects.visible_to(user_of(request)).filter(unit=unit),
            pk=form.data.get("participant"),
        )
        programme = get_object_or_404(unit.programmes, pk=form.data.get("programme"))
    if not _is_htmx(request):
        if error:
            messages.error(request, f"{participant}: {error}")
        return redirect(_sheet_url(unit, day, f"row-{participant.pk}-{programme.pk}"))
    row = _sheet_row(participant, programme, day)
    return render(
        request,
        "activities/_sheet_row.html",
        {"row": row, "unit": unit, "day": day, "error": error, "typed": form.data.get("hours")},
    )


def _sheet_row(participant: Participant, programme: Programme, day: datetime.date) -> SheetRow:
    visit = Visit.objects.filter(participant=participant, programme=programme, date=day).first()
    place = (
        Enrolment.objects.filter(participant=participant, programme=programme)
        .active_on(day)
        .prefetch_related("hours_changes")
        .first()
    )
    planned = place.hours_on(day) if place and programme.is_work_training else None
    return SheetRow(participant, programme, visit, planned, walk_in=place is None)


@login_required
@require_POST
def sheet_search(request: HttpRequest, unit: str, day: datetime.date) -> HttpResponse:
    """The walk-in search: the text goes to the session, the page is reloaded without it."""
    the_unit = get_unit_for_user(request, unit)
    form = SheetSearchForm(request.POST)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    searches = request.session.get(SHEET_SEARCH_KEY, {})
    if "clear" in request.POST or not query:
        searches.pop(the_unit.slug, None)
    else:
        searches[the_unit.slug] = query
    request.session[SHEET_SEARCH_KEY] = searches
    return redirect(_sheet_url(the_unit, day, "walk-in"))


@login_required
@require_POST
def sheet_anonymous(request: HttpRequest, unit: str, day: datetime.date) -> HttpResponse:
    """L7: count a visitor without identity (+1 or -1); a retry with the same token counts once."""
    the_unit = get_unit_for_user(request, unit)
    form = AnonymousForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest()
    programme = get_object_or_404(the_unit.programmes, pk=form.cleaned_data["programme"])
    error = ""
    try:
        anonymous_visit_add(
            programme=programme,
            day=day,
            delta=form.cleaned_data["delta"],
            token=str(form.cleaned_data["token"]),
            by=user_of(request),
            today=timezone.localdate(),
        )
    except ValidationError as problem:
        error = " ".join(problem.messages)
    if not _is_htmx(request):
        if error:
            messages.error(request, error)
        return redirect(_sheet_url(the_unit, day, f"count-{programme.pk}"))
    context = {
        "programme": programme,
        "count": anonymous_counts(unit=the_unit, day=day).get(programme.pk, 0),
        "token": uuid.uuid4(),
        "unit": the_unit,
        "day": day,
        "error": error,
    }
    return render(request, "activities/_anonymous.html", context)


# --- the opening calendar and the week ahead --------------------------------------------


@login_required
def week(request: HttpRequest, unit: str, day: datetime.date) -> HttpResponse:
    """The week ahead from `day`: opening hours, sessions and who is expected (R16-R18)."""
    the_unit = get_unit_for_user(request, unit)
    days = opening_days(the_unit, day, day + datetime.timedelta(days=6))
    visible = Participant.objects.visible_to(user_of(request))
    sessions = (
        Session.objects.filter(activity__unit=the_unit)
        .between(day, day + datetime.timedelta(days=6))
        .select_related("activity")
        .annotate(n_members=Count("activity__members", distinct=True))
        .prefetch_related("activity__leaders")
        .order_by("date", "starts_at")
    )
    by_day: dict[datetime.date, list[Session]] = {}
    for session in sessions:
        by_day.setdefault(session.date, []).append(session)
    trainees = (
        Enrolment.objects.filter(programme__unit=the_unit, programme__is_work_training=True)
        .filter(participant__in=visible)
        .active_on(day)
        .select_related("participant", "programme", "contact_person")
        .prefetch_related("hours_changes")
        .order_by("participant__last_name")
    )
    context = {
        "unit": the_unit,
        "day": day,
        "days": [(d, by_day.get(d.date, [])) for d in days],
        "trainees": [(t, t.hours_on(day)) for t in trainees],
        "regulars": Enrolment.objects.filter(
            programme__unit=the_unit, programme__is_work_training=False, participant__in=visible
        )
        .exclude(programme__visit_recording="count_only")
        .active_on(day)
        .count(),
        "previous_week": day - datetime.timedelta(days=7),
        "next_week": day + datetime.timedelta(days=7),
    }
    return render(request, "activities/week.html", context)


@login_required
def week_today(request: HttpRequest, unit: str) -> HttpResponse:
    get_unit_for_user(request, unit)
    return redirect("activities:week", unit=unit, day=timezone.localdate())


@login_required
def calendar(request: HttpRequest, unit: str, year: int) -> HttpResponse:
    """R16/L8: the year's open days against the commission, holidays and closures."""
    the_unit = get_unit_for_user(request, unit)
    if not 2000 <= year <= 2100:
        return redirect("activities:calendar", unit=unit, year=timezone.localdate().year)
    return _render_calendar(request, the_unit, year)


def _render_calendar(
    request: HttpRequest, unit: Unit, year: int, status: int = 200, **forms: Any
) -> HttpResponse:
    days = opening_days(unit, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    special = [d for d in days if d.holiday or d.closure_reason or any(p.extra for p in d.periods)]
    context = {
        "unit": unit,
        "year": year,
        "counts": opening_counts(unit, year),
        "special": special,
        "regular": OpeningHours.objects.filter(unit=unit),
        "closures": {c.date: c for c in ClosureDay.objects.filter(unit=unit, date__year=year)},
        "extras": ExtraOpening.objects.filter(unit=unit, date__year=year),
        "can_edit": user_of(request).is_manager,
        "closure_form": forms.get("closure_form") or ClosureDayForm(prefix="closure"),
        "extra_form": forms.get("extra_form") or ExtraOpeningForm(prefix="extra"),
    }
    return render(request, "activities/calendar.html", context, status=status)


def _manager_unit(request: HttpRequest, unit: str) -> Unit:
    the_unit = get_unit_for_user(request, unit)
    if not user_of(request).is_manager:
        raise PermissionDenied
    return the_unit


@login_required
@require_POST
def closure_add(request: HttpRequest, unit: str) -> HttpResponse:
    """L8: the unit manager records a local closure day."""
    the_unit = _manager_unit(request, unit)
    form = ClosureDayForm(request.POST, prefix="closure")
    if form.is_valid():
        form.instance.unit, form.instance.created_by = the_unit, user_of(request)
        try:
            with transaction.atomic():
                form.save()
        except IntegrityError:
            messages.info(request, _("Dagen var redan registrerad som stängd."))
        else:
            messages.success(request, _("Den stängda dagen är sparad."))
        return redirect("activities:calendar", unit=unit, year=form.cleaned_data["date"].year)
    return _render_calendar(
        request, the_unit, timezone.localdate().year, status=400, closure_form=form
    )


@login_required
@require_POST
def extra_add(request: HttpRequest, unit: str) -> HttpResponse:
    """R16: an evening or weekend opening on one date."""
    the_unit = _manager_unit(request, unit)
    form = ExtraOpeningForm(request.POST, prefix="extra")
    if form.is_valid():
        form.instance.unit, form.instance.created_by = the_unit, user_of(request)
        try:
            with transaction.atomic():
                form.save()
        except IntegrityError:
            messages.info(request, _("Öppettiden var redan registrerad."))
        else:
            messages.success(request, _("Öppettiden är sparad."))
        return redirect("activities:calendar", unit=unit, year=form.cleaned_data["date"].year)
    return _render_calendar(
        request, the_unit, timezone.localdate().year, status=400, extra_form=form
    )


@login_required
@require_POST
def closure_delete(request: HttpRequest, unit: str, closure_pk: int) -> HttpResponse:
    the_unit = _manager_unit(request, unit)
    closure = get_object_or_404(ClosureDay, unit=the_unit, pk=closure_pk)
    closure.delete()
    messages.success(request, _("Dagen är inte längre stängd."))
    return redirect("activities:calendar", unit=unit, year=closure.date.year)


@login_required
@require_POST
def extra_delete(request: HttpRequest, unit: str, extra_pk: int) -> HttpResponse:
    the_unit = _manager_unit(request, unit)
    extra = get_object_or_404(ExtraOpening, unit=the_unit, pk=extra_pk)
    extra.delete()
    messages.success(request, _("Öppettiden är borttagen."))
    return redirect("activities:calendar", unit=unit, year=extra.date.year)


# --- activities ------------------------------------------------------------------------


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
        staff=the_unit.staff.filter(is_active=True),
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
            people=people.exclude(activity_memberships__activity=activity)
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
        _people_for(request, activity.unit), pk=request.POST.get("participant")
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
    context = {
        "session": session,
        "activity": session.activity,
        "rows": [(p, p.pk in present) for p in [*members, *guests]],
        "n_present": session.attendances.count(),
        "limit": session.activity.participant_limit(),
        "add_form": PersonChoiceForm(
            people=people.exclude(pk__in=[*present, *(m.pk for m in members)])
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
        _people_for(request, session.activity.unit), pk=request.POST.get("participant")
    )
    try:
        if request.POST.get("action") == "absent":
            attendance_unmark(session=session, participant=participant)
        else:
            attendance_mark(session=session, participant=participant, by=user_of(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
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
