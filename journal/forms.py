from __future__ import annotations

import datetime
import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activities.models import Session
from journal.models import Entry, EntryKind
from lotsen.access import BY_NAME
from lotsen.forms import StaffChoiceField
from lotsen.models import Programme, User
from participants.forms import DateInput, limit_choices
from participants.models import Enrolment, Participant
from plans.models import Plan
from referrals.models import Referral


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _not_in_future(moment: datetime.datetime) -> datetime.datetime:
    if moment > timezone.now() + datetime.timedelta(minutes=5):
        raise forms.ValidationError(_("Tiden ligger i framtiden. Skriv när det hände, senast nu."))
    return moment


class PlaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.programme.name} {obj.start_date}"


class EntryForm(forms.Form):
    """The fields of an entry, for the draft (anything may be missing) and for signing
    (kind, time and text required)."""

    occurred_at = forms.DateTimeField(label=_("När hände det?"), widget=DateTimeInput())
    kind = forms.ModelChoiceField(label=_("Typ"), queryset=EntryKind.objects.none())
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 10}), strip=False)
    place = PlaceChoiceField(
        label=_("Plats (program)"), queryset=Enrolment.objects.none(), required=False
    )
    plan = forms.ModelChoiceField(label=_("Plan"), queryset=Plan.objects.none(), required=False)
    session = forms.ModelChoiceField(
        label=_("Gruppaktivitet"), queryset=Session.objects.none(), required=False
    )
    referral = forms.ModelChoiceField(
        label=_("Anmälan"), queryset=Referral.objects.none(), required=False
    )

    def __init__(
        self, *args: Any, participant: Participant, units: Any, draft: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        places = Enrolment.objects.filter(
            participant=participant, programme__unit__in=units
        ).select_related("programme")
        limit_choices(self, "kind", EntryKind.objects.filter(active=True))
        limit_choices(self, "place", places)
        limit_choices(self, "plan", Plan.objects.filter(enrolment__in=places))
        limit_choices(
            self,
            "session",
            Session.objects.filter(
                activity__unit__in=units, attendances__participant=participant
            ).select_related("activity"),
        )
        limit_choices(
            self, "referral", Referral.objects.filter(participant=participant, unit__in=units)
        )
        if draft:
            for field in self.fields.values():
                field.required = False

    def clean_occurred_at(self) -> datetime.datetime | None:
        moment = self.cleaned_data["occurred_at"]
        return None if moment is None else _not_in_future(moment)

    def valid_fields(self) -> dict[str, Any]:
        """For a draft: what could be read; a half-typed date keeps the draft's old value."""
        self.is_valid()
        data = {name: self.cleaned_data[name] for name in self.fields if name in self.cleaned_data}
        data["text"] = self.data.get("text", "")
        return data


class CorrectionForm(forms.Form):
    text = forms.CharField(
        label=_("Rättad text"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Den tidigare texten finns kvar, överstruken."),
    )
    reason = forms.CharField(label=_("Varför rättas anteckningen?"), max_length=300)

    def __init__(self, *args: Any, entry: Entry, **kwargs: Any) -> None:
        """Starts with the entry's current text, so that one word is fixed, not retyped."""
        self.current = entry.current_text()
        super().__init__(*args, **kwargs)
        self.fields["text"].initial = self.current

    def clean_text(self) -> str:
        text: str = self.cleaned_data["text"]
        if text.strip() == self.current.strip():
            raise forms.ValidationError(_("Texten är oförändrad. Ändra det som ska rättas."))
        return text


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Personens synpunkt"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Personen anser att något i anteckningen är fel. Skriv personens synpunkt."),
    )


class JournalFilterForm(forms.Form):
    kind = forms.ModelChoiceField(label=_("Typ"), queryset=EntryKind.objects.all(), required=False)
    author = StaffChoiceField(label=_("Skriven av"), queryset=User.objects.none(), required=False)
    programme = forms.ModelChoiceField(
        label=_("Program"), queryset=Programme.objects.none(), required=False
    )
    start = forms.DateField(label=_("Från"), widget=DateInput(), required=False)
    end = forms.DateField(label=_("Till"), widget=DateInput(), required=False)

    def __init__(self, *args: Any, participant: Participant, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Deliberately not the working staff: whoever wrote in the record, also a colleague
        # who has left or the administrator, since the filter is over what was written.
        authors = User.objects.filter(journal_entries__participant=participant)
        limit_choices(self, "author", authors.distinct().order_by(*BY_NAME))
        limit_choices(self, "programme", Programme.objects.filter(unit__in=units))

    def apply(self, entries: Any) -> Any:
        if not self.is_valid():
            return entries
        data = self.cleaned_data
        if data["kind"]:
            entries = entries.filter(kind=data["kind"])
        if data["author"]:
            entries = entries.filter(author=data["author"])
        if data["programme"]:
            entries = entries.filter(place__programme=data["programme"])
        if data["start"]:
            entries = entries.filter(occurred_at__date__gte=data["start"])
        if data["end"]:
            entries = entries.filter(occurred_at__date__lte=data["end"])
        return entries


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Sök i journalen"), max_length=200, required=False)


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("Från"), widget=DateInput(), required=False)
    end = forms.DateField(label=_("Till"), widget=DateInput(), required=False)


class GroupSessionForm(forms.Form):
    """The shared part of a group session's entries; each attendee's text comes apart."""

    occurred_at = forms.DateTimeField(label=_("När hände det?"), widget=DateTimeInput())
    kind = forms.ModelChoiceField(label=_("Typ"), queryset=EntryKind.objects.none())
    shared_text = forms.CharField(
        label=_("Gemensam text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Föreslås för varje deltagare nedan, där du anpassar den för personen."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "kind", EntryKind.objects.filter(active=True))

    def clean_occurred_at(self) -> datetime.datetime:
        return _not_in_future(self.cleaned_data["occurred_at"])


def names_other_people(text: str, others: list[Participant]) -> list[Participant]:
    """The attendees other than this person whose name appears in the text."""
    found = []
    for other in others:
        names = [f"{other.first_name} {other.last_name}", other.first_name]
        pattern = "|".join(re.escape(n) for n in names if n)
        if pattern and re.search(rf"\b({pattern})\b", text, flags=re.IGNORECASE):
            found.append(other)
    return found
