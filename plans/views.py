from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lotsen.access import contact_persons, units_of, user_of
from lotsen.models import Programme
from lotsen.pdf import render_pdf
from lotsen.together import prefetched, prefetched_each, read_together
from participants.access import get_enrolment_for_user
from plans.access import get_plan_for_user
from plans.forms import (
    PLAN_TEXT_FIELDS,
    FollowUpForm,
    GoalProgressForm,
    PlanEditForm,
    PlanForm,
    UnitPlansFilterForm,
    activity_formset,
    goal_forms,
)
from plans.models import GoalProgress, Plan, PlanVersion
from plans.services import PlanConflict, plan_create, plan_places, plan_update


@login_required
def plan_create_view(request: HttpRequest, enrolment_pk: int) -> HttpResponse:
    enrolment = get_enrolment_for_user(request, enrolment_pk)
    existing = Plan.objects.filter(enrolment=enrolment).first()
    if existing is not None:
        messages.info(request, _("Platsen har redan en plan."))
        return redirect("plans:detail", pk=existing.pk)
    form = PlanForm(request.POST or None, enrolment=enrolment)
    activities = activity_formset(request.POST or None, extra=3)
    if request.method == "POST" and form.is_valid() and activities.is_valid():
        try:
            with transaction.atomic():
                plan = plan_create(
                    enrolment=enrolment,
                    by=user_of(request),
                    activities=activities.rows(),
                    **form.cleaned_data,
                )
        except IntegrityError:
            # A double submit: the first request saved the plan.
            messages.info(request, _("Platsen har redan en plan."))
            return redirect("plans:detail", pk=Plan.objects.get(enrolment=enrolment).pk)
        messages.success(request, _("Planen är sparad."))
        return redirect("plans:detail", pk=plan.pk)
    context = {"form": form, "activities": activities, "enrolment": enrolment}
    return render(request, "plans/form.html", context)


def _render_plan(
    request: HttpRequest,
    plan: Plan,
    form: FollowUpForm,
    goals: list[GoalProgressForm],
    status: int = 200,
) -> HttpResponse:
    context = {
        "plan": plan,
        "activities": plan.activities.all(),
        "follow_ups": plan.follow_ups.all(),
        "versions": plan.versions.all(),
        "methods": plan.methods.all(),
        "form": form,
        "goals": goals,
        "goals_invalid": any(goal.is_bound and goal.errors for goal in goals),
        "plan_status": plan.enrolment.plan_status(timezone.localdate()),
    }
    return render(request, "plans/detail.html", context, status=status)


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _with_history(get_plan_for_user(request, pk))
    return _render_plan(request, plan, FollowUpForm(plan=plan), goal_forms(plan))


def _with_history(plan: Plan) -> Plan:
    """The plan's activities, methods, earlier versions and follow-ups with their goals,
    read in one query and kept on the plan for the page and its forms."""
    lists = read_together(
        activities=plan.activities.all(),
        methods=plan.methods.all(),
        versions=plan.versions.select_related("replaced_by"),
        follow_ups=plan.follow_ups.select_related("created_by"),
        goals=GoalProgress.objects.filter(follow_up__plan=plan),
    )
    prefetched_each(lists["follow_ups"], "goals", lists["goals"], key="follow_up_id")
    for relation in ("activities", "methods", "versions", "follow_ups"):
        prefetched(plan, relation, lists[relation])
    return plan


@login_required
@require_POST
def follow_up_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk)
    form = FollowUpForm(request.POST, plan=plan)
    goals = goal_forms(plan, request.POST)
    if all([form.is_valid(), *(goal.is_valid() for goal in goals)]):
        try:
            with transaction.atomic():
                plan.record_follow_up(
                    by=user_of(request),
                    on=form.cleaned_data["date"],
                    attendees=form.cleaned_data["attendees"],
                    progress=form.cleaned_data["progress"],
                    next_steps=form.cleaned_data["next_steps"],
                    goals=[goal.as_input() for goal in goals],
                )
        except IntegrityError:
            messages.info(request, _("Uppföljningen var redan sparad."))
        else:
            messages.success(request, _("Uppföljningen är sparad. Nästa uppföljning är flyttad."))
        return redirect("plans:detail", pk=plan.pk)
    return _render_plan(request, _with_history(plan), form, goals, status=400)


@login_required
def unit_plans(request: HttpRequest) -> HttpResponse:
    """For the unit manager: every plan of the unit with its status (R13), filterable."""
    if not user_of(request).is_manager:
        raise PermissionDenied
    units = units_of(request)
    today = timezone.localdate()
    form = UnitPlansFilterForm(
        request.GET or None,
        programmes=Programme.objects.filter(unit__in=units, follow_up_interval__isnull=False),
        staff=contact_persons(units, with_current=True),
    )
    places = plan_places(
        units=units, today=today, filters=form.cleaned_data if form.is_valid() else {}
    )
    page = Paginator(places, 50).get_page(request.GET.get("page"))
    rows = [(place, place.plan_status(today)) for place in page]
    context = {"form": form, "page": page, "rows": rows, "today": today}
    return render(request, "plans/unit_plans.html", context)


@login_required
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan as a PDF to hand to the person (R14: summarised in writing)."""
    plan = get_plan_for_user(request, pk)
    html = render_to_string(
        "plans/plan_pdf.html",
        {
            "plan": plan,
            "activities": plan.activities.all(),
            "follow_ups": plan.follow_ups.select_related("created_by").prefetch_related("goals"),
        },
    )
    pdf = render_pdf(html, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    # The file name carries no personal data: it ends up in download folders and logs.
    response["Content-Disposition"] = f'attachment; filename="plan-{plan.pk}.pdf"'
    return response


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A new version of the plan (or its renewal); a concurrent save shows both versions."""
    plan = get_plan_for_user(request, pk)
    form = PlanEditForm(request.POST or None, instance=plan)
    activities = activity_formset(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid() and activities.is_valid():
        data = {name: form.cleaned_data[name] for name in PLAN_TEXT_FIELDS}
        try:
            plan_update(
                plan=plan,
                expected_revision=form.cleaned_data["revision"],
                fields=data,
                by=user_of(request),
                renew_on=form.cleaned_data["renew_on"],
                activities=activities.rows(),
            )
        except PlanConflict as conflict:
            return _conflict(request, conflict.current)
        messages.success(request, _("Planen är sparad. Den tidigare versionen finns kvar."))
        return redirect("plans:detail", pk=plan.pk)
    context = {"plan": plan, "form": form, "activities": activities, "conflict": False}
    return render(request, "plans/edit.html", context)


def _conflict(request: HttpRequest, current: Plan) -> HttpResponse:
    """Nothing is lost: the other save stands and is shown; this user's text stays in the
    form, on top of the saved revision, to compare, merge and save again."""
    posted = request.POST.copy()
    posted["revision"] = str(current.revision)
    context = {
        "plan": current,
        "saved_activities": current.activities.all(),
        "form": PlanEditForm(posted, instance=current),
        "activities": activity_formset(posted, instance=current),
        "conflict": True,
    }
    return render(request, "plans/edit.html", context, status=409)


@login_required
def plan_version(request: HttpRequest, pk: int, revision: int) -> HttpResponse:
    plan = get_plan_for_user(request, pk)
    version = get_object_or_404(PlanVersion, plan=plan, revision=revision)
    return render(request, "plans/version.html", {"plan": plan, "version": version})
