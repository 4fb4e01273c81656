"""Pages of the treatment courses, results (R23) and monthly statements (R25)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from auditlog.signals import accessed
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from openpyxl import Workbook
from openpyxl.styles import Font

from activities.attendance import past_correction_window
from lotsen.access import get_unit_for_user, units_of, user_of, working_staff
from lotsen.csvfile import csv_response
from lotsen.input import year_or
from lotsen.models import Unit, VisitRecording
from lotsen.pdf import render_pdf
from lotsen.xlsxfile import append_row
from participants.models import Participant
from participants.record_log import log_shown
from treatment.access import get_course_for_user, get_membership_for_user
from treatment.forms import (
    ConfirmForm,
    CourseForm,
    IndividualSessionForm,
    JoinForm,
    LeaveForm,
    MeasurementCorrectionForm,
    MeasurementForm,
)
from treatment.models import Course, CourseParticipant, IndividualSession, Measure, Statement
from treatment.results import (
    DIMENSIONS,
    correction_rows,
    export_rows,
    measurement_correct,
    measurement_record,
    measurement_shown,
    measurement_values_clean,
    results,
)
from treatment.services import (
    below_minimum,
    course_create,
    course_join,
    course_leave,
    individual_session_record,
    individual_session_remove,
)
from treatment.statement import (
    Performed,
    StatementConflict,
    below_agreed_group_size,
    changed_since_confirmed,
    month_bounds,
    month_figures,
    performed_by_month,
    statement_confirm,
)

STATEMENT_ROWS = [
    ("agreed_groups", gettext_lazy("Överenskomna grupper samtidigt")),
    ("agreed_group_min", gettext_lazy("Deltagare per grupp, minst")),
    ("agreed_group_max", gettext_lazy("Deltagare per grupp, högst")),
    ("agreed_yearly", gettext_lazy("Årsbelopp enligt överenskommelsen (kr)")),
    ("price_year", gettext_lazy("Överenskommelsens prisnivå (år)")),
    ("indexed_yearly", gettext_lazy("Årsbelopp i årets prisnivå (kr)")),
    ("group_sessions", gettext_lazy("Hållna grupptillfällen")),
    ("attendances", gettext_lazy("Deltagarnärvaro vid grupptillfällen")),
    ("average_group_size", gettext_lazy("Genomsnittlig gruppstorlek")),
    ("courses_started", gettext_lazy("Kurser som startat")),
    ("courses_completed", gettext_lazy("Kurser som avslutats")),
    ("motivation_sessions", gettext_lazy("Motivationsgruppens tillfällen")),
    ("motivation_attendances", gettext_lazy("Närvaro i motivationsgruppen")),
    ("individual_sessions", gettext_lazy("Enskilda samtal")),
    ("evening_sessions", gettext_lazy("Tillfällen på kvällstid (grupp och enskilt)")),
    ("amount", gettext_lazy("Belopp för månaden (kr)")),
]


def _form_errors(form: object, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errs in error.message_dict.items():
            target = field if field in form.fields else None  # type: ignore[attr-defined]
            for message in errs:
                form.add_error(target, message)  # type: ignore[attr-defined]
    else:
        for message in error.messages:
            form.add_error(None, message)  # type: ignore[attr-defined]


@login_required
def courses(request: HttpRequest, unit: str) -> HttpResponse:
    the_unit = get_unit_for_user(request, unit)
    today = timezone.localdate()
    programmes = the_unit.programmes.filter(course_type__isnull=False)
    staff = working_staff(Unit.objects.filter(pk=the_unit.pk))
    form = CourseForm(request.POST or None, programmes=programmes, staff=staff)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            course = course_create(by=user_of(request), **data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Kursen är skapad med sina tillfällen."))
            return redirect("treatment:course", course_pk=course.pk)
    listed = (
        Course.objects.filter(programme__unit=the_unit)
        .select_related("programme")
        .annotate(
            current=Count("participants", filter=Q(participants__outcome="")),
            members=Count("participants"),
        )
        .order_by("-start_date")
    )
    rows = [
        (c, below_minimum(c, current=c.current, on=today))  # type: ignore[attr-defined]
        for c in listed
    ]
    context = {"unit": the_unit, "rows": rows, "form": form, "today": today}
    return render(request, "treatment/courses.html", context)


@login_required
def course(request: HttpRequest, course_pk: int) -> HttpResponse:
    return _render_course(request, get_course_for_user(request, course_pk))


def _render_course(
    request: HttpRequest,
    the_course: Course,
    *,
    join_form: JoinForm | None = None,
    failed_leave: tuple[CourseParticipant, LeaveForm] | None = None,
) -> HttpResponse:
    """The course page; after a refused join or leave, shown again (status 400) with the
    error beside that form and what was typed kept."""
    today = timezone.localdate()
    visible = Participant.objects.visible_to(user_of(request))
    members = list(
        the_course.participants.filter(participant__in=visible).select_related("participant")
    )
    current = sum(1 for m in members if not m.has_left)
    people = visible.filter(unit=the_course.programme.unit).exclude(
        pk__in=[m.participant_id for m in members if not m.has_left]
    )
    for m in members:
        if failed_leave and failed_leave[0].pk == m.pk:
            m.leave_form = failed_leave[1]  # type: ignore[attr-defined]
        elif not m.has_left:
            # The default end date lies within the person's time in the course.
            on = max(m.joined_on, min(today, the_course.end_date))
            m.leave_form = LeaveForm(  # type: ignore[attr-defined]
                prefix=LeaveForm.prefix_for(m.pk), initial={"left_on": on}
            )
    if join_form is not None:
        join_form.fields["participant"].queryset = people  # type: ignore[attr-defined]
    context = {
        "course": the_course,
        "members": members,
        "current": current,
        "flag": below_minimum(the_course, current=current, on=today),
        "sessions": the_course.activity.sessions.annotate(n=Count("attendances")),
        "join_form": join_form
        or JoinForm(people=people, initial={"on": max(today, the_course.start_date)}),
        "failed_leave": failed_leave[0] if failed_leave else None,
    }
    status = 400 if join_form is not None or failed_leave else 200
    return render(request, "treatment/course.html", context, status=status)


@login_required
@require_POST
def join(request: HttpRequest, course_pk: int) -> HttpResponse:
    the_course = get_course_for_user(request, course_pk)
    visible = Participant.objects.visible_to(user_of(request))
    form = JoinForm(request.POST, people=visible.filter(unit=the_course.programme.unit))
    if form.is_valid():
        try:
            _m, created = course_join(
                course=the_course,
                participant=form.cleaned_data["participant"],
                on=form.cleaned_data["on"],
                by=user_of(request),
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            if created:
                messages.success(request, _("Personen är med i kursen."))
            else:
                messages.info(request, _("Personen var redan med i kursen."))
            return redirect("treatment:course", course_pk=the_course.pk)
    return _render_course(request, the_course, join_form=form)


@login_required
@require_POST
def leave(request: HttpRequest, membership_pk: int) -> HttpResponse:
    membership = get_membership_for_user(request, membership_pk)
    form = LeaveForm(request.POST, prefix=LeaveForm.prefix_for(membership.pk))
    if form.is_valid():
        try:
            course_leave(
                membership=membership,
                on=form.cleaned_data["left_on"],
                outcome=form.cleaned_data["outcome"],
                early_reason=form.cleaned_data["early_reason"],
                note=form.cleaned_data["note"],
                by=user_of(request),
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Utfallet är registrerat."))
            return redirect("treatment:course", course_pk=membership.course_id)
    return _render_course(request, membership.course, failed_leave=(membership, form))


# The page lists the latest sessions; older ones are in each person's record.
SESSIONS_LISTED = 50


@login_required
def individual_sessions(request: HttpRequest, unit: str) -> HttpResponse:
    """Individual and evening sessions (R16): record one, see the latest."""
    the_unit = get_unit_for_user(request, unit)
    user = user_of(request)
    visible = Participant.objects.visible_to(user).filter(unit=the_unit)
    staff = working_staff(Unit.objects.filter(pk=the_unit.pk))
    today = timezone.localdate()
    form = IndividualSessionForm(
        request.POST or None,
        people=visible,
        programmes=the_unit.programmes.exclude(visit_recording=VisitRecording.COUNT_ONLY),
        staff=staff,
        initial={"date": today, "therapist": user, "minutes": 60},
    )
    if request.method == "POST" and form.is_valid():
        try:
            _s, created = individual_session_record(today=today, by=user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
        else:
            if created:
                messages.success(request, _("Samtalet är registrerat."))
            else:
                messages.info(request, _("Samtalet var redan registrerat."))
            return redirect("treatment:individual_sessions", unit=the_unit.slug)
    latest = (
        IndividualSession.objects.filter(programme__unit=the_unit, participant__in=visible)
        .select_related("participant", "programme", "therapist")
        .order_by("-date", "-starts_at")[:SESSIONS_LISTED]
    )
    # Rows past the correction window stay (L1): no "Ta bort" that could only refuse.
    removable = [(s, not past_correction_window(s.date, today)) for s in latest]
    log_shown(request, [s.participant for s, _removable in removable])  # L2
    context = {"unit": the_unit, "form": form, "latest": removable}
    return render(request, "treatment/individual_sessions.html", context)


@login_required
def individual_session_delete(request: HttpRequest, session_pk: int) -> HttpResponse:
    """Ask first (GET shows what goes, with the button), remove on the confirming POST.
    Past the correction window the session stays, and the page says so."""
    visible = Participant.objects.visible_to(user_of(request))
    session = get_object_or_404(
        IndividualSession.objects.for_units(units_of(request))
        .filter(participant__in=visible)
        .select_related("participant", "programme__unit", "therapist"),
        pk=session_pk,
    )
    unit = session.programme.unit
    today = timezone.localdate()
    accessed.send(sender=Participant, instance=session.participant)  # a read of the record (L2)
    if request.method == "POST":
        try:
            individual_session_remove(session=session, today=today)
        except ValidationError as problem:
            messages.error(request, " ".join(problem.messages))
        else:
            messages.success(request, _("Samtalet är borttaget."))
        return redirect("treatment:individual_sessions", unit=unit.slug)
    context = {
        "unit": unit,
        "s": session,
        "locked": past_correction_window(session.date, today),
    }
    return render(request, "treatment/individual_session_delete.html", context)


def _check_every_value(form: Any, measures: list[Measure]) -> None:
    """A wrong date or stage still gets every value checked, all shown at once."""
    typed = {m: str(form.data.get(m.slug, "")) for m in measures if m.slug not in form.errors}
    if wrong := measurement_values_clean(typed)[1]:
        _form_errors(form, ValidationError(wrong))


@login_required
def measure(request: HttpRequest, membership_pk: int) -> HttpResponse:
    membership = get_membership_for_user(request, membership_pk)
    measures = list(Measure.objects.filter(active=True))
    form = MeasurementForm(
        request.POST or None,
        measures=measures,
        initial={"measured_on": timezone.localdate(), "stage": request.GET.get("stage")},
    )
    if request.method == "POST" and not form.is_valid():
        _check_every_value(form, measures)
    if request.method == "POST" and form.is_valid():
        values = {m: str(form.cleaned_data.get(m.slug) or "") for m in measures}
        try:
            measurement_record(
                membership=membership,
                stage=form.cleaned_data["stage"],
                measured_on=form.cleaned_data["measured_on"],
                values=values,
                today=timezone.localdate(),
                by=user_of(request),
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Mätningen är sparad."))
            return redirect("treatment:course", course_pk=membership.course_id)
    taken = membership.measurements.select_related("stage").prefetch_related(
        "values__measure", "corrections__created_by"
    )
    names = {m.slug: m for m in Measure.objects.all()}
    history = [(m, [(c, correction_rows(c, names)) for c in m.corrections.all()]) for m in taken]
    context = {"membership": membership, "form": form, "taken": history}
    return render(request, "treatment/measure.html", context)


@login_required
def measurement_correct_view(
    request: HttpRequest, membership_pk: int, measurement_pk: int
) -> HttpResponse:
    membership = get_membership_for_user(request, membership_pk)
    measurement = get_object_or_404(
        membership.measurements.select_related("stage"), pk=measurement_pk
    )
    shown = measurement_shown(measurement)
    # A measure no longer in use still shows when this measurement has a value for it.
    measures = list(Measure.objects.filter(Q(active=True) | Q(slug__in=shown)))
    form = MeasurementCorrectionForm(
        request.POST or None,
        measures=measures,
        initial={"measured_on": measurement.measured_on, **shown},
    )
    if request.method == "POST" and not form.is_valid():
        _check_every_value(form, measures)
    if request.method == "POST" and form.is_valid():
        values = {m: str(form.cleaned_data.get(m.slug) or "") for m in measures}
        try:
            measurement_correct(
                measurement=measurement,
                measured_on=form.cleaned_data["measured_on"],
                values=values,
                reason=form.cleaned_data["reason"],
                today=timezone.localdate(),
                by=user_of(request),
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Mätningen är rättad. De gamla värdena syns kvar."))
            return redirect("treatment:measure", membership_pk=membership.pk)
    context = {"membership": membership, "measurement": measurement, "form": form}
    return render(request, "treatment/measurement_correct.html", context)


@login_required
def results_page(request: HttpRequest, unit: str) -> HttpResponse:
    the_unit = get_unit_for_user(request, unit)
    dimension = request.GET.get("efter", "programme")
    if dimension not in DIMENSIONS:
        dimension = "programme"
    cells = results(unit=the_unit, dimension=dimension)
    export = request.GET.get("format")
    if export == "csv":
        return _results_csv(export_rows(cells, dimension))
    if export == "xlsx":
        return _results_xlsx(export_rows(cells, dimension))
    context = {"unit": the_unit, "cells": cells, "dimension": dimension, "dimensions": DIMENSIONS}
    return render(request, "treatment/results.html", context)


def _results_csv(rows: list[list[object]]) -> HttpResponse:
    return csv_response(rows, filename="resultat.csv")


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _results_xlsx(rows: list[list[object]]) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = _("Resultat")
    for row in rows:
        append_row(sheet, row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    response = HttpResponse(content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="resultat.xlsx"'
    book.save(response)
    return response


def _manager_unit(request: HttpRequest, unit: str) -> Unit:
    return get_unit_for_user(request, unit)


@login_required
def statements(request: HttpRequest, unit: str) -> HttpResponse:
    the_unit = _manager_unit(request, unit)
    today = timezone.localdate()
    year = year_or(request.GET.get("ar", ""), today.year)
    confirmed: dict[datetime.date, Statement] = {}
    for s in Statement.objects.filter(unit=the_unit, month__year=year).order_by("month", "version"):
        confirmed[s.month] = s
    months = [datetime.date(year, m, 1) for m in range(1, 13)]
    # Marks of a confirmed month's days are still taken: the months whose live figures
    # differ from their latest version are shown, never silently different.
    live = performed_by_month(unit=the_unit, first=months[0], last=datetime.date(year, 12, 31))
    changed = {
        m for m, s in confirmed.items() if changed_since_confirmed(s, live.get(m, Performed()))
    }
    rows = [
        (m, confirmed.get(m), month_bounds(m)[1] < today, m <= today, m in changed) for m in months
    ]
    context = {"unit": the_unit, "rows": rows, "year": year, "changed": bool(changed)}
    return render(request, "treatment/statements.html", context)


# Amounts in kronor are shown with öre and grouped ("1 827 000,00"); the CSV keeps the
# plain numbers for spreadsheets.
KRONOR = {"agreed_yearly", "indexed_yearly", "amount"}


def _display(key: str, value: object) -> object:
    if key in KRONOR and value not in ("", None):
        return number_format(Decimal(str(value)), decimal_pos=2, force_grouping=True)
    if key == "average_group_size" and value not in ("", None):
        return number_format(Decimal(str(value)), decimal_pos=1)
    return value


def _note(key: str, figures: dict[str, Any]) -> str:
    """A word beside a figure that breaks the agreement, in text (not only colour)."""
    if key == "average_group_size" and below_agreed_group_size(figures):
        return _("under överenskommet minimum på %(min)s deltagare per grupp") % {
            "min": figures["agreed_group_min"]
        }
    return ""


def _statement_context(request: HttpRequest, unit: str, year: int, month: int) -> dict:  # type: ignore[type-arg]
    the_unit = _manager_unit(request, unit)
    try:
        first = datetime.date(year, month, 1)
    except ValueError:
        raise Http404 from None
    versions = list(
        Statement.objects.filter(unit=the_unit, month=first)
        .select_related("confirmed_by")
        .order_by("-version")
    )
    wanted = request.GET.get("version", "")
    shown = next(
        (v for v in versions if str(v.version) == wanted), versions[0] if versions else None
    )
    today = timezone.localdate()
    figures = shown.figures if shown else month_figures(unit=the_unit, month=first, today=today)
    raw = [(label, figures.get(key, "")) for key, label in STATEMENT_ROWS]
    shown_lines = [
        (label, _display(key, figures.get(key, "")), _note(key, figures))
        for key, label in STATEMENT_ROWS
    ]
    return {
        "unit": the_unit,
        "month": first,
        "versions": versions,
        "shown": shown,
        "f": figures,
        "lines": shown_lines,
        "raw_lines": raw,
        "today": today,
    }


@login_required
def statement(request: HttpRequest, unit: str, year: int, month: int) -> HttpResponse:
    return _statement_page(request, _statement_context(request, unit, year, month))


def _statement_page(
    request: HttpRequest,
    context: dict,  # type: ignore[type-arg]
    form: ConfirmForm | None = None,
    conflict: Statement | None = None,
) -> HttpResponse:
    first, last = month_bounds(context["month"])
    context["ended"] = last < timezone.localdate()
    context["confirmable_from"] = last + datetime.timedelta(days=1)
    context["conflict"] = conflict
    latest = context["versions"][0] if context["versions"] else None
    context["form"] = form or ConfirmForm(initial={"version": latest.version if latest else 0})
    if latest:
        live = performed_by_month(unit=context["unit"], first=first, last=last)
        now = live.get(first, Performed())
        labels = dict(STATEMENT_ROWS)
        context["changed"] = [
            (labels[key], latest.figures[key], getattr(now, key))
            for key in changed_since_confirmed(latest, now)
        ]
    status = 409 if conflict else 200
    return render(request, "treatment/statement.html", context, status=status)


@login_required
@require_POST
def statement_confirm_view(request: HttpRequest, unit: str, year: int, month: int) -> HttpResponse:
    context = _statement_context(request, unit, year, month)
    user = user_of(request)
    if not user.is_manager:
        raise PermissionDenied
    form = ConfirmForm(request.POST)
    form.is_valid()
    try:
        saved = statement_confirm(
            unit=context["unit"],
            month=context["month"],
            reason=form.cleaned_data.get("reason", ""),
            today=timezone.localdate(),
            by=user,
            seen_version=form.cleaned_data.get("version"),
        )
    except StatementConflict as conflict:
        fresh = _statement_context(request, unit, year, month)
        return _statement_conflict(request, fresh, conflict.current)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if saved.version > 1:
            done = _("Rättelsen är sparad som version %(v)s.") % {"v": saved.version}
        else:
            done = _("Månadsredovisningen är bekräftad och låst.")
        messages.success(request, done)
    return redirect("treatment:statement", unit=unit, year=year, month=month)


def _statement_conflict(
    request: HttpRequest,
    context: dict,  # type: ignore[type-arg]
    current: Statement,
) -> HttpResponse:
    """Another correction was saved after this page was loaded: it is shown as the latest;
    the typed reason stays in the form, now on top of that version, to save again."""
    posted = request.POST.copy()
    posted["version"] = str(current.version)
    return _statement_page(request, context, form=ConfirmForm(posted), conflict=current)


@login_required
def statement_pdf(request: HttpRequest, unit: str, year: int, month: int) -> HttpResponse:
    context = _statement_context(request, unit, year, month)
    html = render_to_string("treatment/statement_pdf.html", context, request=request)
    pdf = render_pdf(html, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="manadsredovisning-{year}-{month:02d}.pdf"'
    return response


@login_required
def statement_csv(request: HttpRequest, unit: str, year: int, month: int) -> HttpResponse:
    context = _statement_context(request, unit, year, month)
    rows: list[list[object]] = [[_("Månad"), context["month"].strftime("%Y-%m")]]
    if context["shown"]:
        rows.append([_("Version"), context["shown"].version])
    rows += [[label, _number(value)] for label, value in context["raw_lines"]]
    return csv_response(rows, filename=f"manadsredovisning-{year}-{month:02d}.csv")


def _number(value: object) -> object:
    """The figures keep amounts as text ("1827000.00", JSON has no decimals): a number again,
    for the decimal comma; whole numbers and other text as they are."""
    if isinstance(value, str) and "." in value and value.replace(".", "", 1).lstrip("-").isdigit():
        return Decimal(value)
    return value
