from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotsen.forms import StaffChoiceField
from lotsen.models import Unit, User
from participants.forms import PersonChoiceField, limit_choices
from participants.models import Participant
from reporting.indicators import indicators_for
from reporting.models import Goal


class AnnualReportForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Enhet"), queryset=Unit.objects.none())

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        limit_choices(self, "unit", units)
        self.fields["unit"].initial = units.first()
        self.fields["year"] = forms.IntegerField(
            label=_("År"), min_value=2000, max_value=this_year, initial=this_year
        )
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.add_input(Submit("open", _("Öppna rapporten")))


class ReportTextForm(forms.Form):
    introduction = forms.CharField(
        label=_("Inledning"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    quality_work = forms.CharField(
        label=_("Årets kvalitetsarbete"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    analysis = forms.CharField(
        label=_("Analys"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    next_focus = forms.CharField(
        label=_("Fokus nästa år"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["title", "indicator", "target", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "indicator": _("Utfallet räknas fram ur registret för året och de två åren före."),
        }

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offered = {"", *indicators_for(unit)}
        field = self.fields["indicator"]
        field.choices = [c for c in field.choices if c[0] in offered]  # type: ignore[attr-defined]
        field.error_messages["invalid_choice"] = _(
            "Indikatorn hör inte till enhetens verksamhet. Välj en av indikatorerna i listan."
        )
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Spara effektmålet")))


class SentForm(forms.Form):
    sent_on = forms.DateField(
        label=_("Skickad till beställaren den"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_sent_on(self) -> Any:
        day = self.cleaned_data["sent_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(
                _("Datumet ligger i framtiden. Ange dagen då den skickades.")
            )
        return day


class RecordLogForm(forms.Form):
    """Filters for the record log; the person is chosen by name, never by identity number
    in the URL (only the record's number travels)."""

    person = PersonChoiceField(
        label=_("Person"), queryset=Participant.objects.none(), required=False
    )
    staff = StaffChoiceField(  # named as the log's rows name them (reporting/record_log.html)
        label=_("Personal"), queryset=User.objects.none(), required=False
    )
    start = forms.DateField(label=_("Från och med"), required=False)
    end = forms.DateField(label=_("Till och med"), required=False)

    def __init__(
        self, *args: Any, people: QuerySet[Participant], staff: QuerySet[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "person", people)
        limit_choices(self, "staff", staff)
        self.fields["start"].widget = forms.DateInput(attrs={"type": "date"})
        self.fields["end"].widget = forms.DateInput(attrs={"type": "date"})
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.add_input(Submit("show", _("Visa")))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            message = _("Slutdatumet ligger före startdatumet. Välj ett senare slutdatum.")
            self.add_error("end", message)
        return data
