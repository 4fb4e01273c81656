"""Staff pages for referrals and the waiting list (R2, R22)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lotsen.access import programmes_for, units_of, user_of
from lotsen.conflicts import stale_revision, typed_values
from participants.forms import ParticipantForm
from participants.models import Enrolment, Participant
from participants.record_log import log_shown
from participants.services import capacity_weeks
from referrals.access import get_referral_for_user
from referrals.forms import AcceptForm, LinkForm, ReferralForm, SearchForm, StepForm
from referrals.models import OPEN_STATUSES, Referral, ReferralStep, Status
from referrals.services import (
    ReferralConflict,
    matching_participants,
    referral_accept,
    referral_create,
    referral_link_participant,
    referral_move,
    referral_register_person,
    referral_search,
    waiting_now,
    waits_ended,
)

PAGE_SIZE = 50
CONFLICT = gettext_lazy(
    "Någon annan ändrade anmälan medan du arbetade med den. Se det senaste nedan och gör "
    "ditt steg igen om det fortfarande behövs."
)


def _referrals(request: HttpRequest):  # type: ignore[no-untyped-def]
    return Referral.objects.visible_to(user_of(request)).select_related(
        "unit", "programme", "participant"
    )


SEARCH_SESSION_KEY = "referral_search"


@login_required
def referral_list(request: HttpRequest) -> HttpResponse:
    """Referrals by status (in the URL; no personal data is). A name search is kept in the
    session, never in the URL (privacy), as in the registry."""
    if request.method == "POST":
        search = SearchForm(request.POST)
        query = search.cleaned_data["q"].strip() if search.is_valid() else ""
        if "clear" in request.POST or not query:
            request.session.pop(SEARCH_SESSION_KEY, None)
        else:
            request.session[SEARCH_SESSION_KEY] = query
        return redirect(f"{request.path}?{request.GET.urlencode()}")
    status = request.GET.get("status", "open")
    referrals = _referrals(request)
    counts = dict(referrals.values_list("status").annotate(n=Count("pk")).order_by())
    if status == "open":
        referrals = referrals.filter(status__in=OPEN_STATUSES)
    elif status in Status.values:
        referrals = referrals.filter(status=status)
    else:
        status = "all"
    query = request.session.get(SEARCH_SESSION_KEY, "")
    context = {
        "referrals": referral_search(referrals, query=query)[:PAGE_SIZE],
        "status": status,
        # Erased referrals are no one's to see (visible_to): no tab for them.
        "statuses": [
            (s, label, counts.get(s, 0)) for s, label in Status.choices if s != Status.ERASED
        ],
        "open_count": sum(counts.get(s, 0) for s in OPEN_STATUSES),
        "search": SearchForm(initial={"q": query}),
        "query": query,
        "today": timezone.localdate(),
    }
    return render(request, "referrals/list.html", context)


@login_required
def referral_create_view(request: HttpRequest) -> HttpResponse:
    form = ReferralForm(request.POST or None, units=units_of(request))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        key = data.pop("submission_key")
        referral, created = referral_create(
            unit=data.pop("unit"), by=user_of(request), submission_key=key, **data
        )
        if created:
            messages.success(request, _("Anmälan är registrerad."))
        else:
            messages.info(
                request, _("Anmälan var redan registrerad; den sparades inte två gånger.")
            )
        return redirect("referrals:detail", pk=referral.pk)
    return render(request, "referrals/form.html", {"form": form})


def _render_detail(
    request: HttpRequest,
    referral: Referral,
    status: int = 200,
    conflict: ReferralStep | None = None,
    **forms: object,
) -> HttpResponse:
    visible = Participant.objects.visible_to(user_of(request))
    candidates = [] if referral.participant_id else matching_participants(referral, visible)
    full = False
    if referral.programme and (referral.programme.limits_hours or referral.programme.limits_people):
        week = capacity_weeks(referral.programme, today=timezone.localdate(), weeks=1)[0]
        full = week["free"] <= 0
    context = {
        "referral": referral,
        "steps": referral.steps.select_related("by"),
        "step_form": forms.get("step_form") or StepForm(referral=referral),
        "accept_form": forms.get("accept_form"),
        "candidates": candidates,
        "link_form": LinkForm(
            initial={"revision": referral.revision},
            candidates=visible.filter(pk__in=[c.pk for c in candidates]),
        ),
        "programme_full": full,
        "today": timezone.localdate(),
        "can_wait": Status.WAITING in referral.allowed_targets(),
        "can_accept": Status.ACCEPTED in referral.allowed_targets(),
        "conflict": conflict,
    }
    return render(request, "referrals/detail.html", context, status=status)


@login_required
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, get_referral_for_user(request, pk))


@login_required
@require_POST
def referral_step(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for_user(request, pk)
    if stale_revision(request.POST, referral.revision):
        return _step_conflict(request, referral)
    form = StepForm(request.POST, referral=referral)
    if form.is_valid():
        try:
            referral_move(
                referral=referral,
                to=form.cleaned_data["to"],
                on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
                programme=form.cleaned_data["programme"],
                by=user_of(request),
                revision=form.cleaned_data["revision"],
                today=timezone.localdate(),
            )
        except ReferralConflict:
            return _step_conflict(request, get_referral_for_user(request, pk))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Steget är registrerat."))
            return redirect("referrals:detail", pk=referral.pk)
    elif form.has_error("to", "invalid_choice"):
        # Also said above the form: a closed referral shows no form to carry the error.
        form.add_error(None, _("Det steget går inte att ta nu. Välj ett av stegen i listan."))
    return _render_detail(request, referral, status=400, step_form=form)


def _step_conflict(request: HttpRequest, referral: Referral) -> HttpResponse:
    """A colleague changed the referral after this page was loaded: their step stands and
    is named; what this user typed is offered again, on the current state, unsaved."""
    form = StepForm(initial=typed_values(request.POST), referral=referral)
    latest = referral.steps.select_related("by").order_by("-pk").first()
    return _render_detail(request, referral, status=409, conflict=latest, step_form=form)


@login_required
def referral_accept_view(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for_user(request, pk)
    form = AcceptForm(request.POST or None, referral=referral)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            referral_accept(
                referral=referral,
                by=user_of(request),
                today=timezone.localdate(),
                **data,
            )
        except ReferralConflict:
            messages.warning(request, CONFLICT)
            return redirect("referrals:detail", pk=referral.pk)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Anmälan är antagen och personen har fått en plats."))
            return redirect("referrals:detail", pk=referral.pk)
    context = {
        "form": form,
        "referral": referral,
        "offer_waiting": bool(form.errors) and Status.WAITING in referral.allowed_targets(),
        "step_form": StepForm(referral=referral),
        "chosen_programme": form.data.get("programme", referral.programme_id),
    }
    return render(request, "referrals/accept.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def referral_link(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for_user(request, pk)
    visible = Participant.objects.visible_to(user_of(request)).filter(unit=referral.unit)
    form = LinkForm(request.POST, candidates=visible)
    if not form.is_valid():
        messages.error(request, _("Välj en av personerna i listan."))
        return redirect("referrals:detail", pk=referral.pk)
    try:
        referral_link_participant(
            referral=referral,
            participant=form.cleaned_data["participant"],
            by=user_of(request),
            revision=form.cleaned_data["revision"],
        )
    except ReferralConflict:
        messages.warning(request, CONFLICT)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Anmälan är kopplad till personen."))
    return redirect("referrals:detail", pk=referral.pk)


@login_required
def referral_register(request: HttpRequest, pk: int) -> HttpResponse:
    """Register the referral's person with what the referral already says."""
    referral = get_referral_for_user(request, pk)
    if referral.participant_id:
        return redirect("referrals:detail", pk=referral.pk)
    user = user_of(request)
    initial = {
        "first_name": referral.first_name,
        "last_name": referral.last_name,
        "identity_number": referral.identity_number,
        "unit": referral.unit_id,
        "municipality": referral.unit.home_municipality,
        "has_housing_support": referral.prioritised,
    }
    contact = referral.contact.strip()
    initial["email" if "@" in contact else "phone"] = contact
    form = ParticipantForm(request.POST or None, user=user, initial=initial)
    form.fields["unit"].queryset = units_of(request).filter(pk=referral.unit_id)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        form_only = {"unit", "reserve_identity", "confirm_new_person"}
        data = {k: v for k, v in form.cleaned_data.items() if k not in form_only}
        try:
            referral_register_person(referral=referral, by=user, revision=referral.revision, **data)
        except (IntegrityError, ValidationError):
            messages.warning(request, _("Personen registrerades samtidigt av någon annan."))
            return redirect("referrals:detail", pk=referral.pk)
        messages.success(request, _("Personen är registrerad och kopplad till anmälan."))
        return redirect("referrals:detail", pk=referral.pk)
    return render(request, "referrals/register.html", {"form": form, "referral": referral})


