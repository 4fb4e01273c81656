"""IPS pages: the specialist's own work, cases and their steps, the employer register and
contacts, and the monthly follow-up (R21) as a page, PDF and CSV."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Callable
from functools import partial
from typing import Any

from dateutil.relativedelta import relativedelta
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from employment.access import (
    cases_for_user,
    employers_for_user,
    get_case_for_user,
    get_employer_for_user,
    get_job_for_user,
    ips_staff_only,
    programmes_for_user,
)
from employment.figures import Figures, period_figures, queue_rows, suppression_note, table
from employment.forms import (
    CaseOpenForm,
    ContactForm,
    EmployerForm,
    EndForm,
    JobEndForm,
    JobStartForm,
    PeriodForm,
    ReassignForm,
    StepForm,
)
from employment.home import case_lines, specialist_work
from employment.models import Case, CaseStep, EmploymentProgramme
from employment.services import (
    CaseConflict,
    case_end,
    case_move,
    case_open,
    case_reassign,
    contact_record,
    employer_create,
    job_end,
    job_start_record,
)
from lotsen.access import units_of, user_of
from lotsen.conflicts import stale_revision, typed_values
from lotsen.csvfile import csv_response
from lotsen.pdf import render_pdf
from participants.access import get_enrolment_for_user
from participants.forms import add_rule_errors
from participants.models import Enrolment, Participant
from participants.record_log import log_shown

CONFLICT = gettext_lazy(
    "Någon annan ändrade ärendet samtidigt. Sidan visar nu det som gäller; försök igen."
)


@login_required
@ips_staff_only
def overview(request: HttpRequest) -> HttpResponse:
    """The specialist's page: my cases, new cases this year, employer contacts this week."""
    today = timezone.localdate()
    # Not "work": that is the menu's (home.context_processors.navigation).
    context = {"specialist": specialist_work(user_of(request), today=today), "today": today}
    return render(request, "employment/overview.html", context)


@login_required
@ips_staff_only
def case_list(request: HttpRequest) -> HttpResponse:
    """The team's active cases, flagged and ordered as on the specialist's own list, and
    places in an IPS programme that have no case yet."""
    user = user_of(request)
    cases = (
        cases_for_user(request)
        .filter(ended_on__isnull=True)
        .select_related("enrolment__participant", "specialist")
        .order_by("specialist__first_name", "intake_on", "pk")
    )
    lines = case_lines(cases, today=timezone.localdate())
    without = list(
        Enrolment.objects.filter(
            programme__employment__in=programmes_for_user(request),
            participant__in=Participant.objects.visible_to(user),
            employment_case__isnull=True,
            end_date__isnull=True,
        )
        .select_related("participant", "programme")
        .order_by("start_date", "pk")
    )
    # The names on the page are reads of their records (L2), one insert for all.
    log_shown(
        request,
        [*(line.case.enrolment.participant for line in lines), *(p.participant for p in without)],
    )
    return render(request, "employment/cases.html", {"lines": lines, "without": without})


@login_required
@ips_staff_only
def case_open_view(request: HttpRequest, place_pk: int) -> HttpResponse:
    place = get_enrolment_for_user(request, place_pk)
    programme = get_object_or_404(EmploymentProgramme, programme=place.programme)
    form = CaseOpenForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            case = case_open(
                enrolment=place,
                by=user_of(request),
                today=timezone.localdate(),
                **form.cleaned_data,
            )
        except ValidationError as error:
            add_rule_errors(form, error)
        else:
            messages.success(request, _("Ärendet är öppnat."))
            return redirect("employment:case", case_pk=case.pk)
    status = 400 if form.is_bound else 200
    return render(
        request, "employment/case_open.html", {"form": form, "place": place}, status=status
    )


def _render_case(
    request: HttpRequest,
    case: Case,
    status: int = 200,
    conflict: CaseStep | None = None,
    typed_note: str = "",
    **forms: object,
) -> HttpResponse:
    context = {
        "conflict": conflict,
        "typed_note": typed_note,
        "case": case,
        "steps": case.steps.select_related("by"),
        "contacts": case.employer_contacts.select_related("employer", "by"),
        "jobs": case.job_starts.select_related("employer"),
        "step_form": forms.get("step_form") or StepForm(case=case),
        "end_form": forms.get("end_form") or EndForm(case=case),
        "job_form": forms.get("job_form")
        or JobStartForm(case=case, employers=employers_for_user(request)),
        "reassign_form": forms.get("reassign_form") or ReassignForm(case=case),
    }
    for key, name in (
        ("step_form", "case_step"),
        ("end_form", "case_end"),
        ("job_form", "job_start"),
        ("reassign_form", "case_reassign"),
    ):
        context[key].helper.form_action = reverse(f"employment:{name}", args=[case.pk])  # type: ignore[attr-defined]
    return render(request, "employment/case.html", context, status=status)


@login_required
@ips_staff_only
def case_detail(request: HttpRequest, case_pk: int) -> HttpResponse:
    return _render_case(request, get_case_for_user(request, case_pk))


