from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from lotsen.access import units_of, user_of
from reporting.forms import AnnualReportForm
from reporting.services import report_pdf


@login_required
def annual_report(request: HttpRequest) -> HttpResponse:
    """The unit manager's annual report: a form, and with unit and year given, the PDF."""
    if not user_of(request).is_manager:
        raise PermissionDenied
    units = units_of(request)
    form = AnnualReportForm(request.GET or None, units=units)
    if form.is_bound and form.has_error("unit", "invalid_choice"):
        raise Http404  # another unit's report: as if it did not exist
    if form.is_valid():
        unit, year = form.cleaned_data["unit"], form.cleaned_data["year"]
        pdf = report_pdf(
            unit=unit,
            year=year,
            today=timezone.localdate(),
            base_url=request.build_absolute_uri("/"),
        )
        response = HttpResponse(pdf, content_type="application/pdf")
        filename = f"verksamhetsberattelse-{unit.slug}-{year}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return render(request, "reporting/annual_report.html", {"form": form})