# --- The waiting list (R22) -------------------------------------------------------------


@login_required
def waiting_list(request: HttpRequest) -> HttpResponse:
    """Per programme, in order, with days waited; median and longest now and by month."""
    today = timezone.localdate()
    programmes = list(programmes_for(request))
    waiting = Referral.objects.visible_to(user_of(request)).waiting()
    by_programme: dict[int, list[Referral]] = {p.pk: [] for p in programmes}
    for referral in waiting.select_related("participant"):
        referral.days = referral.days_waited(today)  # type: ignore[attr-defined]
        if referral.programme_id in by_programme:
            by_programme[referral.programme_id].append(referral)
    # The figures count everyone waiting, also protected people the user cannot see.
    figures = {p.pk: waiting_now(p, today=today) for p in programmes}
    rows = [(p, by_programme[p.pk], figures[p.pk]) for p in programmes if figures[p.pk].count]
    # Referrals not yet linked to a registered person have no record to log against.
    log_shown(request, [r.participant for _p, rs, _f in rows for r in rs if r.participant])
    year = today.year
    monthly = waits_ended(
        programmes_for(request),
        start=today.replace(year=year - 1, month=1, day=1),
        end=today,
    )
    return render(
        request,
        "referrals/waiting_list.html",
        {"rows": rows, "monthly": monthly, "today": today},
    )


@login_required
def waiting_programme(request: HttpRequest, programme_pk: int) -> HttpResponse:
    """The programme's list next to its capacity: who is next when a place frees up."""
    programme = get_object_or_404(programmes_for(request), pk=programme_pk)
    today = timezone.localdate()
    waiting = list(
        Referral.objects.visible_to(user_of(request))
        .waiting()
        .filter(programme=programme)
        .select_related("participant")
    )
    for referral in waiting:
        referral.days = referral.days_waited(today)  # type: ignore[attr-defined]
    log_shown(request, [r.participant for r in waiting if r.participant])
    limited = programme.limits_hours or programme.limits_people
    freeing = (
        Enrolment.objects.filter(programme=programme, end_date__gte=today, outcome="")
        .order_by("end_date")
        .only("end_date")[:10]
    )
    context = {
        "programme": programme,
        "waiting": waiting,
        "figures": waiting_now(programme, today=today),
        "weeks": capacity_weeks(programme, today=today, weeks=4) if limited else [],
        "freeing": list(freeing) if limited else [],
        "today": today,
    }
    return render(request, "referrals/waiting_programme.html", context)