def _case_action(
    request: HttpRequest,
    case: Case,
    form_class: Callable[..., forms.Form],
    key: str,
    action: Callable[..., object],
    done: str,
) -> HttpResponse:
    """A change to a case from its page: the service checks the rules and the revision;
    a conflict or a rule sends the user back to the page with the reason."""
    if stale_revision(request.POST, case.revision):
        return _case_conflict(request, case, form_class, key)
    form = form_class(request.POST, case=case)
    if form.is_valid():
        try:
            action(case=case, by=user_of(request), **form.cleaned_data)
        except CaseConflict:
            fresh = get_case_for_user(request, case.pk)
            return _case_conflict(request, fresh, form_class, key)
        except ValidationError as error:
            add_rule_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("employment:case", case_pk=case.pk)
    chosen: dict[str, Any] = {key: form}
    return _render_case(request, case, status=400, **chosen)


def _case_conflict(
    request: HttpRequest, case: Case, form_class: Callable[..., forms.Form], key: str
) -> HttpResponse:
    """A colleague changed the case after this page was loaded: their step stands and is
    named; what this user typed is offered again, on the current state, unsaved."""
    form = form_class(initial=typed_values(request.POST), case=case)
    latest = case.steps.select_related("by").order_by("-pk").first()
    note = request.POST.get("note", "")
    chosen: dict[str, Any] = {key: form}
    return _render_case(request, case, status=409, conflict=latest, typed_note=note, **chosen)


