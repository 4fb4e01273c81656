from __future__ import annotations

import secrets
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lotsen.access import contact_persons, working_staff
from lotsen.conflicts import ConflictCheckedForm
from lotsen.forms import DecimalCommaField, StaffChoiceField, StaffMultipleChoiceField
from lotsen.models import Programme, Unit, User
from participants.forms import (
    DateInput,
    PersonChoiceField,
    add_rule_errors,
    limit_choices,
    not_in_future,
)
from participants.identity import mentions_identity_number, parse_identity
from participants.models import Participant
from participants.services import age_range
from referrals.models import (
    CollaborationAction,
    CollaborationMeeting,
    HousingSupportUnit,
    OutreachActivity,
    Referral,
    Status,
)
from referrals.services import check_outreach_rules


def new_submission_key() -> str:
    return secrets.token_urlsafe(24)


class ReferralForm(forms.ModelForm):
    """Staff record a referral received by phone, letter or in person (R2)."""

    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    # Typed with a hyphen, a space or a plus the number is longer than the 12 digits it is
    # stored as; the registration form allows as much and normalises the same way.
    identity_number = forms.CharField(
        label=_("Personnummer eller samordningsnummer"), max_length=20, required=False
    )

    class Meta:
        model = Referral
        fields = [
            "unit",
            "programme",
            "initiator",
            "referring_organisation",
            "referrer_contact",
            "housing_support_unit",
            "outreach",
            "received_on",
            "first_name",
            "last_name",
            "identity_number",
            "contact",
            "interest",
            "consent",
            "prioritised",
        ]
        widgets = {
            "received_on": DateInput(),
            "interest": forms.Textarea(attrs={"rows": 2}),
            "consent": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "unit", units)
        limit_choices(self, "programme", Programme.objects.filter(unit__in=units))
        limit_choices(
            self, "housing_support_unit", HousingSupportUnit.objects.filter(unit__in=units)
        )
        limit_choices(
            self,
            "outreach",
            OutreachActivity.objects.filter(unit__in=units).select_related("housing_support_unit"),
        )
        self.fields["unit"].initial = units.first()
        self.fields["received_on"].initial = timezone.localdate()
        self.fields["submission_key"].initial = new_submission_key()
        self.fields["identity_number"].help_text = _(
            "Om det är känt. Finns personen redan vid enheten kopplas anmälan till hen."
        )
        self.fields["identity_number"].widget.attrs["autocomplete"] = "off"
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "submission_key",
            Fieldset(
                _("Anmälan"),
                "unit",
                "programme",
                "received_on",
                "initiator",
                "referring_organisation",
                "referrer_contact",
                "housing_support_unit",
                "outreach",
            ),
            Fieldset(
                _("Personen"),
                "first_name",
                "last_name",
                "identity_number",
                "contact",
                "interest",
                "consent",
                "prioritised",
            ),
            Submit("save", _("Registrera anmälan")),
        )

    def clean_identity_number(self) -> str:
        raw = self.cleaned_data["identity_number"].strip()
        if not raw:
            return ""
        return parse_identity(raw, today=timezone.localdate()).number

    def clean_received_on(self) -> Any:
        return not_in_future(self.cleaned_data["received_on"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unit = data.get("unit")
        for name in ("programme", "housing_support_unit", "outreach"):
            chosen = data.get(name)
            if unit and chosen and chosen.unit_id != unit.pk:
                self.add_error(name, _("Välj ett alternativ vid anmälans enhet."))
        return data


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Sök på namn"),
        max_length=100,
        required=False,
        help_text=_("Hela eller delar av namnet. Sökningen syns inte i adressfältet."),
    )


class StepForm(forms.Form):
    """One step on the path; the revision detects two staff acting at once."""

    to = forms.ChoiceField(
        label=_("Nästa steg"),
        # Never the stored value of a step in the message (it is an internal code).
        error_messages={"invalid_choice": _("Välj ett av stegen i listan.")},
    )
    on = forms.DateField(label=_("Datum"), widget=DateInput())
    programme = forms.ModelChoiceField(
        label=_("Program"),
        queryset=Programme.objects.none(),
        required=False,
        help_text=_("Det program personen väntar på (krävs för väntelistan)."),
    )
    note = forms.CharField(
        label=_("Anteckning"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Krävs när anmälan avböjs: skriv skälet."),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, referral: Referral, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        targets = [t for t in referral.allowed_targets() if t != Status.ACCEPTED]
        field = self.fields["to"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(t, Status(t).label) for t in targets]
        limit_choices(self, "programme", referral.unit.programmes.all())
        self.fields["programme"].initial = referral.programme_id
        self.fields["on"].initial = timezone.localdate()
        self.fields["revision"].initial = referral.revision


class AcceptForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Program"), queryset=Programme.objects.none())
    on = forms.DateField(label=_("Beslutsdatum"), widget=DateInput())
    start_date = forms.DateField(label=_("Startdatum"), widget=DateInput())
    end_date = forms.DateField(
        label=_("Slutdatum"),
        widget=DateInput(),
        required=False,
        help_text=_("Lämna tomt om det inte är bestämt: platsen slutar då vid längsta tid."),
    )
    hours_per_week = DecimalCommaField(
        label=_("Timmar per vecka"), required=False, min_value=0, max_digits=5, decimal_places=2
    )
    contact_person = StaffChoiceField(
        label=_("Kontaktman"), queryset=User.objects.none(), required=False
    )
    note = forms.CharField(
        label=_("Anteckning"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, referral: Referral, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "programme", referral.unit.programmes.all())
        limit_choices(
            self, "contact_person", contact_persons(Unit.objects.filter(pk=referral.unit_id))
        )
        today = timezone.localdate()
        self.fields["programme"].initial = referral.programme_id
        self.fields["on"].initial = today
        self.fields["start_date"].initial = today
        self.fields["revision"].initial = referral.revision
        self.helper = FormHelper()
        self.helper.add_input(Submit("accept", _("Anta och ge plats")))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date", _("Slutdatumet ligger före startdatumet. Välj ett senare slutdatum.")
            )
        return data


class LinkForm(forms.Form):
    participant = PersonChoiceField(
        label=_("Registrerad person"), queryset=Participant.objects.none()
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, candidates: QuerySet[Participant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "participant", candidates)


class HousingSupportUnitForm(ConflictCheckedForm):
    class Meta:
        model = HousingSupportUnit
        fields = [
            "unit",
            "name",
            "provider",
            "contact_name",
            "contact_phone",
            "contact_email",
            "active",
        ]

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "unit", units)
        self.fields["unit"].initial = units.first()
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Spara")))


class OutreachForm(forms.ModelForm):
    class Meta:
        model = OutreachActivity
        fields = [
            "unit",
            "date",
            "housing_support_unit",
            "kind",
            "people_reached",
            "participants",
            "isa_presented",
            "notes",
        ]
        widgets = {"date": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(
        self,
        *args: Any,
        units: QuerySet[Unit],
        visible: QuerySet[Participant],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "unit", units)
        limit_choices(
            self,
            "housing_support_unit",
            HousingSupportUnit.objects.filter(unit__in=units, active=True),
        )
        limit_choices(self, "participants", visible.filter(unit__in=units))
        self.fields["unit"].initial = units.first()
        self.fields["date"].initial = timezone.localdate()
        self.fields["participants"].help_text = _(
            "Om några av dem som nåddes redan är registrerade hos oss. "
            "Håll ned Ctrl för att välja flera."
        )
        self.fields["participants"].required = False
        self._label_presented(units)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Spara aktiviteten")))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        fields = {k: v for k, v in data.items() if k != "participants"}
        people = list(data.get("participants") or [])
        try:
            check_outreach_rules(OutreachActivity(**fields), people, today=timezone.localdate())
        except ValidationError as error:
            add_rule_errors(self, error)
        return data

    def _label_presented(self, units: QuerySet[Unit]) -> None:
        """The Team ISA question with the programme's own name and ages (R8)."""
        programme = Programme.objects.filter(unit__in=units, presented_at_outreach=True).first()
        if programme is not None:
            self.fields["isa_presented"].label = _(
                "Presenterades %(programme)s för personer %(range)s år?"
            ) % {"programme": programme.name, "range": age_range(programme)}


class MeetingForm(forms.ModelForm):
    class Meta:
        model = CollaborationMeeting
        fields = [
            "unit",
            "housing_support_unit",
            "planned_on",
            "agenda",
            "staff_attendees",
            "other_attendees",
        ]
        widgets = {
            "planned_on": DateInput(),
            "agenda": forms.Textarea(attrs={"rows": 3}),
            "other_attendees": forms.Textarea(attrs={"rows": 2}),
        }
        field_classes = {"staff_attendees": StaffMultipleChoiceField}

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "unit", units)
        limit_choices(
            self, "housing_support_unit", HousingSupportUnit.objects.filter(unit__in=units)
        )
        # Staff of any of the user's units: the meeting's unit is chosen in the same form.
        limit_choices(self, "staff_attendees", working_staff(units))
        self.fields["unit"].initial = units.first()
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Spara mötet")))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unit, hsu = data.get("unit"), data.get("housing_support_unit")
        if unit and hsu and hsu.unit_id != unit.pk:
            self.add_error("housing_support_unit", _("Välj ett boendestöd i enhetens register."))
        return data


class MeetingHeldForm(forms.Form):
    held_on = forms.DateField(label=_("Genomfört datum"), widget=DateInput())
    staff_attendees = StaffMultipleChoiceField(
        label=_("Deltagare från oss"), queryset=User.objects.none(), required=False
    )
    other_attendees = forms.CharField(
        label=_("Deltagare från boendestödet och andra"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    minutes = forms.CharField(
        label=_("Minnesanteckningar"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, meeting: CollaborationMeeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(
            self, "staff_attendees", working_staff(Unit.objects.filter(pk=meeting.unit_id))
        )
        self.fields["held_on"].initial = timezone.localdate()
        self.meeting = meeting

    def clean_held_on(self) -> Any:
        day = self.cleaned_data["held_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(
                _("Ett möte registreras som genomfört när det har hållits.")
            )
        return day


class ActionForm(forms.ModelForm):
    class Meta:
        model = CollaborationAction
        fields = ["description", "owner", "due_on"]
        widgets = {"due_on": DateInput(), "description": forms.Textarea(attrs={"rows": 2})}


class ActionFollowUpForm(forms.Form):
    done_on = forms.DateField(
        label=_("Klar datum"),
        widget=DateInput(),
        required=False,
        help_text=_("Lämna tomt om åtgärden inte är klar."),
    )
    note = forms.CharField(
        label=_("Uppföljning"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_done_on(self) -> Any:
        day = self.cleaned_data["done_on"]
        return day and not_in_future(day)


class YearForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Enhet"), queryset=Unit.objects.none(), required=False)
    year = forms.IntegerField(label=_("År"), min_value=2000, max_value=2100, required=False)

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "unit", units)


# --- The public interest form ---------------------------------------------------------


class InterestForm(forms.Form):
    """Asks for as little as possible: name, how to be reached, interest; no identity number."""

    name = forms.CharField(label=_("Ditt namn"), max_length=120, strip=True)
    contact = forms.CharField(
        label=_("Telefon eller e-post"),
        max_length=120,
        help_text=_("Så att vi kan nå dig. Vi ringer eller skriver inom några arbetsdagar."),
    )
    programme = forms.ModelChoiceField(
        label=_("Vad är du intresserad av?"),
        queryset=Programme.objects.none(),
        required=False,
        empty_label=_("Vet inte än, jag vill veta mer"),
    )
    interest = forms.CharField(
        label=_("Vill du berätta något mer? (frivilligt)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 1000}),
        help_text=_("Högst 1000 tecken. Skriv inte personnummer eller uppgifter om hälsa här."),
        error_messages={
            "max_length": _(
                "Texten är för lång: skriv högst %(limit_value)d tecken (nu %(show_value)d)."
            )
        },
    )
    consent = forms.BooleanField(
        label=_("Jag vill bli kontaktad och godkänner att uppgifterna sparas för det."),
        error_messages={
            "required": _("Kryssa i rutan så att vi får spara uppgifterna och kontakta dig.")
        },
    )
    # The honeypot: hidden from people (and screen readers); a bot fills it in.
    website = forms.CharField(label=_("Lämna detta fält tomt"), required=False, max_length=200)
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "programme", unit.programmes.all())
        self.fields["submission_key"].initial = new_submission_key()
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["contact"].widget.attrs["autocomplete"] = "tel"
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))

    def clean_name(self) -> str:
        name: str = _without_identity_number(self.cleaned_data["name"])
        if not any(c.isalpha() for c in name):
            raise forms.ValidationError(_("Skriv ditt namn med bokstäver."))
        return name

    def clean_contact(self) -> str:
        contact: str = _without_identity_number(self.cleaned_data["contact"].strip())
        digits = sum(c.isdigit() for c in contact)
        if "@" not in contact and digits < 6:
            raise forms.ValidationError(
                _("Skriv ett telefonnummer (minst 6 siffror) eller en e-postadress.")
            )
        return contact

    def clean_interest(self) -> str:
        return _without_identity_number(self.cleaned_data["interest"])


def _without_identity_number(text: str) -> str:
    """The form promises not to ask for an identity number; one typed anyway is not stored."""
    if mentions_identity_number(text, today=timezone.localdate()):
        raise forms.ValidationError(
            _(
                "Ta bort personnumret (eller samordningsnumret) ur texten. Vi behöver det "
                "inte här; behövs det senare frågar vi dig."
            )
        )
    return text
