"""The unit manager's annual report: text, goals, generated PDF versions and exports."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotsen.access import units_of, user_of
from lotsen.models import Unit
from reporting.exports import as_csv, as_xlsx, lines
from reporting.figures import annual_figures
from reporting.forms import AnnualReportForm, GoalForm, ReportTextForm, SentForm
from reporting.indicators import goal_rows
from reporting.models import FileStatus, Goal, ReportFile, ReportText
from reporting.services import (
    ReportTextConflict,
    report_file_request,
    report_mark_sent,
    report_text_save,
)
from reporting.tasks import build_report_file


def _manager_unit(request: HttpRequest, unit_pk: int, year: int) -> Unit:
    """The manager's own unit; anyone else's is 404, a non-manager 403 (L2)."""
    if not user_of(request).is_manager:
        raise PermissionDenied
    if not 2000 <= year <= timezone.localdate().year:
        raise Http404
    return get_object_or_404(units_of(request), pk=unit_pk)


@login_required
def annual_report(request: HttpRequest) -> HttpResponse:
    """Choose unit and year; the report page is where it is written and made."""
    if not user_of(request).is_manager:
        raise PermissionDenied
    units = units_of(request)
    form = AnnualReportForm(request.GET or None, units=units)
    if form.is_bound and form.has_error("unit", "invalid_choice"):
        raise Http404  # another unit's report: as if it did not exist
    if form.is_valid():
        return redirect("reporting:report", form.cleaned_data["unit"].pk, form.cleaned_data["year"])
    this_year = timezone.localdate().year
    return render(
        request,
        "reporting/annual_report.html",
        {"form": form, "units": units, "years": [this_year, this_year - 1, this_year - 2]},
    )


@login_required
def report(request: HttpRequest, unit_pk: int, year: int) -> HttpResponse:
    return _render_saved_text(request, _manager_unit(request, unit_pk, year), year)


def _render_report(
    request: HttpRequest,
    unit: Unit,
    year: int,
    *,
    text: ReportText | None,
    text_form: ReportTextForm,
    goal_form: GoalForm | None = None,
    sent_form: SentForm | None = None,
    conflict: ReportText | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "unit": unit,
        "year": year,
        "text": text,
        "text_form": text_form,
        "versions": text.versions.select_related("saved_by")[:20] if text else [],
        "goals": goal_rows(unit=unit, year=year, today=today),
        "goal_form": goal_form or GoalForm(unit=unit),
        "sent_form": sent_form or SentForm(initial={"sent_on": today}),
        "files": ReportFile.objects.filter(unit=unit, year=year).defer("pdf")[:10],
        "conflict": conflict,
        "is_current_year": year == today.year,
    }
    return render(request, "reporting/report.html", context, status=status)


@login_required
@require_POST
def text_autosave(request: HttpRequest, unit_pk: int, year: int) -> HttpResponse:
    """Saved as the manager types (htmx), and by the button without JavaScript."""
    unit = _manager_unit(request, unit_pk, year)
    form = ReportTextForm(request.POST)
    context: dict[str, Any] = {}
    if not form.is_valid():
        context["invalid"] = True
        status = 400
    else:
        data = form.cleaned_data
        try:
            context["text"] = report_text_save(
                unit=unit, year=year, fields=data, revision=data["revision"], by=user_of(request)
            )
            status = 200
        except ReportTextConflict as conflict:
            context["conflict"] = conflict.current
            status = 409
    if request.headers.get("HX-Request"):
        # Answered with 200 so that htmx shows the message; the page script retries only
        # when the server could not be reached (as the journal draft does).
        return render(request, "reporting/_text_status.html", context)
    if status == 200:
        messages.success(request, _("Texten är sparad."))
        return redirect("reporting:report", unit.pk, year)
    text = ReportText.objects.filter(unit=unit, year=year).first()
    return _render_report(
        request,
        unit,
        year,
        text=text,
        text_form=form,
        conflict=context.get("conflict"),
        status=status,
    )


def _render_saved_text(
    request: HttpRequest, unit: Unit, year: int, *, status: int = 200, **forms: Any
) -> HttpResponse:
    """The report page with the saved text in its form; `forms` adds one form with errors."""
    text = ReportText.objects.filter(unit=unit, year=year).first()
    initial = {"revision": text.revision if text else 0, **(text.texts() if text else {})}
    return _render_report(
        request,
        unit,
        year,
        text=text,
        text_form=ReportTextForm(initial=initial),
        status=status,
        **forms,
    )


@login_required
@require_POST
def mark_sent(request: HttpRequest, unit_pk: int, year: int) -> HttpResponse:
    """R20: the report was sent to the administration; the reminders stop."""
    unit = _manager_unit(request, unit_pk, year)
    form = SentForm(request.POST)
    if not form.is_valid():
        return _render_saved_text(request, unit, year, status=400, sent_form=form)
    report_mark_sent(unit=unit, year=year, on=form.cleaned_data["sent_on"], by=user_of(request))
    messages.success(request, _("Verksamhetsberättelsen är markerad som skickad."))
    return redirect("reporting:report", unit.pk, year)


@login_required
@require_POST
def goal_add(request: HttpRequest, unit_pk: int, year: int) -> HttpResponse:
    unit = _manager_unit(request, unit_pk, year)
    form = GoalForm(request.POST, unit=unit)
    if not form.is_valid():
        return _render_saved_text(request, unit, year, status=400, goal_form=form)
    goal = form.save(commit=False)
    goal.unit, goal.year, goal.created_by = unit, year, user_of(request)
    goal.save()
    messages.success(request, _("Effektmålet är sparat."))
    return redirect("reporting:report", unit.pk, year)


@login_required
def goal_edit(request: HttpRequest, unit_pk: int, year: int, goal_pk: int) -> HttpResponse:
    unit = _manager_unit(request, unit_pk, year)
    goal = get_object_or_404(Goal, pk=goal_pk, unit=unit, year=year)
    if request.method == "POST" and request.POST.get("delete"):
        goal.delete()
        messages.success(request, _("Effektmålet är borttaget."))
        return redirect("reporting:report", unit.pk, year)
    form = GoalForm(request.POST or None, instance=goal, unit=unit)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Effektmålet är sparat."))
        return redirect("reporting:report", unit.pk, year)
    return render(
        request,
        "reporting/goal_form.html",
        {"unit": unit, "year": year, "form": form, "goal": goal},
    )


@login_required
@require_POST
def generate(request: HttpRequest, unit_pk: int, year: int) -> HttpResponse:
    """Queue a new PDF version; the page shows its progress (no request waits for it)."""
    unit = _manager_unit(request, unit_pk, year)
    with transaction.atomic():
        file = report_file_request(unit=unit, year=year, by=user_of(request))
        transaction.on_commit(lambda: build_report_file.delay(file.pk))
    if request.headers.get("HX-Request"):
        return render(request, "reporting/_file.html", {"file": file, "unit": unit, "year": year})
    messages.info(request, _("Rapporten skapas. Sidan visar när den är klar."))
    return redirect("reporting:report", unit.pk, year)


def _file_for(request: HttpRequest, file_pk: int) -> ReportFile:
    if not user_of(request).is_manager:
        raise PermissionDenied
    return get_object_or_404(
        ReportFile.objects.filter(unit__in=units_of(request)).defer("pdf"), pk=file_pk
    )


@login_required
def file_status(request: HttpRequest, file_pk: int) -> HttpResponse:
    """The progress of one version, polled by htmx while it is being made."""
    file = _file_for(request, file_pk)
    return render(request, "reporting/_file.html", {"file": file})


@login_required
def file_download(request: HttpRequest, file_pk: int) -> HttpResponse:
    file = _file_for(request, file_pk)
    if file.status != FileStatus.DONE:
        raise Http404
    pdf = ReportFile.objects.values_list("pdf", flat=True).get(pk=file.pk)
    response = HttpResponse(bytes(pdf or b""), content_type="application/pdf")
    filename = f"verksamhetsberattelse-{file.unit.slug}-{file.year}-v{file.version}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def export(request: HttpRequest, unit_pk: int, year: int, fmt: str) -> HttpResponse:
    """The figures behind the report, with small counts suppressed (they leave the unit)."""
    unit = _manager_unit(request, unit_pk, year)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    today = timezone.localdate()
    rows = lines(
        annual_figures(unit=unit, year=year, today=today),
        goal_rows(unit=unit, year=year, today=today),
    )
    name = f"verksamhetsberattelse-{unit.slug}-{year}"
    if fmt == "csv":
        response = HttpResponse(as_csv(rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            as_xlsx(rows, title=f"{unit.name} {year}"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
