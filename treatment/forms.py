from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from activities.models import Weekday
from lotsen.forms import StaffChoiceField, StaffMultipleChoiceField
from lotsen.models import Programme, User
from participants.forms import PersonChoiceField
from participants.models import Participant
from treatment.models import (
    CourseOutcome,
    EarlyEndReason,
    IndividualKind,
    Measure,
    MeasureKind,
    Stage,
)

DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time"})


class CourseForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Behandling"), queryset=Programme.objects.none())
    name = forms.CharField(label=_("Namn på gruppen"), max_length=120)
    start_date = forms.DateField(label=_("Startdatum"), widget=DATE)
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Veckodagar"),
        choices=Weekday.choices,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    starts_at = forms.TimeField(label=_("Börjar"), widget=TIME)
    ends_at = forms.TimeField(label=_("Slutar"), widget=TIME)
    place = forms.CharField(label=_("Plats"), max_length=120)
    leaders = StaffMultipleChoiceField(
        label=_("Terapeuter"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, programmes: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]
        self.fields["leaders"].queryset = staff  # type: ignore[attr-defined]


class JoinForm(forms.Form):
    participant = PersonChoiceField(
        label=_("Person"),
        queryset=Participant.objects.none(),
        error_messages={"required": _("Välj en person.")},
    )
    on = forms.DateField(
        label=_("Från"),
        widget=DATE,
        error_messages={
            "required": _("Skriv datumet då personen börjar."),
            "invalid": _("Skriv datumet som ÅÅÅÅ-MM-DD."),
        },
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = people  # type: ignore[attr-defined]


class LeaveForm(forms.Form):
    """One per person on the course page (its prefix keeps the fields' ids apart); the
    outcome starts empty, so that it is chosen, never taken as preselected."""

    outcome = forms.ChoiceField(
        label=_("Utfall"),
        choices=[("", _("— välj utfall —")), *CourseOutcome.choices],
        error_messages={"required": _("Välj hur kursen slutade för personen.")},
    )
    early_reason = forms.ChoiceField(
        label=_("Skäl om i förtid"),
        choices=[("", "—"), *EarlyEndReason.choices],
        required=False,
    )
    left_on = forms.DateField(
        label=_("Datum"),
        widget=DATE,
        error_messages={
            "required": _("Skriv datumet då personen slutade."),
            "invalid": _("Skriv datumet som ÅÅÅÅ-MM-DD."),
        },
    )
    note = forms.CharField(
        label=_("Kommentar"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    @staticmethod
    def prefix_for(membership_pk: int) -> str:
        return f"avsluta-{membership_pk}"


class MeasurementForm(forms.Form):
    stage = forms.ModelChoiceField(label=_("Mättillfälle"), queryset=Stage.objects.all())
    measured_on = forms.DateField(label=_("Datum"), widget=DATE)

    def __init__(self, *args: Any, measures: list[Measure], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.measures = measures
        for m in measures:
            if m.kind == MeasureKind.CHOICE:
                choices = [("", "—"), *m.choice_pairs]
                self.fields[m.slug] = forms.ChoiceField(
                    label=str(m), choices=choices, required=False
                )
            else:
                self.fields[m.slug] = forms.CharField(
                    label=str(m),
                    required=False,
                    widget=forms.TextInput(attrs={"inputmode": "decimal"}),
                )


class MeasurementCorrectionForm(MeasurementForm):
    """The measurement's date and values as they should be, and why (L1); the stage stays."""

    reason = forms.CharField(
        label=_("Skäl till rättelsen"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("Syns för alla som läser mätningarna, tillsammans med de gamla värdena."),
        error_messages={"required": _("Skriv varför mätningen rättas.")},
    )

    def __init__(self, *args: Any, measures: list[Measure], **kwargs: Any) -> None:
        super().__init__(*args, measures=measures, **kwargs)
        del self.fields["stage"]
        self.order_fields(["measured_on", *(m.slug for m in measures), "reason"])


class ConfirmForm(forms.Form):
    reason = forms.CharField(
        label=_("Skäl till rättelse"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # The latest version on the page (0 for none): a newer one means two corrections crossed.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class IndividualSessionForm(forms.Form):
    participant = PersonChoiceField(label=_("Person"), queryset=Participant.objects.none())
    programme = forms.ModelChoiceField(label=_("Program"), queryset=Programme.objects.none())
    kind = forms.ChoiceField(label=_("Typ av samtal"), choices=IndividualKind.choices)
    date = forms.DateField(label=_("Datum"), widget=DATE)
    starts_at = forms.TimeField(label=_("Började"), widget=TIME)
    minutes = forms.IntegerField(
        label=_("Längd i minuter"),
        min_value=1,
        error_messages={
            "invalid": _("Skriv längden som ett heltal, t.ex. 45."),
            "min_value": _("Längden ska vara minst 1 minut."),
        },
    )
    therapist = StaffChoiceField(label=_("Terapeut"), queryset=User.objects.none())

    def __init__(self, *args: Any, people: Any, programmes: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["participant"].queryset = people  # type: ignore[attr-defined]
        self.fields["programme"].queryset = programmes  # type: ignore[attr-defined]
        self.fields["therapist"].queryset = staff  # type: ignore[attr-defined]
