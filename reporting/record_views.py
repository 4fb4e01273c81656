"""The record log (L2), retention (L3) and the person's own copy (GDPR art. 15)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotsen.access import BY_NAME, units_of, user_of
from lotsen.models import User
from lotsen.pdf import render_pdf
from participants.access import get_participant_for_user
from participants.models import Participant, RecordEventKind
from participants.record_log import log_event, log_shown
from referrals.models import Referral
from reporting.extract import record_extract
from reporting.forms import RecordLogForm
from reporting.models import RetentionItem, RetentionRun
from reporting.record_log import log_csv, log_rows, record_events
from reporting.retention import items_still_due, retention_approve, retention_propose

LOG_PAGE_SIZE = 50


@login_required
def record_log(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    """L2: the unit manager reviews who read or changed which person's record; reading and
    exporting the log is itself logged."""
    manager = user_of(request)
    if not manager.is_manager:
        raise PermissionDenied
    units = units_of(request)
    form = RecordLogForm(
        request.GET or None,
        people=Participant.objects.visible_to(manager),
        # Deliberately not the working staff: the log reviews every account of the units,
        # also a former colleague's and the administrator's.
        staff=User.objects.filter(units__in=units).distinct().order_by(*BY_NAME),
    )
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if form.is_bound and not form.is_valid() and form.has_error("person", "invalid_choice"):
        raise Http404  # another unit's person: as if they did not exist
    filters = {k: v for k, v in filters.items() if v}
    events = record_events(units=units, **filters)
    person = filters.get("person")
    if request.GET.get("format") == "csv":
        log_event(request, kind=RecordEventKind.LOG_EXPORT, participant=person)
        response = StreamingHttpResponse(log_csv(events), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="logg.csv"'
        return response
    log_event(request, kind=RecordEventKind.LOG_READ, participant=person)
    page = Paginator(events, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "rows": log_rows(page.object_list)}
    return render(request, "reporting/record_log.html", context)


@login_required
def register_extract(request: HttpRequest, participant_pk: int, kind: str = "pdf") -> HttpResponse:
    """GDPR art. 15: the unit's whole record of the person as a PDF or a JSON file; the
    inspectorate's copy leaves out identity numbers and contact details. Logged as a read."""
    participant = get_participant_for_user(request, participant_pk)
    log_event(request, kind=RecordEventKind.EXTRACT, participant=participant, page=kind)
    extract = record_extract(
        participant=participant, by=user_of(request), redacted=kind == "inspection"
    )
    name = f"registerutdrag-{participant.pk}"
    if kind == "json":
        response: HttpResponse = JsonResponse(
            extract.as_json(), json_dumps_params={"ensure_ascii": False, "indent": 1}
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.json"'
        return response
    html = render_to_string("reporting/extract_pdf.html", {"extract": extract})
    pdf = render_pdf(html, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    suffix = "-ivo" if extract.redacted else ""
    response["Content-Disposition"] = f'attachment; filename="{name}{suffix}.pdf"'
    return response


def _manager(request: HttpRequest) -> User:
    user = user_of(request)
    if not user.is_manager:
        raise PermissionDenied
    return user


@login_required
def retention(request: HttpRequest) -> HttpResponse:
    """L3: the year's proposals of records due for deletion, for the manager to approve."""
    _manager(request)
    runs = list(RetentionRun.objects.filter(unit__in=units_of(request)).select_related("unit"))
    # One query for every run's items, whatever the number of years and units.
    items = list(RetentionItem.objects.filter(run__in=runs).select_related("approved_by", "run"))
    people = Participant.objects.in_bulk({i.participant_id for i in items if i.participant_id})
    referrals = Referral.objects.in_bulk({i.referral_id for i in items if i.referral_id})
    log_shown(request, [people[i.participant_id] for i in items if i.participant_id in people])
    due = items_still_due(items)
    rows = []
    for run in runs:
        mine = [
            (i, people.get(i.participant_id or 0), _offered(i, referrals, due), i.pk in due)
            for i in items
            if i.run_id == run.pk
        ]
        # A button only where something is left to erase (an empty or finished run says so).
        rows.append((run, mine, any(still_due for *_i, still_due in mine)))
    context = {
        "rows": rows,
        "years": settings.RETENTION_YEARS,
        "days": ", ".join(str(d) for d in settings.RETENTION_EXEMPT_BIRTH_DAYS),
    }
    return render(request, "reporting/retention.html", context)


def _offered(item: RetentionItem, referrals: dict[int, Referral], due: set[int]) -> Referral | None:
    """The item's referral while it is still to be erased alone: one linked to a person
    since the proposal is not named here (it is part of their record now)."""
    return referrals.get(item.referral_id or 0) if item.pk in due else None


@login_required
@require_POST
def retention_propose_view(request: HttpRequest) -> HttpResponse:
    _manager(request)
    for unit in units_of(request):
        retention_propose(unit=unit, today=timezone.localdate())
    messages.success(request, _("Förslaget är uppdaterat."))
    return redirect("reporting:retention")


@login_required
@require_POST
def retention_approve_view(request: HttpRequest, run_pk: int) -> HttpResponse:
    manager = _manager(request)
    run = get_object_or_404(RetentionRun, pk=run_pk, unit__in=units_of(request))
    chosen = [v for v in request.POST.getlist("items") if v.isdigit()]
    items = list(run.items.filter(pk__in=chosen, erased_at__isnull=True))
    # A referral linked to a person since the proposal, or a person who came back, is left
    # out: no longer due.
    due = items_still_due(items)
    items = [i for i in items if i.pk in due]
    if not items:
        messages.error(
            request, _("Välj vilka personers uppgifter och anmälningar som ska gallras.")
        )
        return redirect("reporting:retention")
    if request.POST.get("confirm") != "1":
        # Erasing cannot be undone: the choice is shown once more, by name, to confirm.
        people = Participant.objects.in_bulk({i.participant_id for i in items if i.participant_id})
        referrals = Referral.objects.in_bulk({i.referral_id for i in items if i.referral_id})
        log_shown(request, list(people.values()))
        chosen_rows = [
            (i, people.get(i.participant_id or 0), referrals.get(i.referral_id or 0)) for i in items
        ]
        context = {"run": run, "chosen": chosen_rows}
        return render(request, "reporting/retention_confirm.html", context)
    count = retention_approve(run=run, items=items, by=manager)
    messages.success(request, _("%(n)s av de valda är gallrade.") % {"n": count})
    return redirect("reporting:retention")
