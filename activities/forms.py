"""Forms for the attendance sheet, the opening calendar and group activities."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from activities.models import Activity, ClosureDay, ExtraOpening, Weekday
from lotsen.forms import DecimalCommaField, StaffMultipleChoiceField
from lotsen.input import MAX_ID
from lotsen.models import Programme, User
from participants.forms import DateInput, PersonChoiceField, limit_choices
from participants.models import Participant


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


class MarkForm(forms.Form):
    """One row of the attendance sheet: present (with hours for a trainee) or undone."""

    participant = forms.IntegerField(min_value=1, max_value=MAX_ID)
    programme = forms.IntegerField(min_value=1, max_value=MAX_ID)
    hours = DecimalCommaField(label=_("Timmar"), required=False, max_digits=4, decimal_places=2)
    action = forms.ChoiceField(
        choices=[("present", "present"), ("absent", "absent")], required=False
    )


class SheetSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Sök person som kom utan att väntas"),
        max_length=80,
        required=False,
        # crispy's classes: the sheet draws the field itself (_field.html).
        widget=forms.TextInput(attrs={"class": "textinput form-control"}),
    )


class AnonymousForm(forms.Form):
    programme = forms.IntegerField()
    delta = forms.TypedChoiceField(choices=[("1", "+1"), ("-1", "-1")], coerce=int)
    token = forms.UUIDField()


class ClosureDayForm(forms.ModelForm):
    class Meta:
        model = ClosureDay
        fields = ["date", "reason"]
        widgets = {"date": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


class ExtraOpeningForm(forms.ModelForm):
    class Meta:
        model = ExtraOpening
        fields = ["date", "opens", "closes", "note"]
        widgets = {"date": DateInput(), "opens": TimeInput(), "closes": TimeInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens"), data.get("closes")
        if opens and closes and closes <= opens:
            self.add_error(
                "closes", _("Stängningstiden ligger före öppningstiden. Välj en senare tid.")
            )
        return data


class ActivityForm(forms.ModelForm):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Veckodagar"),
        choices=Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("För en serie, t.ex. tisdag och torsdag. Tomt för ett enstaka tillfälle."),
    )

    class Meta:
        model = Activity
        fields = [
            "kind",
            "title",
            "programme",
            "place",
            "leaders",
            "weekdays",
            "first_date",
            "last_date",
            "starts_at",
            "ends_at",
            "max_participants",
            "is_public",
            "description",
        ]
        widgets = {
            "first_date": DateInput(),
            "last_date": DateInput(),
            "starts_at": TimeInput(),
            "ends_at": TimeInput(),
            "leaders": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"leaders": StaffMultipleChoiceField}

    def __init__(
        self, *args: Any, programmes: QuerySet[Programme], staff: QuerySet[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "programme", programmes)
        limit_choices(self, "leaders", staff)
        self.fields["last_date"].required = False
        self.fields["last_date"].help_text = _("Tomt för ett enstaka tillfälle.")
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Spara aktiviteten")))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("last_date") and data.get("first_date"):
            data["last_date"] = data["first_date"]
        return data


class SessionMoveForm(forms.Form):
    date = forms.DateField(label=_("Nytt datum"), widget=DateInput())
    starts_at = forms.TimeField(label=_("Börjar"), widget=TimeInput())
    ends_at = forms.TimeField(label=_("Slutar"), widget=TimeInput())
    place = forms.CharField(label=_("Plats"), max_length=120, required=False)


class SessionCancelForm(forms.Form):
    reason = forms.CharField(label=_("Anledning till att tillfället ställs in"), max_length=200)


class PersonChoiceForm(forms.Form):
    participant = PersonChoiceField(label=_("Person"), queryset=Participant.objects.none())

    def __init__(self, *args: Any, people: QuerySet[Participant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "participant", people)


class CorrectionForm(forms.Form):
    """A past day's mark corrected: new hours, or removed; the reason is required (L1)."""

    hours = forms.DecimalField(
        label=_("Rätt antal timmar"),
        required=False,
        max_digits=4,
        decimal_places=2,
        localize=True,
        min_value=Decimal("0.25"),
        max_value=Decimal(24),
    )
    remove = forms.BooleanField(label=_("Personen var inte här: ta bort närvaron"), required=False)
    reason = forms.CharField(
        label=_("Skäl till rättelsen"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Syns för alla som läser närvaron, tillsammans med den gamla markeringen."),
    )

    def __init__(self, *args: Any, with_hours: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_hours:
            del self.fields["hours"]
            del self.fields["remove"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        missing = not data.get("remove") and data.get("hours") is None
        if "remove" in self.fields and missing and not self.has_error("hours"):
            self.add_error("hours", _("Ange rätt antal timmar, eller kryssa i ta bort."))
        return data
