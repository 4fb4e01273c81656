from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotsen.forms import StaffChoiceField
from lotsen.models import Programme, User
from participants.forms import DateInput, limit_choices, not_in_future
from participants.models import Enrolment
from participants.models.plan_status import PlanStatus
from plans.models import (
    ACTIVITY_FIELDS,
    FollowUp,
    GoalProgressInput,
    Method,
    Plan,
    PlanActivity,
    Progress,
)


def _not_before_start(day: datetime.date, place: Enrolment) -> datetime.date:
    """A plan is for a running place: dated before it began, it would be overdue from the
    start and its first follow-up would be reckoned from a day the place did not exist."""
    if day < place.start_date:
        raise forms.ValidationError(
            _("Datumet ligger före platsens start (%(date)s). Välj %(date)s eller senare.")
            % {"date": place.start_date.isoformat()}
        )
    return day


PLAN_TEXT_FIELDS = ["goals", "methods", "participation", "collaboration", "summary"]
PLAN_WIDGETS = {
    "established_on": DateInput(),
    "goals": forms.Textarea(attrs={"rows": 3}),
    "methods": forms.CheckboxSelectMultiple(),
    "participation": forms.Textarea(attrs={"rows": 3}),
    "collaboration": forms.Textarea(attrs={"rows": 2}),
    "summary": forms.Textarea(attrs={"rows": 3}),
}


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["established_on", *PLAN_TEXT_FIELDS]
        widgets = PLAN_WIDGETS

    def __init__(self, *args: Any, enrolment: Enrolment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.enrolment = enrolment
        self.fields["established_on"].initial = timezone.localdate()
        limit_choices(self, "methods", Method.objects.filter(active=True))

    def clean_established_on(self) -> datetime.date:
        day = not_in_future(self.cleaned_data["established_on"])
        return _not_before_start(day, self.enrolment)


class PlanEditForm(forms.ModelForm):
    """Change the plan's text, or renew it (R14); `revision` catches concurrent saves."""

    revision = forms.IntegerField(widget=forms.HiddenInput())
    renew_on = forms.DateField(
        label=_("Förnya planen från"),
        required=False,
        widget=DateInput(),
        help_text=_("Fyll i vid förnyelse: planen upprättas på nytt det datumet."),
    )

    class Meta:
        model = Plan
        fields = PLAN_TEXT_FIELDS
        widgets = PLAN_WIDGETS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "methods", Method.objects.filter(active=True))
        self.fields["revision"].initial = self.instance.revision

    def clean_renew_on(self) -> datetime.date | None:
        day = self.cleaned_data.get("renew_on")
        if day is not None:
            not_in_future(day)
            if day < self.instance.established_on:
                raise forms.ValidationError(_("Förnyelsen kan inte vara före planens datum."))
            # A plan dated before its place (saved before this was checked) is corrected
            # by renewing it from a day the place ran.
            _not_before_start(day, self.instance.enrolment)
        return day


class ActivityForm(forms.ModelForm):
    """One activity row of a plan: its own goal, what, who is responsible, when and how.

    A plain form in a plain formset: `id` names the row it changes, if any; the service
    matches rows to the plan, so a row someone else removed meanwhile becomes a new row."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput())

    class Meta:
        model = PlanActivity
        fields = list(ACTIVITY_FIELDS)
        widgets = {
            "goal": forms.Textarea(attrs={"rows": 2}),
            "activity": forms.Textarea(attrs={"rows": 2}),
            "how": forms.Textarea(attrs={"rows": 2}),
        }


class BaseActivityFormSet(forms.BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        form.fields["DELETE"].label = _("Ta bort aktiviteten ur planen")

    def rows(self) -> list[dict[str, Any]]:
        """The activities to keep, in order, each with the row's id when it existed."""
        kept = []
        for index, form in enumerate(self.forms):
            if index >= self.initial_form_count() and not form.has_changed():
                continue  # a spare empty row
            if form.cleaned_data.get("DELETE"):
                continue
            kept.append({name: form.cleaned_data[name] for name in ("id", *ACTIVITY_FIELDS)})
        return kept

    def clean(self) -> None:
        super().clean()
        if not any(self.errors) and not self.rows():
            raise forms.ValidationError(
                _("Planen behöver minst en aktivitet med delmål, ansvarig och när.")
            )


MAX_ACTIVITIES = 40


def activity_formset(
    data: Any = None, *, instance: Plan | None = None, extra: int = 2
) -> BaseActivityFormSet:
    """The plan's rows (none for a new plan) and `extra` spare empty rows."""
    initial = (
        []
        if instance is None
        else [{"id": activity.pk, **activity.as_row()} for activity in instance.activities.all()]
    )
    # A posted TOTAL_FORMS of 10^20 builds at most absolute_max rows, and more than
    # max_num is an error on the page rather than a long request.
    formset_class = forms.formset_factory(
        ActivityForm,
        formset=BaseActivityFormSet,
        extra=extra,
        can_delete=True,
        max_num=MAX_ACTIVITIES,
        absolute_max=MAX_ACTIVITIES,
        validate_max=True,
    )
    formset = cast(BaseActivityFormSet, formset_class(data, initial=initial, prefix="activities"))
    for number, form in enumerate(formset.forms, start=1):
        # Each row is a fieldset; its legend names the row for screen readers.
        form.number = number  # type: ignore[attr-defined]
    return formset


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["date", "attendees", "progress", "next_steps"]
        widgets = {
            "date": DateInput(),
            "progress": forms.Textarea(attrs={"rows": 3}),
            "next_steps": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.fields["date"].initial = timezone.localdate()

    def clean_date(self) -> datetime.date:
        day = not_in_future(self.cleaned_data["date"])
        if day < self.plan.established_on:
            raise forms.ValidationError(
                _("Uppföljningen kan inte vara före planens datum (%(date)s).")
                % {"date": self.plan.established_on.isoformat()}
            )
        if self.plan.follow_ups.filter(date=day).exists():
            raise forms.ValidationError(
                _("Det finns redan en uppföljning detta datum. Den sparades inte två gånger.")
            )
        return day


class GoalProgressForm(forms.Form):
    """Progress on one goal at a follow-up (R13)."""

    status = forms.ChoiceField(
        label=_("Utveckling"), choices=[("", "---------"), *Progress.choices]
    )
    comment = forms.CharField(
        label=_("Kommentar"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, goal: str, activity: PlanActivity | None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.goal = goal
        self.activity = activity

    def as_input(self) -> GoalProgressInput:
        return {
            "activity": self.activity,
            "goal": self.goal,
            "status": self.cleaned_data["status"],
            "comment": self.cleaned_data["comment"],
        }


def goal_forms(plan: Plan, data: Any = None) -> list[GoalProgressForm]:
    """One form for the overall goals and one per activity's goal."""
    goals: list[tuple[str, PlanActivity | None]] = [(plan.goals, None)]
    goals += [(activity.goal, activity) for activity in plan.activities.all()]
    return [
        GoalProgressForm(data, goal=text, activity=activity, prefix=f"goal-{index}")
        for index, (text, activity) in enumerate(goals)
    ]


class UnitPlansFilterForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Program"), queryset=Programme.objects.none(), required=False
    )
    contact_person = StaffChoiceField(
        label=_("Kontaktman"), queryset=User.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Alla")),
            *((status.value, status.label) for status in PlanStatus if status != PlanStatus.NONE),
        ],
    )

    def __init__(
        self, *args: Any, programmes: QuerySet[Programme], staff: QuerySet[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "programme", programmes)
        limit_choices(self, "contact_person", staff)
