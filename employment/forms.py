from __future__ import annotations

import datetime
import secrets
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from employment.models import (
    TRANSITIONS,
    Case,
    CaseOutcome,
    ContactKind,
    Employer,
    EmploymentProgramme,
    JobKind,
    Step,
)
from lotsen.access import working_staff
from lotsen.forms import DecimalCommaField, StaffChoiceField
from lotsen.models import Unit, User
from participants.forms import DateInput, limit_choices

StrOrPromise = str | Promise


def _helper(label: StrOrPromise, method: str = "post") -> FormHelper:
    helper = FormHelper()
    helper.form_method = method
    helper.add_input(Submit("save", label))
    return helper


class CaseOpenForm(forms.Form):
    specialist = StaffChoiceField(label=_("Arbetsspecialist"), queryset=User.objects.none())
    intake_on = forms.DateField(label=_("Inskrivning"), widget=DateInput())

    def __init__(self, *args: Any, programme: EmploymentProgramme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "specialist", _specialists(programme))
        self.fields["intake_on"].initial = timezone.localdate()
        self.helper = _helper(_("Öppna ärende"))


def _specialists(programme: EmploymentProgramme) -> QuerySet[User]:
    """Deliberately narrower than the unit's working staff: only the programme's active
    employment specialists, and of them only those who can still do the work."""
    unit = Unit.objects.filter(programmes__employment=programme)
    return working_staff(unit).filter(
        employment_specialist__programme=programme, employment_specialist__active=True
    )


class ReassignForm(forms.Form):
    specialist = StaffChoiceField(label=_("Ny arbetsspecialist"), queryset=User.objects.none())
    revision = forms.IntegerField(widget=forms.HiddenInput())

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self, "specialist", _specialists(case.programme).exclude(pk=case.specialist_id)
        )
        self.fields["revision"].initial = case.revision
        self.helper = _helper(_("Byt arbetsspecialist"))


class StepForm(forms.Form):
    to = forms.ChoiceField(
        label=_("Nästa steg"),
        # Never the stored value of a step in the message (it is an internal code).
        error_messages={"invalid_choice": _("Välj ett av stegen i listan.")},
    )
    on = forms.DateField(label=_("Datum"), widget=DateInput())
    note = forms.CharField(
        label=_("Anteckning"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    revision = forms.IntegerField(widget=forms.HiddenInput())

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        steps = [s for s in TRANSITIONS[case.step] if s != Step.ENDED]
        self.fields["to"].choices = [(s, Step(s).label) for s in steps]  # type: ignore[attr-defined]
        self.fields["on"].initial = timezone.localdate()
        self.fields["revision"].initial = case.revision
        self.helper = _helper(_("Spara steget"))


class EndForm(forms.Form):
    # No outcome chosen until someone picks one: a preselected "arbete" would count a job
    # that never was (R11, R21).
    outcome = forms.ChoiceField(
        label=_("Vad ledde ärendet till?"),
        choices=[("", "---------"), *CaseOutcome.choices],
        error_messages={"required": _("Välj vad ärendet ledde till.")},
    )
    on = forms.DateField(label=_("Avslutat"), widget=DateInput())
    note = forms.CharField(
        label=_("Kommentar"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    revision = forms.IntegerField(widget=forms.HiddenInput())

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        self.fields["revision"].initial = case.revision
        self.helper = _helper(_("Avsluta ärendet"))


class JobStartForm(forms.Form):
    kind = forms.ChoiceField(label=_("Typ"), choices=JobKind.choices)
    employer = forms.ModelChoiceField(
        label=_("Arbetsgivare eller skola"), queryset=Employer.objects.none(), required=False
    )
    start_date = forms.DateField(label=_("Startdatum"), widget=DateInput())
    hours_per_week = DecimalCommaField(
        label=_("Timmar per vecka"),
        required=False,
        max_digits=4,
        decimal_places=1,
        min_value=0,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": _("t.ex. 20,5")}),
    )
    end_date = forms.DateField(
        label=_("Slutdatum, om det redan slutat"), widget=DateInput(), required=False
    )
    revision = forms.IntegerField(widget=forms.HiddenInput())
    submission_key = forms.CharField(widget=forms.HiddenInput(), required=False)

    def __init__(
        self, *args: Any, case: Case, employers: QuerySet[Employer], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "employer", employers.filter(active=True))
        self.fields["revision"].initial = case.revision
        self.fields["submission_key"].initial = secrets.token_urlsafe(16)
        self.helper = _helper(_("Registrera start"))


class JobEndForm(forms.Form):
    end_date = forms.DateField(label=_("Slutdatum"), widget=DateInput())
    reason = forms.CharField(label=_("Varför det slutade"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Registrera slut"))


class EmployerForm(forms.ModelForm):
    class Meta:
        model = Employer
        fields = [
            "name",
            "organisation_number",
            "industry",
            "contact_name",
            "phone",
            "email",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Lägg till arbetsgivare"))


class ContactForm(forms.Form):
    employer = forms.ModelChoiceField(label=_("Arbetsgivare"), queryset=Employer.objects.none())
    on = forms.DateField(label=_("Datum"), widget=DateInput())
    kind = forms.ChoiceField(label=_("Typ av kontakt"), choices=ContactKind.choices)
    case = forms.ModelChoiceField(
        label=_("För vilket ärende"),
        queryset=Case.objects.none(),
        required=False,
        empty_label=_("Jobbutveckling i allmänhet"),
    )
    note = forms.CharField(
        label=_("Anteckning"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    submission_key = forms.CharField(widget=forms.HiddenInput())

    def __init__(
        self, *args: Any, employers: QuerySet[Employer], cases: QuerySet[Case], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "employer", employers.filter(active=True))
        limit_choices(
            self,
            "case",
            cases.filter(ended_on__isnull=True).select_related("enrolment__participant"),
        )
        self.fields["case"].label_from_instance = lambda c: c.enrolment.participant.full_name  # type: ignore[attr-defined]
        self.fields["on"].initial = timezone.localdate()
        self.helper = _helper(_("Spara kontakten"))


class PeriodForm(forms.Form):
    """A month, the year to date up to a month, or any date range (a funding period)."""

    programme = forms.ModelChoiceField(
        label=_("Program"), queryset=EmploymentProgramme.objects.none(), required=False
    )
    start = forms.DateField(label=_("Från"), widget=DateInput())
    end = forms.DateField(label=_("Till och med"), widget=DateInput())

    def __init__(
        self, *args: Any, programmes: QuerySet[EmploymentProgramme], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "programme", programmes)
        self.fields["programme"].initial = programmes.first()
        self.helper = _helper(_("Visa"), method="get")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("Slutdatumet ligger före startdatumet. Rätta datumen."))
        if start and end and (end - start) > datetime.timedelta(days=3 * 366):
            self.add_error("end", _("Välj en period på högst tre år."))
        return data
