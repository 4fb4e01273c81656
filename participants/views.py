from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotsen.access import (
    get_participant_for_user,
    programmes_for,
    units_of,
    user_of,
)
from lotsen.models import User
from participants.forms import EnrolmentForm, ParticipantForm, VisitForm
from participants.models import Enrolment, Participant
from participants.services import enrolment_create, participant_register, visit_record

PAGE_SIZE = 50


@login_required
def participant_list(request: HttpRequest) -> HttpResponse:
    participants = Participant.objects.visible_to(user_of(request)).only(
        "first_name", "last_name", "birth_date", "protected_identity"
    )
    page = Paginator(participants, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "participants/list.html", {"page": page})


@login_required
def participant_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = ParticipantForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "unit"}
        participant = participant_register(
            by=user,
            unit=form.cleaned_data["unit"],
            identity_kind=form.identity.kind,
            birth_date=form.identity.birth_date,
            **data,
        )
        messages.success(request, _("Personen är registrerad."))
        return redirect("participants:detail", pk=participant.pk)
    return render(request, "participants/form.html", {"form": form})


@login_required
def participant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    participant = get_participant_for_user(request, pk)
    units = units_of(request)
    enrolments = (
        Enrolment.objects.filter(participant=participant, programme__unit__in=units)
        .select_related("programme", "contact_person", "plan")
        .order_by("-start_date")
    )
    visits = participant.visits.filter(programme__unit__in=units).select_related("programme")[:10]
    today = timezone.localdate()
    visit_form = VisitForm(programmes=programmes_for(request))
    current = next((e for e in enrolments if e.is_active_on(today)), None)
    if current is not None:
        visit_form.fields["programme"].initial = current.programme_id
    return render(
        request,
        "participants/detail.html",
        {
            "participant": participant,
            "enrolments": enrolments,
            "visits": visits,
            "today": today,
            "visit_form": visit_form,
        },
    )


@login_required
def enrolment_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    participant = get_participant_for_user(request, pk)
    units = units_of(request)
    form = EnrolmentForm(
        request.POST or None,
        programmes=programmes_for(request),
        staff=User.objects.filter(units__in=units, is_active=True).distinct(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            enrolment_create(participant=participant, by=user_of(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Platsen är registrerad."))
            return redirect("participants:detail", pk=participant.pk)
    return render(
        request, "participants/enrolment_form.html", {"form": form, "participant": participant}
    )


@login_required
@require_POST
def visit_create(request: HttpRequest, pk: int) -> HttpResponse:
    participant = get_participant_for_user(request, pk)
    form = VisitForm(request.POST, programmes=programmes_for(request))
    if form.is_valid():
        _visit, created = visit_record(
            participant=participant, by=user_of(request), **form.cleaned_data
        )
        if created:
            messages.success(request, _("Besöket är registrerat."))
        else:
            messages.info(request, _("Besöket var redan registrerat; inget dubbelräknas."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("participants:detail", pk=participant.pk)
