from __future__ import annotations

import datetime
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotsen.models import Programme, User
from participants.forms import DateInput, limit_choices
from plans.models import FollowUp, Method, Plan


def _not_in_future(day: datetime.date) -> datetime.date:
    if day > timezone.localdate():
        raise forms.ValidationError(
            _("Datumet ligger i framtiden. Välj dagens datum eller tidigare.")
        )
    return day


PLAN_TEXT_FIELDS = ["goals", "activities", "methods", "participation", "collaboration", "summary"]
PLAN_WIDGETS = {
    "established_on": DateInput(),
    "goals": forms.Textarea(attrs={"rows": 3}),
    "activities": forms.Textarea(attrs={"rows": 4}),
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["established_on"].initial = timezone.localdate()
        limit_choices(self, "methods", Method.objects.filter(active=True))
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Spara plan")))


class PlanEditForm(forms.ModelForm):
    """Change the plan's text, or renew it (R14); `revision` catches concurrent saves."""

    revision = forms.IntegerField(widget=forms.HiddenInput())
    renew_on = forms.DateField(
        label=_("Förnya planen från"),
        required=False,
        widget=DateInput(),
        help_text=_("Fyll i vid förnyelse (R14): planen upprättas på nytt det datumet."),
    )

    class Meta:
        model = Plan
        fields = PLAN_TEXT_FIELDS
        widgets = PLAN_WIDGETS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "methods", Method.objects.filter(active=True))
        self.fields["revision"].initial = self.instance.revision
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Spara ny version")))

    def clean_renew_on(self) -> datetime.date | None:
        day = self.cleaned_data.get("renew_on")
        if day is not None:
            _not_in_future(day)
            if day < self.instance.established_on:
                raise forms.ValidationError(_("Förnyelsen kan inte vara före planens datum."))
        return day

    def clean_established_on(self) -> datetime.date:
        return _not_in_future(self.cleaned_data["established_on"])


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["date", "progress", "next_steps"]
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
        day = _not_in_future(self.cleaned_data["date"])
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


class UnitPlansFilterForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Program"), queryset=Programme.objects.none(), required=False
    )
    contact_person = forms.ModelChoiceField(
        label=_("Kontaktman"), queryset=User.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Alla")),
            ("overdue", _("Försenad")),
            ("due_soon", _("Snart")),
            ("on_time", _("I tid")),
            ("missing", _("Plan saknas")),
        ],
    )

    def __init__(
        self, *args: Any, programmes: QuerySet[Programme], staff: QuerySet[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "programme", programmes)
        limit_choices(self, "contact_person", staff)