@login_required
@require_POST
@ips_staff_only
def case_step(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = get_case_for_user(request, case_pk)
    move = partial(case_move, today=timezone.localdate())
    return _case_action(request, case, StepForm, "step_form", move, _("Steget är sparat."))


@login_required
@require_POST
@ips_staff_only
def case_end_view(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = get_case_for_user(request, case_pk)
    end = partial(case_end, today=timezone.localdate())
    return _case_action(request, case, EndForm, "end_form", end, _("Ärendet är avslutat."))


@login_required
@require_POST
@ips_staff_only
def case_reassign_view(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = get_case_for_user(request, case_pk)
    done = _("Ärendet har ny arbetsspecialist.")
    return _case_action(request, case, ReassignForm, "reassign_form", case_reassign, done)


@login_required
@require_POST
@ips_staff_only
def job_start_view(request: HttpRequest, case_pk: int) -> HttpResponse:
    case = get_case_for_user(request, case_pk)
    form = JobStartForm(request.POST, case=case, employers=employers_for_user(request))
    if form.is_valid():
        data = form.cleaned_data
        try:
            job_start_record(case=case, by=user_of(request), today=timezone.localdate(), **data)
        except CaseConflict:
            messages.error(request, CONFLICT)
            return redirect("employment:case", case_pk=case.pk)
        except ValidationError as error:
            add_rule_errors(form, error)
        else:
            messages.success(request, _("Starten är registrerad."))
            return redirect("employment:case", case_pk=case.pk)
    return _render_case(request, case, status=400, job_form=form)


@login_required
@require_POST
@ips_staff_only
def job_end_view(request: HttpRequest, job_pk: int) -> HttpResponse:
    job = get_job_for_user(request, job_pk)
    form = JobEndForm(request.POST)
    if form.is_valid():
        try:
            job_end(job=job, by=user_of(request), **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Slutet är registrerat."))
    else:
        messages.error(request, _("Fyll i slutdatum."))
    return redirect("employment:case", case_pk=job.case_id)


@login_required
@ips_staff_only
def employer_list(request: HttpRequest) -> HttpResponse:
    employers = employers_for_user(request).annotate(last_contact=Max("contacts__on"))
    units = units_of(request)
    form = EmployerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # The unit whose IPS programme keeps the register.
        unit = units.filter(programmes__employment__isnull=False).first()
        if unit is None:
            raise Http404
        try:
            employer = employer_create(unit=unit, by=user_of(request), **form.cleaned_data)
        except ValidationError as error:
            add_rule_errors(form, error)
        else:
            messages.success(request, _("Arbetsgivaren är tillagd."))
            return redirect("employment:employer", employer_pk=employer.pk)
    status = 400 if form.is_bound else 200
    return render(
        request, "employment/employers.html", {"employers": employers, "form": form}, status=status
    )


@login_required
@ips_staff_only
def employer_detail(request: HttpRequest, employer_pk: int) -> HttpResponse:
    employer = get_employer_for_user(request, employer_pk)
    contacts = employer.contacts.select_related("by", "case__enrolment__participant")
    # A contact for a person the user may not see (L4) shows that it was for a person, no more.
    visible = set(
        cases_for_user(request)
        .filter(employer_contacts__employer=employer)
        .values_list("pk", flat=True)
    )
    rows = [(c, c.case if c.case_id in visible else None) for c in contacts]
    return render(request, "employment/employer.html", {"employer": employer, "rows": rows})


@login_required
@ips_staff_only
def contact_create(request: HttpRequest) -> HttpResponse:
    employers, cases = employers_for_user(request), cases_for_user(request)
    initial = {"submission_key": secrets.token_urlsafe(16)}
    if request.GET.get("arende"):
        initial["case"] = request.GET["arende"]
    if request.GET.get("arbetsgivare"):
        initial["employer"] = request.GET["arbetsgivare"]
    form = ContactForm(request.POST or None, employers=employers, cases=cases, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            contact, created = contact_record(
                by=user_of(request), today=timezone.localdate(), **form.cleaned_data
            )
        except ValidationError as error:
            add_rule_errors(form, error)
        else:
            if created:
                messages.success(request, _("Kontakten är sparad."))
            else:
                messages.info(
                    request, _("Kontakten var redan sparad; den sparades inte två gånger.")
                )
            if contact.case_id is not None and str(contact.case_id) == request.GET.get("arende"):
                # Opened from the case page: back to the case, where the contact now shows.
                return redirect("employment:case", case_pk=contact.case_id)
            return redirect("employment:employer", employer_pk=contact.employer_id)
    status = 400 if form.is_bound else 200
    return render(request, "employment/contact_form.html", {"form": form}, status=status)


def _default_period(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last whole month: the monthly follow-up is usually made after it ends."""
    first = today.replace(day=1) - relativedelta(months=1)
    return first, today.replace(day=1) - datetime.timedelta(days=1)


Section = tuple[datetime.date, datetime.date, list[str], list[tuple[str, list[str]]]]


def _follow_up_rows(sections: list[Section], figures: Figures, note: str) -> list[list[object]]:
    """The follow-up as CSV rows: each period's table, the queue by month, then what is hidden."""
    rows: list[list[object]] = []
    for section_start, section_end, columns, lines in sections:
        rows.append([f"{section_start.isoformat()}–{section_end.isoformat()}"])
        rows.append([_("Mått"), *columns])
        rows += [[label, *cells] for label, cells in lines]
        rows.append([])
    rows.append(
        [
            _("Månad"),
            _("På väntelistan vid månadens slut"),
            _("Väntetid till plats, median (dagar)"),
            _("Fick plats"),
        ]
    )
    rows += [list(row) for row in queue_rows(figures, suppress=True)]
    rows.append([])
    rows.append([note])
    return rows


@login_required
@ips_staff_only
def follow_up(request: HttpRequest) -> HttpResponse:
    """R21: the monthly follow-up for any month, year to date or any date range."""
    today = timezone.localdate()
    programmes = programmes_for_user(request)
    first = programmes.first()
    if first is None:
        raise Http404
    start, end = _default_period(today)
    data = request.GET if "start" in request.GET else None
    form = PeriodForm(data, programmes=programmes, initial={"start": start, "end": end})
    if form.is_bound and form.has_error("programme", "invalid_choice"):
        raise Http404
    if form.is_bound and not form.is_valid():
        return render(request, "employment/follow_up.html", {"form": form}, status=400)
    programme: EmploymentProgramme = first
    if form.is_bound:
        # The period links leave the programme out: the unit's first one, then.
        programme = form.cleaned_data["programme"] or first
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    figures = period_figures(programme, start=start, end=end, today=today)
    kind = request.GET.get("format")
    # Anything that leaves the unit has small counts suppressed.
    suppress = kind in ("pdf", "csv")
    # R21: a month's report also shows the year to date.
    sections = [(start, end, *table(figures, suppress=suppress))]
    year_start = end.replace(month=1, day=1)
    if year_start < start:
        to_date = period_figures(programme, start=year_start, end=end, today=today)
        sections.append((year_start, end, *table(to_date, suppress=suppress)))
    note = suppression_note(programme.suppress_below)
    context = {
        "form": form,
        "f": figures,
        "sections": sections,
        "queue": queue_rows(figures, suppress=suppress),
        "periods": _periods(today),
        "query": f"programme={programme.pk}&start={start.isoformat()}&end={end.isoformat()}",
        "suppression_note": note,
    }
    name = f"ips-uppfoljning-{start.isoformat()}-{end.isoformat()}"
    if kind == "pdf":
        html = render_to_string("employment/follow_up_pdf.html", context, request=request)
        response = HttpResponse(
            render_pdf(html, base_url=request.build_absolute_uri("/")),
            content_type="application/pdf",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        return response
    if kind == "csv":
        return csv_response(_follow_up_rows(sections, figures, note), filename=f"{name}.csv")
    return render(request, "employment/follow_up.html", context)


def _periods(today: datetime.date) -> list[tuple[str, datetime.date, datetime.date]]:
    last_start, last_end = _default_period(today)
    return [
        (_("Förra månaden"), last_start, last_end),
        (_("Denna månad hittills"), today.replace(day=1), today),
        (_("Året hittills"), today.replace(month=1, day=1), today),
        (
            _("Förra året"),
            datetime.date(today.year - 1, 1, 1),
            datetime.date(today.year - 1, 12, 31),
        ),
    ]
