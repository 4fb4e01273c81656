"""Staff pages for outreach and the governed collaboration with boendestöd (R4, R8)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotsen.access import units_of, user_of
from participants.models import Participant
from referrals.access import (
    get_action_for_user,
    get_housing_support_unit_for_user,
    get_meeting_for_user,
    get_outreach_for_user,
)
from referrals.forms import (
    ActionFollowUpForm,
    ActionForm,
    HousingSupportUnitForm,
    MeetingForm,
    MeetingHeldForm,
    OutreachForm,
    YearForm,
)
from referrals.models import (
    CollaborationAction,
    CollaborationMeeting,
    HousingSupportUnit,
    OutreachActivity,
)
from referrals.services import action_follow_up, meeting_held, outreach_record
from referrals.statistics import collaboration_figures

LIST_LENGTH = 50


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """The register of boendestöd units, coming meetings, open actions, latest outreach."""
    units = units_of(request)
    today = timezone.localdate()
    context = {
        "housing_units": HousingSupportUnit.objects.filter(unit__in=units).select_related("unit"),
        "meetings": CollaborationMeeting.objects.filter(unit__in=units, status="planned")
        .select_related("housing_support_unit")
        .order_by("planned_on")[:LIST_LENGTH],
        "actions": CollaborationAction.objects.filter(
            meeting__unit__in=units, done_on__isnull=True
        ).select_related("meeting__housing_support_unit")[:LIST_LENGTH],
        "outreach": OutreachActivity.objects.filter(unit__in=units).select_related(
            "housing_support_unit"
        )[:LIST_LENGTH],
        "today": today,
    }
    return render(request, "referrals/collaboration.html", context)


@login_required
def housing_unit_create(request: HttpRequest) -> HttpResponse:
    form = HousingSupportUnitForm(request.POST or None, units=units_of(request))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Boendestödet är registrerat."))
        return redirect("referrals:housing_unit", housing_pk=form.instance.pk)
    return render(
        request, "referrals/simple_form.html", {"form": form, "title": _("Nytt boendestöd")}
    )


@login_required
def housing_unit_detail(request: HttpRequest, housing_pk: int) -> HttpResponse:
    housing_unit = get_housing_support_unit_for_user(request, housing_pk)
    form = HousingSupportUnitForm(
        request.POST or None, instance=housing_unit, units=units_of(request)
    )
    if request.method == "POST" and form.is_valid() and form.save_unless_changed():
        messages.success(request, _("Sparat."))
        return redirect("referrals:housing_unit", housing_pk=housing_unit.pk)
    context = {
        "housing_unit": housing_unit,
        "form": form,
        "outreach": housing_unit.outreach.all()[:LIST_LENGTH],
        "meetings": housing_unit.meetings.prefetch_related("actions")[:LIST_LENGTH],
        "today": timezone.localdate(),
    }
    return render(request, "referrals/housing_unit.html", context)


@login_required
def outreach_create(request: HttpRequest) -> HttpResponse:
    units = units_of(request)
    visible = Participant.objects.visible_to(user_of(request))
    form = OutreachForm(request.POST or None, units=units, visible=visible)
    if request.method == "POST" and form.is_valid():
        activity = outreach_record(
            by=user_of(request),
            participants=form.cleaned_data.pop("participants"),
            **form.cleaned_data,
        )
        messages.success(request, _("Aktiviteten är registrerad."))
        return redirect("referrals:outreach", outreach_pk=activity.pk)
    return render(
        request,
        "referrals/simple_form.html",
        {"form": form, "title": _("Registrera uppsökande aktivitet")},
    )


@login_required
def outreach_detail(request: HttpRequest, outreach_pk: int) -> HttpResponse:
    activity = get_outreach_for_user(request, outreach_pk)
    visible = Participant.objects.visible_to(user_of(request))
    people = activity.participants.all()
    context = {
        "activity": activity,
        "people": people.filter(pk__in=visible.values("pk")),
        "hidden_people": people.exclude(pk__in=visible.values("pk")).count(),
        "referrals": activity.referrals.visible_to(user_of(request)),  # type: ignore[attr-defined]
    }
    return render(request, "referrals/outreach.html", context)


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    form = MeetingForm(request.POST or None, units=units_of(request))
    if request.method == "POST" and form.is_valid():
        form.instance.created_by = user_of(request)
        meeting = form.save()
        messages.success(request, _("Mötet är planerat."))
        return redirect("referrals:meeting", meeting_pk=meeting.pk)
    return render(
        request, "referrals/simple_form.html", {"form": form, "title": _("Planera samverkansmöte")}
    )


def _render_meeting(
    request: HttpRequest, meeting: CollaborationMeeting, status: int = 200, **forms: object
) -> HttpResponse:
    context = {
        "meeting": meeting,
        "staff": meeting.staff_attendees.all(),
        "actions": meeting.actions.prefetch_related("follow_ups__created_by"),
        "held_form": forms.get("held_form")
        or MeetingHeldForm(
            meeting=meeting,
            initial={
                "staff_attendees": meeting.staff_attendees.all(),
                "other_attendees": meeting.other_attendees,
            },
        ),
        "action_form": forms.get("action_form") or ActionForm(),
        "follow_up_form": ActionFollowUpForm(initial={"done_on": timezone.localdate()}),
        "today": timezone.localdate(),
    }
    return render(request, "referrals/meeting.html", context, status=status)


@login_required
def meeting_detail(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    return _render_meeting(request, get_meeting_for_user(request, meeting_pk))


@login_required
@require_POST
def meeting_record_held(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, meeting_pk)
    form = MeetingHeldForm(request.POST, meeting=meeting)
    if form.is_valid():
        try:
            meeting_held(meeting=meeting, by=user_of(request), **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Mötet är registrerat som genomfört."))
            return redirect("referrals:meeting", meeting_pk=meeting.pk)
    return _render_meeting(request, meeting, status=400, held_form=form)


@login_required
@require_POST
def action_create(request: HttpRequest, meeting_pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, meeting_pk)
    form = ActionForm(request.POST)
    if form.is_valid():
        form.instance.meeting = meeting
        form.instance.created_by = user_of(request)
        form.save()
        messages.success(request, _("Åtgärden är sparad."))
        return redirect("referrals:meeting", meeting_pk=meeting.pk)
    return _render_meeting(request, meeting, status=400, action_form=form)


@login_required
@require_POST
def action_follow_up_view(request: HttpRequest, action_pk: int) -> HttpResponse:
    action = get_action_for_user(request, action_pk)
    form = ActionFollowUpForm(request.POST)
    if form.is_valid():
        try:
            action_follow_up(
                action=action,
                done_on=form.cleaned_data["done_on"],
                note=form.cleaned_data["note"],
                by=user_of(request),
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Uppföljningen är sparad."))
    else:
        for field_errors in form.errors.values():
            for text in field_errors:
                messages.error(request, str(text))
    return redirect("referrals:meeting", meeting_pk=action.meeting_id)


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    """R4/R19: per unit and year, participants with boendestöd and who came via outreach."""
    units = units_of(request)
    form = YearForm(request.GET or None, units=units)
    today = timezone.localdate()
    data = form.cleaned_data if form.is_valid() else {}
    year = data.get("year") or today.year
    chosen = [data["unit"]] if data.get("unit") else list(units)
    rows = [collaboration_figures(unit=u, year=year, today=today) for u in chosen]
    return render(request, "referrals/figures.html", {"form": form, "rows": rows, "year": year})
