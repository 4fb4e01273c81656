from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.forms import ModelForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotsen.access import contact_persons, programmes_for, units_of, user_of
from lotsen.models import CapacityKind, Programme, Role, Unit
from lotsen.pagination import CappedPaginator
from lotsen.together import prefetched_each, read_together
from participants.access import get_enrolment_for_user, get_participant_for_user
from participants.forms import (
    AssessmentForm,
    EndPlaceForm,
    EnrolmentForm,
    HoursChangeForm,
    HousingSupportForm,
    ParticipantForm,
    RegistryFilterForm,
    RelativeForm,
    SearchForm,
    VisitForm,
    WorkplaceForm,
)
from participants.identity import age_on
from participants.models import Enrolment, HoursChange, Participant
from participants.record_log import log_shown
from participants.registry_rows import registry_rows
from participants.services import (
    capacity_weeks,
    enrolment_change_hours,
    enrolment_create,
    enrolment_end,
    free_capacity_text,
    participant_register,
    registry_search,
    visit_record,
    with_new_cases,
)
from participants.training_hours import training_weeks, training_window

PAGE_SIZE = 50
REGISTRY_COUNT_CAP = 2000  # past this the registry says "more than" (a bounded count)
NEXT_IN_LINE = 5
# What the registry's rows and its read log use of a person.
LISTED_FIELDS = ("first_name", "last_name", "birth_date", "protected_identity", "unit")


SEARCH_SESSION_KEY = "participant_search"


@login_required
def participant_list(request: HttpRequest) -> HttpResponse:
    """The registry. The search text is kept in the session, never in the URL (privacy)."""
    if request.method == "POST":
        search = SearchForm(request.POST)
        query = search.cleaned_data["q"].strip() if search.is_valid() else ""
        if "clear" in request.POST or not query:
            request.session.pop(SEARCH_SESSION_KEY, None)
        else:
            request.session[SEARCH_SESSION_KEY] = query
        return redirect(f"{request.path}?{request.GET.urlencode()}")
    units = units_of(request)
    # The dropdowns show names: only what their labels read.
    staff = contact_persons(units, with_current=True)
    filters = RegistryFilterForm(
        request.GET or None,
        units=units.only("name"),
        programmes=Programme.objects.filter(unit__in=units).only("name"),
        staff=staff.only("username", "first_name", "last_name"),
    )
    query = request.session.get(SEARCH_SESSION_KEY, "")
    today = timezone.localdate()
    participants = (
        registry_search(
            Participant.objects.visible_to(user_of(request)),
            query=query,
            filters=filters.cleaned_data if filters.is_valid() else {},
            today=today,
        )
        .only(*LISTED_FIELDS)
        .prefetch_related(
            Prefetch(
                "enrolments",
                queryset=Enrolment.objects.filter(programme__unit__in=units, outcome="")
                .active_on(today)
                .select_related("programme", "contact_person"),
                to_attr="current_places",
            )
        )
    )
    page = CappedPaginator(participants, PAGE_SIZE, cap=REGISTRY_COUNT_CAP).get_page(
        request.GET.get("page")
    )
    log_shown(request, page.object_list)
    context = {
        "page": page,
        "rows": registry_rows(page.object_list),
        "filters": filters,
        "search": SearchForm(initial={"q": query}),
        "query": query,
    }
    return render(request, "participants/list.html", context)


