from __future__ import annotations

import datetime
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db.models import Q, QuerySet
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from lotsen.conflicts import ConflictCheckedForm
from lotsen.forms import DecimalCommaField, StaffChoiceField
from lotsen.models import Programme, Unit, User
from participants.identity import Identity, parse_identity
from participants.models import (
    Assessment,
    AssessmentInstrument,
    Enrolment,
    HousingSupport,
    IdentityKind,
    Outcome,
    Participant,
    Relative,
    Workplace,
)
from participants.services import check_registration_rules


def limit_choices(form: forms.BaseForm, name: str, queryset: QuerySet[Any]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


class PersonChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A person picked from a list, with their birth year, so that namesakes (two Elin
    Andersson) are told apart without showing the personnummer: "Andersson, Elin (1985)"."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.last_name}, {obj.first_name} ({obj.birth_date.year})"


def add_rule_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's field-keyed errors onto the form. A field that already has an error (a
    mistyped date, say) keeps only that one: one problem at a time."""
    for field, errors in error.update_error_dict({}).items():
        if field in form.errors:
            continue
        for item in errors:
            form.add_error(field if field in form.fields else None, item)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def not_in_future(day: datetime.date) -> datetime.date:
    """For a date something happened: today or earlier."""
    if day > timezone.localdate():
        raise forms.ValidationError(
            _("Datumet ligger i framtiden. Välj dagens datum eller tidigare.")
        )
    return day


class ParticipantForm(forms.ModelForm):
    """Parses the number and shows the registration rules' messages; the rules themselves
    are `check_registration_rules`, which `participant_register` also runs."""

    FORM_ONLY = frozenset({"unit", "reserve_identity", "confirm_new_person"})

    identity_number = forms.CharField(
        label=_("Personnummer eller samordningsnummer"),
        help_text=_("12 siffror: ÅÅÅÅMMDD-NNNN. Samordningsnummer har dagen + 60."),
        max_length=20,
        required=False,
    )
    reserve_identity = forms.BooleanField(
        label=_("Personen saknar personnummer och samordningsnummer (reservidentitet)"),
        required=False,
    )
    birth_date = forms.DateField(
        label=_("Födelsedatum"),
        required=False,
        widget=DateInput(),
        help_text=_("Krävs för reservidentitet; annars tas det från numret."),
    )
    unit = forms.ModelChoiceField(label=_("Enhet"), queryset=Unit.objects.none())
    confirm_new_person = forms.BooleanField(
        label=_("Jag har kontrollerat att det är en annan person"), required=False
    )

    class Meta:
        model = Participant
        fields = [
            "identity_number",
            "first_name",
            "last_name",
            "unit",
            "gender",
            "phone",
            "email",
            "address",
            "municipality",
            "residency_exception_reason",
            "residency_exception_agreed_by",
            "residency_exception_date",
            "has_housing_support",
            "protected_identity",
        ]
        widgets = {
            "residency_exception_date": DateInput(),
            "residency_exception_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.identity: Identity | None = None
        units: QuerySet[Unit] = Unit.objects.filter(staff=user)
        limit_choices(self, "unit", units)
        first_unit = units.first()
        if first_unit:
            self.fields["unit"].initial = first_unit.pk
            self.fields["municipality"].initial = first_unit.home_municipality
        self.fields["identity_number"].widget.attrs["autocomplete"] = "off"
        identity = ["identity_number", "reserve_identity", "birth_date", "first_name", "last_name"]
        if self.data.get("confirm_new_person"):
            identity.append("confirm_new_person")
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(_("Identitet"), *identity, "unit", "gender"),
            Fieldset(_("Kontaktuppgifter"), "phone", "email", "address"),
            Fieldset(
                _("Folkbokföring"),
                "municipality",
                "residency_exception_reason",
                "residency_exception_agreed_by",
                "residency_exception_date",
            ),
            Fieldset(_("Övrigt"), "has_housing_support", "protected_identity"),
            Submit("save", _("Registrera")),
        )

    def clean_identity_number(self) -> str | None:
        raw = self.cleaned_data["identity_number"].strip()
        if not raw:
            return None
        self.identity = parse_identity(raw, today=timezone.localdate())
        return self.identity.number

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self._set_identity_kind(data)
        try:
            check_registration_rules(self._participant(data))
        except ValidationError as error:
            self.show_rule_errors(error)
        self._warn_similar(data)
        return data

    def registration_fields(self) -> dict[str, Any]:
        """What `participant_register` takes, from a valid form (the unit apart)."""
        return {k: v for k, v in self.cleaned_data.items() if k not in self.FORM_ONLY}

    def _participant(self, data: dict[str, Any]) -> Participant:
        fields = {k: v for k, v in data.items() if k not in self.FORM_ONLY}
        return Participant(unit=data.get("unit"), **fields)

    def _set_identity_kind(self, data: dict[str, Any]) -> None:
        """The checkbox or the parsed number say which kind of identity it is (L6)."""
        if data.get("reserve_identity"):
            data["identity_kind"] = IdentityKind.RESERVE
        elif data.get("identity_number") and self.identity is not None:
            data["identity_kind"] = self.identity.kind
            data["birth_date"] = self.identity.birth_date
        else:
            data["identity_kind"] = ""

    def show_rule_errors(self, error: ValidationError) -> None:
        """The registration rules' messages on their fields; a second record links to the
        first if the user may see it (L2, L4)."""
        errors = error.update_error_dict({})
        if "identity_number" in errors:
            errors["identity_number"] = [
                ValidationError(self._duplicate_message(item.params["pk"]))
                if item.code == "duplicate" and item.params
                else item
                for item in errors["identity_number"]
            ]
        add_rule_errors(self, ValidationError(errors))

    def _duplicate_message(self, pk: int) -> str:
        if Participant.objects.visible_to(self.user).filter(pk=pk).exists():
            return format_html(
                '{} <a href="{}">{}</a>',
                _("Personen är redan registrerad vid enheten."),
                reverse("participants:detail", args=[pk]),
                _("Öppna personens sida."),
            )
        return str(
            _(
                "Personen är redan registrerad vid enheten, men du kan inte se uppgifterna. "
                "Kontakta din enhetschef."
            )
        )

    def _warn_similar(self, data: dict[str, Any]) -> None:
        """The same birth date and first or last name: ask before registering a double."""
        birth = data.get("birth_date")
        if not birth or data.get("confirm_new_person") or self.errors:
            return
        similar = (
            Participant.objects.visible_to(self.user)
            .filter(birth_date=birth)
            .filter(
                Q(first_name__iexact=data.get("first_name", ""))
                | Q(last_name__iexact=data.get("last_name", ""))
            )
            .first()
        )
        if similar is not None:
            self.helper.layout[0].fields.insert(5, "confirm_new_person")
            self.add_error(
                "confirm_new_person",
                format_html(
                    '{} <a href="{}">{}</a>',
                    _(
                        "En person med samma födelsedatum och liknande namn finns redan. "
                        "Kontrollera att det inte är samma person och kryssa i rutan."
                    ),
                    reverse("participants:detail", args=[similar.pk]),
                    similar.full_name,
                ),
            )


class EnrolmentForm(forms.ModelForm):
    class Meta:
        model = Enrolment
        fields = ["programme", "start_date", "end_date", "hours_per_week", "contact_person"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}
        labels = {"programme": _("Program"), "contact_person": _("Kontaktman")}
        field_classes = {"hours_per_week": DecimalCommaField, "contact_person": StaffChoiceField}
        help_texts = {
            "end_date": _("Lämna tomt om det inte är bestämt: platsen slutar då vid längsta tid."),
            "hours_per_week": _("Planerade timmar per vecka i träning."),
        }

    def __init__(
        self, *args: Any, programmes: QuerySet[Programme], staff: QuerySet[User], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "programme", programmes)
        limit_choices(self, "contact_person", staff)
        self.fields["start_date"].initial = timezone.localdate()
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Ge plats")))


class VisitForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Program"), queryset=Programme.objects.none())
    date = forms.DateField(label=_("Datum"), widget=DateInput())

    def __init__(self, *args: Any, programmes: QuerySet[Programme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "programme", programmes)
        self.fields["date"].initial = timezone.localdate()
        # The classes crispy's templates gave them; the page draws the fields (_field.html).
        self.fields["programme"].widget.attrs["class"] = "select form-select"
        self.fields["date"].widget.attrs["class"] = "dateinput form-control"
        self.helper = FormHelper()
        self.helper.form_class = "row g-2 align-items-end"
        self.helper.add_input(Submit("save", _("Registrera besök")))

    def clean_date(self) -> Any:
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Ett besök kan inte registreras i förväg."))
        return day


class HoursChangeForm(forms.Form):
    from_date = forms.DateField(label=_("Från och med"), widget=DateInput())
    hours_per_week = DecimalCommaField(
        label=_("Nya timmar per vecka"), min_value=0, max_digits=5, decimal_places=2
    )


class EndPlaceForm(forms.Form):
    end_date = forms.DateField(label=_("Sista dag"), widget=DateInput())
    outcome = forms.ChoiceField(
        label=_("Vad ledde platsen till?"), choices=[("", "---------"), *Outcome.choices]
    )
    outcome_note = forms.CharField(
        label=_("Kommentar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Krävs om platsen avslutas i förtid: skriv varför."),
    )


class WorkplaceForm(ConflictCheckedForm):
    class Meta:
        model = Workplace
        fields = ["employer", "address", "supervisor", "supervisor_contact", "tasks", "adaptations"]
        widgets = {
            "tasks": forms.Textarea(attrs={"rows": 2}),
            "adaptations": forms.Textarea(attrs={"rows": 2}),
        }


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["instrument", "date", "conclusions"]
        widgets = {"date": DateInput(), "conclusions": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "instrument", AssessmentInstrument.objects.filter(active=True))
        self.fields["date"].initial = timezone.localdate()
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Spara bedömning")))

    def clean_date(self) -> Any:
        return not_in_future(self.cleaned_data["date"])


class RelativeForm(forms.ModelForm):
    class Meta:
        model = Relative
        fields = ["name", "relation", "is_representative", "phone", "email", "consent"]
        widgets = {"consent": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Spara")))


class HousingSupportForm(forms.ModelForm):
    class Meta:
        model = HousingSupport
        fields = ["recorded_on", "occasion", "provider", "hours_per_week"]
        widgets = {"recorded_on": DateInput()}
        field_classes = {"hours_per_week": DecimalCommaField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recorded_on"].initial = timezone.localdate()
        self.fields["hours_per_week"].validators.append(MinValueValidator(0))
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Spara")))


class _ListedChoices(ModelChoiceIterator):
    """The choices from one plain SELECT: Django's iterator() opens a server-side cursor on
    PostgreSQL, three round trips for each dropdown."""

    def __iter__(self):  # type: ignore[no-untyped-def]
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class _ListedModelChoiceField(forms.ModelChoiceField):
    iterator = _ListedChoices


class _ListedStaffChoiceField(StaffChoiceField, _ListedModelChoiceField):
    pass


class PlainSelect(forms.Select):
    """Django's select markup with Bootstrap's classes, built in Python: the template renders
    an include for every option, and the registry draws six dropdowns on every page."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(attrs={"class": "select form-select"}, **kwargs)

    def render(  # type: ignore[override]
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        attrs = widget["attrs"]
        if attrs.get("aria-invalid"):  # Django marks a field with errors; Bootstrap by class
            attrs = {**attrs, "class": f"{attrs['class']} is-invalid"}
        options = format_html_join(
            "",
            '\n  <option value="{}"{}>{}</option>',
            (
                (option["value"], flatatt(option["attrs"]), option["label"])
                for _, group, _ in widget["optgroups"]
                for option in group
            ),
        )
        return format_html('<select name="{}"{}>{}\n</select>', name, flatatt(attrs), options)


class RegistryFilterForm(forms.Form):
    """Filters for the registry; they go in the URL, so none of them is personal data."""

    unit = _ListedModelChoiceField(
        label=_("Enhet"), queryset=Unit.objects.none(), required=False, widget=PlainSelect
    )
    programme = _ListedModelChoiceField(
        label=_("Program"), queryset=Programme.objects.none(), required=False, widget=PlainSelect
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alla")), ("active", _("Har plats nu")), ("inactive", _("Ingen plats nu"))],
        widget=PlainSelect,
    )
    contact_person = _ListedStaffChoiceField(
        label=_("Kontaktman"), queryset=User.objects.none(), required=False, widget=PlainSelect
    )
    housing_support = forms.ChoiceField(
        label=_("Boendestöd"),
        required=False,
        choices=[("", _("Alla")), ("yes", _("Har boendestöd")), ("no", _("Inget boendestöd"))],
        widget=PlainSelect,
    )
    sort = forms.ChoiceField(
        label=_("Sortera"),
        required=False,
        choices=[
            ("name", _("Namn")),
            ("birth", _("Födelsedatum")),
            ("newest", _("Senast registrerad")),
        ],
        widget=PlainSelect,
    )

    def __init__(
        self,
        *args: Any,
        units: QuerySet[Unit],
        programmes: QuerySet[Programme],
        staff: QuerySet[User],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        limit_choices(self, "unit", units)
        limit_choices(self, "programme", programmes)
        limit_choices(self, "contact_person", staff)


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Sök på namn eller personnummer"),
        max_length=100,
        required=False,
        help_text=_("Hela eller delar av namnet eller numret. Sökningen syns inte i adressfältet."),
        widget=forms.TextInput(attrs={"class": "textinput form-control"}),
    )
