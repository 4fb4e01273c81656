"""Pages for logging a day, the week ahead and the opening calendar (R6, R16, L7, L8).

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
from django.db.models import BigIntegerField, Count, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities.attendance import (
    anonymous_counts,
    anonymous_visit_add,
    attendance_sheet,
    day_notices,
    past_correction_window,
    sheet_programmes,
    sheet_row,
    visit_mark,
    visit_unmark,
    with_row_on,
)
from activities.calendar import opening_counts, opening_days
from activities.correction_views import corrections_shown
from activities.forms import (
    AnonymousForm,
    ClosureDayForm,
    ExtraOpeningForm,
    MarkForm,
    SheetSearchForm,
)
from activities.models import ClosureDay, ExtraOpening, OpeningHours, Session
from activities.sheet_rows import SheetRowRenderer
from lotsen.access import get_unit_for_user, units_of, user_of
from lotsen.input import FIRST_YEAR, LAST_YEAR
from lotsen.menu import user_units
from lotsen.models import Programme, Unit
from lotsen.prepared import Prepared
from lotsen.together import first_row, rebuilt
from participants.models import Enrolment, Participant, Visit
from participants.record_log import log_shown_ids
from participants.services import registry_search
from participants.training_hours import training_attendance

SHEET_SEARCH_KEY = "sheet_search"
SEARCH_RESULTS = 10
TRAINING_WEEKS_SHOWN = 6


class IsoDateConverter:
    regex = r"\d{4}-\d{2}-\d{2}"

    def to_python(self, value: str) -> datetime.date:
        day = datetime.date.fromisoformat(value)  # ValueError: no match, 404
        # Weeks and sheets reach a few days either side; 0001-01-01 or 9999-12-31 would
        # overflow date arithmetic, and no unit has days outside these years.
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            raise ValueError(value)
        return day

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
    units = user_units(request)  # the menu's, and the day's links to the user's other units
    the_unit = next((u for u in units if u.slug == unit), None)
    if the_unit is None:
        raise Http404
    programmes = list(sheet_programmes(the_unit, day))
    the_unit.runs_work_training = any(p.is_work_training for p in programmes)
    visible = Participant.objects.visible_to(user_of(request))
    sections = attendance_sheet(unit=the_unit, day=day, visible=visible, programmes=programmes)
    query = request.session.get(SHEET_SEARCH_KEY, {}).get(the_unit.slug, "")
    results = []
    walk_in_programmes = [p for p in programmes if p.records_names]
    if query:
        found = registry_search(visible.filter(unit=the_unit), query=query, filters={}, today=day)
        results = list(_with_walk_in_choice(found, walk_in_programmes, day)[:SEARCH_RESULTS])
    shown = [r.participant for s in sections for r in s.rows] + results
    log_shown_ids(request, [(p.pk, p.unit_id) for p in shown])
    today = timezone.localdate()
    locked = past_correction_window(day, today)
    rows = SheetRowRenderer(
        request, unit=the_unit, day=day, mark_url=_mark_url(the_unit, day), locked=locked
    )
    for section in sections:
        section.token = uuid.uuid4()  # type: ignore[attr-defined]
        section.html = rows.items(section.rows)  # type: ignore[attr-defined]
    context = {
        "locked": locked,
        "corrections": corrections_shown(visible, programme__unit=the_unit, date=day),
        "unit": the_unit,
        "units": units,
        "day": day,
        "today": today,
        "calendar_day": opening_days(the_unit, day, day)[0],
        "notices": day_notices(programmes, day),
        "sections": sections,
        "marked": sum(1 for s in sections for r in s.rows if r.visit),
        "expected": sum(1 for s in sections for r in s.rows if not r.walk_in),
        "search": SheetSearchForm(initial={"q": query}),
        "query": query,
        "results": results,
        "walk_in_programmes": walk_in_programmes,
        "previous_day": day - datetime.timedelta(days=1),
        "next_day": day + datetime.timedelta(days=1),
    }
    return render(request, "activities/sheet.html", context)


def _with_walk_in_choice(people: Any, programmes: list[Programme], day: datetime.date) -> Any:
    """Each person found with the programme their visit most likely belongs to, chosen in
    the walk-in form: that of their place running on `day`, else the first programme that
    is not work training (a visit without a place), else the first."""
    ids = [p.pk for p in programmes]
    place = (
        Enrolment.objects.filter(participant=OuterRef("pk"), programme__in=ids)
        .active_on(day)
        .order_by("-start_date", "-pk")
        .values("programme")[:1]
    )
    fallback = next((p for p in programmes if not p.is_work_training), None)
    fallback_pk = (fallback or programmes[0]).pk if programmes else None
    chosen = Coalesce(Subquery(place), Value(fallback_pk), output_field=BigIntegerField())
    return people.annotate(walk_in_programme=chosen)


def _mark_url(unit: Unit, day: datetime.date) -> str:
    return reverse("activities:sheet_mark", kwargs={"unit": unit.slug, "day": day})


@login_required
@require_POST
def sheet_mark(request: HttpRequest, unit: str, day: datetime.date) -> HttpResponse:
    """Mark present (with hours), or undo; idempotent, so a double click counts once."""
    form = MarkForm(request.POST)
    if not form.is_valid():
        the_unit = get_unit_for_user(request, unit)
        if form.has_error("hours"):
            return _mark_error(request, the_unit.slug, day, form)
        return HttpResponseBadRequest()
    programme, participant = _on_sheet(
        request, unit, day, form.cleaned_data["programme"], form.cleaned_data["participant"]
    )
    error, visit = "", None
    try:
        if form.cleaned_data["action"] == "absent":
            visit_unmark(
                participant=participant, programme=programme, day=day, today=timezone.localdate()
            )
        else:
            visit, _created = visit_mark(
                participant=participant,
                programme=programme,
                day=day,
                hours=form.cleaned_data["hours"],
                by=user_of(request),
                today=timezone.localdate(),
                probably_marked=participant.sheet_marked,  # type: ignore[attr-defined]
            )
    except ValidationError as problem:
        error = " ".join(problem.messages)
        visit = _visit_of(participant, programme, day)
    return _mark_answer(request, day, form, error, participant, programme, visit)


def _on_sheet(
    request: HttpRequest, unit: str, day: datetime.date, programme_pk: object, pk: object
) -> tuple[Programme, Participant]:
    """A programme of one of the user's units (with its unit) and a person of that unit the
    user may see, with their row's place (L2), read in one query; else a 404.

    A person of one of the user's units is theirs to see unless erased or, for a protected
    identity, not theirs to work with (L4): for those alone the whole rule of `visible_to`
    is asked."""
    try:
        programme_pk, pk = int(str(programme_pk)), int(str(pk))
    except ValueError:
        raise Http404 from None
    user = user_of(request)
    found = _PERSON_ON_SHEET(pk=pk, unit=unit, user=user.pk, programme=programme_pk, day=day)
    person = found[0] if found else None
    programme = rebuilt(_PROGRAMMES, person.sheet_programme) if person else None  # type: ignore[attr-defined]
    if person is None or programme is None:
        raise Http404
    visible = Participant.objects.visible_to
    if person.protected_identity and not visible(user).filter(pk=person.pk).exists():
        raise Http404
    return programme, person


_PROGRAMMES = Programme.objects.select_related("unit")


def _person_on_sheet(
    pk: int, unit: str, user: int, programme: int, day: datetime.date
) -> QuerySet[Participant]:
    """The person of `_on_sheet` with their row and the programme as JSON (first_row)."""
    programmes = _PROGRAMMES.filter(pk=programme, unit=OuterRef("unit"))
    people = Participant.objects.filter(
        pk=pk, unit__slug=unit, unit__staff=user, erased_on__isnull=True
    ).annotate(sheet_programme=first_row(programmes))
    return with_row_on(people, programme=programme, day=day)[:1]


# Built and compiled once: building it was more than half of a mark's time.
_PERSON_ON_SHEET: Prepared[Participant] = Prepared(
    _person_on_sheet, pk=int, unit=str, user=int, programme=int, day=datetime.date
)


def _visit_of(participant: Participant, programme: Programme, day: datetime.date) -> Visit | None:
    return Visit.objects.filter(participant=participant, programme=programme, date=day).first()


def _mark_error(
    request: HttpRequest, unit: str, day: datetime.date, form: MarkForm
) -> HttpResponse:
    """Hours that are not a number: the row again with what was typed and the message."""
    programme, participant = _on_sheet(
        request, unit, day, form.data.get("programme"), form.data.get("participant")
    )
    error = _("Ange timmarna som ett tal, t.ex. 2,5.")
    visit = _visit_of(participant, programme, day)
    return _mark_answer(request, day, form, error, participant, programme, visit)


def _mark_answer(
    request: HttpRequest,
    day: datetime.date,
    form: MarkForm,
    error: str,
    participant: Participant,
    programme: Programme,
    visit: Visit | None,
) -> HttpResponse:
    """A plain post goes back to the row on the sheet; htmx gets the row as the sheet shows it."""
    unit = programme.unit
    if not _is_htmx(request):
        if error:
            messages.error(request, f"{participant}: {error}")
        return redirect(_sheet_url(unit, day, f"row-{participant.pk}-{programme.pk}"))
    row = sheet_row(participant, programme, visit)
    renderer = SheetRowRenderer(
        request,
        unit=unit,
        day=day,
        mark_url=_mark_url(unit, day),
        locked=past_correction_window(day, timezone.localdate()),
    )
    return HttpResponse(renderer.form(row, error=error, typed=form.data.get("hours") or ""))


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


@login_required
def training_hours(request: HttpRequest, unit: str) -> HttpResponse:
    """R6: every trainee's attended hours per week against planned hours and the minimum."""
    the_unit = get_unit_for_user(request, unit)
    today = timezone.localdate()
    visible = Participant.objects.visible_to(user_of(request))
    rows = training_attendance(
        Enrolment.objects.filter(programme__unit=the_unit, participant__in=visible, outcome="")
        .active_on(today)
        .order_by("participant__last_name", "participant__first_name"),
        today=today,
        weeks=TRAINING_WEEKS_SHOWN,
    )
    mondays = [
        today - datetime.timedelta(days=today.weekday(), weeks=n)
        for n in range(TRAINING_WEEKS_SHOWN, 0, -1)
    ]
    table = [
        (row, [next((w for w in row.weeks if w.monday == m), None) for m in mondays])
        for row in rows
    ]
    context = {"unit": the_unit, "mondays": mondays, "table": table, "today": today}
    return render(request, "activities/training_hours.html", context)


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
        # Each programme's people with a place, in the unit's own words (its programmes):
        # Beroendemottagningen's groups, not Lotsen's day activity.
        "expected": Enrolment.objects.filter(
            programme__unit=the_unit, programme__is_work_training=False, participant__in=visible
        )
        .exclude(programme__visit_recording="count_only")
        .active_on(day)
        .values_list("programme__name")
        .annotate(n=Count("pk"))
        .order_by("programme__name"),
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
    return _calendar_day_add(
        request,
        unit,
        ClosureDayForm,
        "closure",
        already=_("Dagen var redan registrerad som stängd."),
        saved=_("Den stängda dagen är sparad."),
    )


@login_required
@require_POST
def extra_add(request: HttpRequest, unit: str) -> HttpResponse:
    """R16: an evening or weekend opening on one date."""
    return _calendar_day_add(
        request,
        unit,
        ExtraOpeningForm,
        "extra",
        already=_("Öppettiden var redan registrerad."),
        saved=_("Öppettiden är sparad."),
    )


def _calendar_day_add(
    request: HttpRequest,
    unit: str,
    form_class: type[ClosureDayForm] | type[ExtraOpeningForm],
    prefix: str,
    *,
    already: str,
    saved: str,
) -> HttpResponse:
    """Save one dated row of the unit's calendar; a double submit saves it once."""
    the_unit = _manager_unit(request, unit)
    form = form_class(request.POST, prefix=prefix)
    if form.is_valid():
        form.instance.unit, form.instance.created_by = the_unit, user_of(request)
        try:
            with transaction.atomic():
                form.save()
        except IntegrityError:
            messages.info(request, already)
        else:
            messages.success(request, saved)
        return redirect("activities:calendar", unit=unit, year=form.cleaned_data["date"].year)
    forms = {f"{prefix}_form": form}
    return _render_calendar(request, the_unit, timezone.localdate().year, status=400, **forms)


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