@login_required
def participant_create(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    form = ParticipantForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            participant = participant_register(
                by=user, unit=form.cleaned_data["unit"], **form.registration_fields()
            )
        except ValidationError as error:
            # Two registrations of the same person at once: the other one was saved first.
            form.show_rule_errors(error)
            return render(request, "participants/form.html", {"form": form})
        messages.success(request, _("Personen är registrerad."))
        return redirect("participants:detail", pk=participant.pk)
    return render(request, "participants/form.html", {"form": form})


@login_required
def participant_detail(request: HttpRequest, pk: int) -> HttpResponse:
    participant = get_participant_for_user(request, pk)
    units = units_of(request)
    today = timezone.localdate()
    enrolments = list(
        participant.enrolments.filter(programme__unit__in=units)
        .select_related("programme", "contact_person", "plan")
        .order_by("-start_date")
    )
    first_monday, this_monday = training_window(today)
    visits = participant.visits.filter(programme__unit__in=units).select_related("programme")
    # The page's short lists in one round trip. The journal app builds on this one; its rows
    # are read through the relation (0011).
    lists = read_together(
        hours_changes=HoursChange.objects.filter(enrolment__in=[e.pk for e in enrolments]),
        visits=visits.order_by("-date", "-pk")[:10],
        # R6: the weeks of work training the training table shows.
        training_visits=visits.filter(
            date__gte=first_monday, date__lt=this_monday, programme__is_work_training=True
        ),
        sessions=participant.session_attendances.filter(
            session__activity__unit__in=units
        ).select_related("session__activity")[:10],
        groups=participant.activity_memberships.filter(activity__unit__in=units).select_related(
            "activity"
        ),
        assessments=participant.assessments.filter(unit__in=units).select_related(
            "instrument", "assessor"
        ),
        referrals=participant.referrals.filter(unit__in=units).select_related("programme"),
        journal=participant.journal_entries.select_related("kind", "author")[:5],
        journal_drafts=participant.journal_drafts.filter(author=user_of(request)),
        # Relatives and housing support belong to the person, not to one unit: staff who
        # may see the person see them.
        relatives=participant.relatives.all(),
        housing_support=participant.housing_support.all(),
    )
    prefetched_each(enrolments, "hours_changes", lists.pop("hours_changes"), key="enrolment_id")
    in_training = [
        (v.participant_id, v.programme_id, v.date, v.hours) for v in lists.pop("training_visits")
    ]
    training = training_weeks(enrolments, in_training, today=today)
    current = [e for e in enrolments if not e.is_ended and (e.end_date or today) >= today]
    for e in current:
        e.hours_now = e.hours_on(today)  # type: ignore[attr-defined]
    visit_form = VisitForm(programmes=Programme.objects.filter(unit_id=participant.unit_id))
    if current:
        visit_form.fields["programme"].initial = current[0].programme_id
    return render(
        request,
        "participants/detail.html",
        {
            "participant": participant,
            "current": [(e, e.plan_status(today), e.duration_warning(today)) for e in current],
            "ended": [e for e in enrolments if e not in current],
            "training": training,
            "can_assess": user_of(request).role == Role.OCCUPATIONAL_THERAPIST,
            "today": today,
            "visit_form": visit_form,
            **lists,
        },
    )


@login_required
def enrolment_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    participant = get_participant_for_user(request, pk)
    # The pickers offer only what fits: programmes for the person's age (R8, R17), and the
    # unit's staff who can be contact persons.
    age = age_on(participant.birth_date, timezone.localdate())
    fitting = [p.pk for p in participant.unit.programmes.all() if p.fits_age(age)]
    form = EnrolmentForm(
        request.POST or None,
        programmes=participant.unit.programmes.filter(pk__in=fitting),
        staff=contact_persons(Unit.objects.filter(pk=participant.unit_id)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            enrolment_create(participant=participant, by=user_of(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Platsen är registrerad."))
            return redirect("participants:detail", pk=participant.pk)
    today = timezone.localdate()
    limited = [
        p
        for p in participant.unit.programmes.all()
        if (p.limits_hours or p.limits_people) and p.pk in fitting
    ]
    capacity = []
    for programme in limited:
        week = capacity_weeks(programme, today=today, weeks=1)[0]
        capacity.append((programme, week, free_capacity_text(programme, week["free"])))
    context = {"form": form, "participant": participant, "capacity": capacity}
    return render(request, "participants/enrolment_form.html", context)


@login_required
@require_POST
def visit_create(request: HttpRequest, pk: int) -> HttpResponse:
    participant = get_participant_for_user(request, pk)
    form = VisitForm(request.POST, programmes=participant.unit.programmes.all())
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


def _render_place(
    request: HttpRequest, place: Enrolment, status: int = 200, **forms: object
) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "place": place,
        "hours_changes": place.hours_changes.select_related("created_by"),
        "latest_end": place.programme.latest_end(place.start_date),
        "hours_now": place.hours_on(today),
        "hours_form": forms.get("hours_form") or HoursChangeForm(initial={"from_date": today}),
        "end_form": forms.get("end_form") or EndPlaceForm(initial={"end_date": today}),
        "workplace_form": forms.get("workplace_form")
        or WorkplaceForm(instance=getattr(place, "workplace", None)),
        "today": today,
    }
    return render(request, "participants/place.html", context, status=status)


@login_required
def place_detail(request: HttpRequest, place_pk: int) -> HttpResponse:
    return _render_place(request, get_enrolment_for_user(request, place_pk))


@login_required
@require_POST
def place_change_hours(request: HttpRequest, place_pk: int) -> HttpResponse:
    place = get_enrolment_for_user(request, place_pk)
    form = HoursChangeForm(request.POST)
    if form.is_valid():
        try:
            enrolment_change_hours(enrolment=place, by=user_of(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        except IntegrityError:
            form.add_error("from_date", _("Det finns redan en ändring det datumet."))
        else:
            messages.success(request, _("De nya timmarna är sparade."))
            return redirect("participants:place", place_pk=place.pk)
    return _render_place(request, place, status=400, hours_form=form)


@login_required
@require_POST
def place_end(request: HttpRequest, place_pk: int) -> HttpResponse:
    place = get_enrolment_for_user(request, place_pk)
    form = EndPlaceForm(request.POST)
    if form.is_valid():
        try:
            enrolment_end(
                enrolment=place,
                by=user_of(request),
                on=form.cleaned_data["end_date"],
                outcome=form.cleaned_data["outcome"],
                note=form.cleaned_data["outcome_note"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Platsen är avslutad."))
            return redirect("participants:place", place_pk=place.pk)
    return _render_place(request, place, status=400, end_form=form)


@login_required
@require_POST
def place_workplace(request: HttpRequest, place_pk: int) -> HttpResponse:
    place = get_enrolment_for_user(request, place_pk)
    if not place.programme.has_external_workplace:
        raise Http404
    form = WorkplaceForm(request.POST, instance=getattr(place, "workplace", None))
    if form.is_valid():
        form.instance.enrolment = place
        try:
            with transaction.atomic():
                saved = form.save_unless_changed()
        except IntegrityError:
            # Saved by someone else at the same moment: show theirs instead of losing it.
            messages.warning(request, _("Arbetsplatsen sparades samtidigt av någon annan."))
            return redirect("participants:place", place_pk=place.pk)
        if saved:
            messages.success(request, _("Arbetsplatsen är sparad."))
            return redirect("participants:place", place_pk=place.pk)
    return _render_place(request, place, status=400, workplace_form=form)


@login_required
def capacity_overview(request: HttpRequest) -> HttpResponse:
    programmes = [p for p in programmes_for(request) if p.limits_hours or p.limits_people]
    today = timezone.localdate()
    rows = [(p, capacity_weeks(p, today=today, weeks=1)[0]) for p in programmes]
    # A programme limited by new cases a year (R21) counts the cases opened this year.
    yearly = with_new_cases(
        programmes_for(request).filter(
            capacity_kind=CapacityKind.NEW_CASES_PER_YEAR, capacity__isnull=False
        ),
        year=today.year,
    )
    return render(
        request, "participants/capacity_list.html", {"rows": rows, "yearly": yearly, "today": today}
    )


@login_required
def capacity_detail(request: HttpRequest, programme_pk: int) -> HttpResponse:
    programme = get_object_or_404(programmes_for(request), pk=programme_pk)
    today = timezone.localdate()
    places = Enrolment.objects.filter(programme=programme).select_related("participant")
    holders = list(
        places.active_on(today)
        .select_related("contact_person")
        .prefetch_related("hours_changes")
        .order_by("participant__last_name")
    )
    freeing = list(places.filter(end_date__gte=today).order_by("end_date"))
    starting = list(places.filter(start_date__gt=today).order_by("start_date"))
    # L4: a protected person's place counts, but only their team sees who it is.
    everyone = {e.participant_id for e in [*holders, *freeing, *starting]}
    visible = set(
        Participant.objects.visible_to(user_of(request))
        .filter(pk__in=everyone)
        .values_list("pk", flat=True)
    )
    for place in [*holders, *freeing, *starting]:
        place.shown = place.participant_id in visible  # type: ignore[attr-defined]
    next_in_line = list(
        programme.referrals.visible_to(user_of(request))  # type: ignore[attr-defined]
        .waiting()
        .select_related("participant")[:NEXT_IN_LINE]
    )
    shown = [p.participant for p in [*holders, *freeing, *starting] if p.shown]  # type: ignore[attr-defined]
    log_shown(request, shown + [r.participant for r in next_in_line if r.participant])
    context = {
        "programme": programme,
        # When a place frees up, the staff who fill it see who is next in line (R22). Read
        # through the relation: referrals build on places, not the other way round.
        "next_in_line": next_in_line,
        "weeks": capacity_weeks(programme, today=today),
        "holders": [(e, e.hours_on(today)) for e in holders],
        "freeing": freeing,
        "starting": starting,
        "today": today,
    }
    return render(request, "participants/capacity.html", context)


@login_required
def assessment_create(request: HttpRequest, pk: int) -> HttpResponse:
    """R10: only occupational therapists record assessments; everyone else reads them."""
    participant = get_participant_for_user(request, pk)
    user = user_of(request)
    if user.role != Role.OCCUPATIONAL_THERAPIST:
        raise PermissionDenied
    form = AssessmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.participant = participant
        form.instance.assessor = user
        form.instance.unit = participant.unit
        if _save_once(request, form):
            messages.success(request, _("Bedömningen är sparad."))
        return redirect("participants:detail", pk=participant.pk)
    return render(
        request, "participants/assessment_form.html", {"form": form, "participant": participant}
    )


def _save_once(request: HttpRequest, form: ModelForm) -> bool:
    """Save, or tell the user it was already saved (a double submit); never twice."""
    try:
        with transaction.atomic():
            form.save()
    except IntegrityError:
        messages.info(request, _("Det var redan sparat; inget sparades två gånger."))
        return False
    return True


def _add_to_participant(
    request: HttpRequest, pk: int, form_class: type[ModelForm], title: str, done: str
) -> HttpResponse:
    """A small record that belongs to a person (relative, housing support): form and save."""
    participant = get_participant_for_user(request, pk)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.participant = participant
        form.instance.created_by = user_of(request)
        if _save_once(request, form):
            messages.success(request, done)
        return redirect("participants:detail", pk=participant.pk)
    context = {"form": form, "participant": participant, "title": title}
    return render(request, "participants/small_form.html", context)


@login_required
def relative_create(request: HttpRequest, pk: int) -> HttpResponse:
    return _add_to_participant(
        request, pk, RelativeForm, _("Lägg till närstående eller företrädare"), _("Sparat.")
    )


@login_required
def housing_support_create(request: HttpRequest, pk: int) -> HttpResponse:
    """R19: boendestöd recorded at start and at leaving, to follow how it changes."""
    return _add_to_participant(
        request, pk, HousingSupportForm, _("Registrera boendestöd"), _("Boendestödet är sparat.")
    )
