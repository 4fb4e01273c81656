"""Workflows over participants and places: registration, enrolment with the place rules."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lotsen.models import Programme, Unit
from participants.identity import age_on, identity_errors
from participants.models import Enrolment, HoursChange, Outcome, Participant, Visit

if TYPE_CHECKING:
    from lotsen.models import User


def participant_register(*, by: User, unit: Unit, **fields: Any) -> Participant:
    """Register a person at one of the registering user's units (their record there),
    under the registration rules (R3, L6, one record per person and unit)."""
    participant = Participant(created_by=by, unit=unit, **fields)
    check_registration_rules(participant)
    try:
        with transaction.atomic():
            participant.save()
            participant.team.add(by)
    except IntegrityError:
        # Someone registered the same person since the check; the constraint caught it,
        # and the check now says so in words.
        check_registration_rules(participant)
        raise
    return participant


RESIDENCY_EXCEPTION = [
    "residency_exception_reason",
    "residency_exception_agreed_by",
    "residency_exception_date",
]


def check_registration_rules(participant: Participant) -> None:
    """Raise ValidationError keyed by field: the identity (L6), residency in the unit's
    municipality or a recorded exception (R3), and one record per person and unit.

    A second record has the code "duplicate" and the existing record's pk in its params.
    """
    errors: dict[str, list[Any]] = identity_errors(
        number=participant.identity_number,
        kind=participant.identity_kind,
        birth_date=participant.birth_date,
        today=timezone.localdate(),
    )
    if participant.unit_id is not None:
        errors |= _residency_errors(participant)
        if "identity_number" not in errors and (existing := _same_person(participant)):
            errors["identity_number"] = [
                ValidationError(
                    _("Personen är redan registrerad vid enheten."),
                    code="duplicate",
                    params={"pk": existing},
                )
            ]
    if errors:
        raise ValidationError(errors)


def _residency_errors(participant: Participant) -> dict[str, list[str]]:
    """R3: registered in the unit's municipality, or an exception with reason, who and when."""
    home = participant.unit.home_municipality
    municipality = (participant.municipality or "").strip()
    if not municipality:
        return {"municipality": [_("Skriv kommunen där personen är folkbokförd.")]}
    if municipality.casefold() == home.casefold():
        return {}
    message = _(
        "Personen är inte folkbokförd i %(home)s. Fyll i skäl, vem på förvaltningen "
        "som godkänt undantaget och datum."
    ) % {"home": home}
    return {
        field: [message]
        for field in RESIDENCY_EXCEPTION
        if not str(getattr(participant, field) or "").strip()
    }


def _same_person(participant: Participant) -> int | None:
    """The pk of the person's existing record at the unit (whoever may see it), if any."""
    if not participant.identity_number:
        return None
    same = Participant.objects.filter(
        unit_id=participant.unit_id, identity_number=participant.identity_number
    ).exclude(pk=participant.pk)
    return same.values_list("pk", flat=True).first()


def enrolment_create(
    *,
    participant: Participant,
    programme: Programme,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    hours_per_week: Decimal | None = None,
    contact_person: User | None = None,
    by: User,
) -> Enrolment:
    """Give a participant a place, checking R5-R9 under a lock on the programme.

    The lock makes two staff taking the last free place at once queue up: the second
    sees the first's place when it checks capacity.
    """
    with transaction.atomic():
        locked = Programme.objects.select_for_update().get(pk=programme.pk)
        enrolment = Enrolment(
            participant=participant,
            programme=locked,
            start_date=start_date,
            # R7: with no end date given, the place ends at the longest duration.
            end_date=end_date or locked.latest_end(start_date),
            hours_per_week=hours_per_week,
            contact_person=contact_person,
            created_by=by,
        )
        check_place_rules(enrolment)
        enrolment.save()
        if contact_person is not None:
            participant.team.add(contact_person)
    return enrolment


def check_place_rules(enrolment: Enrolment) -> None:
    """Raise ValidationError with every broken rule, keyed by the field to correct."""
    programme = enrolment.programme
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if enrolment.end_date:
        for message in _end_date_errors(programme, enrolment.start_date, enrolment.end_date):
            add("end_date", message)
    if enrolment.participant.unit_id != programme.unit_id:
        add("programme", _("Välj ett program vid personens enhet."))
    contact = enrolment.contact_person
    if contact is not None and not contact.units.filter(pk=programme.unit_id).exists():
        add(
            "contact_person",
            _("Kontaktmannen måste arbeta vid %(unit)s.") % {"unit": programme.unit.name},
        )
    if _has_overlapping_place(enrolment):
        add(
            "start_date",
            _("Personen har redan en plats i %(programme)s under den tiden.")
            % {"programme": programme.name},
        )
    if programme.requires_contact_person and enrolment.contact_person_id is None:
        add("contact_person", _("Välj en kontaktman. Alla som tränar ska ha en."))
    _check_hours(enrolment, add)
    _check_age(enrolment, add)
    _check_capacity(enrolment, add)
    if errors:
        raise ValidationError(errors)


def _has_overlapping_place(enrolment: Enrolment) -> bool:
    same = Enrolment.objects.filter(
        participant=enrolment.participant, programme=enrolment.programme
    ).overlapping(enrolment.start_date, enrolment.end_date)
    return same.exclude(pk=enrolment.pk).exists() if enrolment.pk else same.exists()


def _check_hours(enrolment: Enrolment, add: Any) -> None:
    minimum = enrolment.programme.min_hours_per_week
    if minimum is None and not enrolment.programme.limits_hours:
        return
    hours = enrolment.hours_per_week
    if hours is None:
        add("hours_per_week", _("Ange planerade timmar per vecka."))
    elif message := _too_few_hours(enrolment.programme, hours):
        add("hours_per_week", message)


def _too_few_hours(programme: Programme, hours: Decimal) -> str | None:
    """R6: the programme's minimum hours per week, or None when `hours` is enough."""
    minimum = programme.min_hours_per_week
    if minimum is None or hours >= minimum:
        return None
    return _("Träningen ska vara minst %(min)s timmar per vecka. Öka antalet timmar.") % {
        "min": number_format(minimum, decimal_pos=0)
    }


def _end_date_errors(programme: Programme, start: datetime.date, end: datetime.date) -> list[str]:
    """An end before the start, or past the longest duration (R7)."""
    if end < start:
        return [_("Slutdatumet ligger före startdatumet. Välj ett senare slutdatum.")]
    latest_end = programme.latest_end(start)
    if latest_end and end > latest_end:
        return [
            _("%(programme)s får pågå högst till %(date)s. Välj ett tidigare slutdatum.")
            % {"programme": programme.name, "date": latest_end.isoformat()}
        ]
    return []


def _check_age(enrolment: Enrolment, add: Any) -> None:
    programme = enrolment.programme
    age = age_on(enrolment.participant.birth_date, enrolment.start_date)
    if not programme.fits_age(age):
        add(
            "start_date",
            _("%(programme)s är för personer %(range)s år; personen är %(age)s år på startdagen.")
            % {"programme": programme.name, "range": age_range(programme), "age": age},
        )


def age_range(programme: Programme) -> str:
    """The ages a programme is for, as staff read it: "18–35" or "från 18"."""
    if programme.max_age is None:
        return _("från %(min)s") % {"min": programme.min_age}
    return f"{programme.min_age or 0}–{programme.max_age}"


def free_capacity_text(programme: Programme, free: Decimal) -> str:
    """What is free, in words with the right number: "1 timme/vecka ledig", "2,5 timmar/vecka
    lediga", "inga platser lediga" (R5, R8)."""
    free = max(free, Decimal(0))
    shown = number_format(free, decimal_pos=0 if free == free.to_integral_value() else 1)
    count = 1 if free == 1 else 2  # a fraction reads as plural in Swedish: "0,5 timmar"
    if programme.limits_hours:
        if not free:
            return _("inga timmar lediga")
        text = ngettext("%(n)s timme/vecka ledig", "%(n)s timmar/vecka lediga", count)
    else:
        if not free:
            return _("inga platser lediga")
        text = ngettext("%(n)s plats ledig", "%(n)s platser lediga", count)
    return text % {"n": shown}


def _check_capacity(enrolment: Enrolment, add: Any, change: HoursChange | None = None) -> None:
    """R5/R8: the load on every day the place (or the hours change) covers fits the programme."""
    programme = enrolment.programme
    if not (programme.limits_hours or programme.limits_people):
        return
    window_start = change.from_date if change else enrolment.start_date
    others = list(
        Enrolment.objects.filter(programme=programme)
        .overlapping(window_start, enrolment.end_date)
        .exclude(pk=enrolment.pk)
        .prefetch_related("hours_changes")
    )
    peak_day, peak = _peak_load(
        others, enrolment, window_start, change=change, people=programme.limits_people
    )
    if peak <= programme.capacity_value():
        return
    if programme.limits_hours:
        used = peak - _own_hours(enrolment, peak_day, change)
        add(
            "hours_per_week",
            _(
                "Platserna är fulla: %(used)s av %(capacity)s timmar per vecka är redan "
                "planerade den %(day)s, så %(free)s. Minska timmarna, välj ett senare "
                "startdatum eller se kapaciteten för programmet."
            )
            % {
                "used": number_format(used, decimal_pos=1),
                "capacity": number_format(programme.capacity_value(), decimal_pos=0),
                "day": peak_day.isoformat(),
                "free": free_capacity_text(programme, programme.capacity_value() - used),
            },
        )
    else:
        add(
            "start_date",
            _(
                "Programmet är fullt den %(day)s: %(capacity)s personer har redan plats, så "
                "%(free)s. Välj ett senare startdatum."
            )
            % {
                "day": peak_day.isoformat(),
                "capacity": int(programme.capacity_value()),
                "free": free_capacity_text(programme, Decimal(0)),
            },
        )


def _own_hours(enrolment: Enrolment, day: datetime.date, change: HoursChange | None) -> Decimal:
    if change is None:
        return enrolment.hours_on(day) if enrolment.pk else enrolment.hours_per_week or Decimal(0)
    later = [c for c in enrolment.hours_changes.all() if change.from_date < c.from_date <= day]
    return enrolment.hours_on(day) if later else change.hours_per_week


def _peak_load(
    others: list[Enrolment],
    new: Enrolment,
    window_start: datetime.date,
    *,
    change: HoursChange | None,
    people: bool,
) -> tuple[datetime.date, Decimal]:
    """The highest load on any day from `window_start` while `new` runs, with its day.

    The load only changes when a place starts or its hours change, so checking the
    window's first day and every such day inside it covers every day.
    """

    def in_window(day: datetime.date) -> bool:
        return day > window_start and (new.end_date is None or day <= new.end_date)

    days = {window_start} | {e.start_date for e in others if in_window(e.start_date)}
    days |= {c.from_date for e in others for c in e.hours_changes.all() if in_window(c.from_date)}
    if new.pk:
        days |= {c.from_date for c in new.hours_changes.all() if in_window(c.from_date)}
    best_day, best = window_start, Decimal(-1)
    for day in sorted(days):
        own = Decimal(1) if people else _own_hours(new, day, change)
        load = own + sum(
            (Decimal(1) if people else e.hours_on(day) for e in others if e.is_active_on(day)),
            Decimal(0),
        )
        if load > best:
            best_day, best = day, load
    return best_day, best


def enrolment_change_hours(
    *, enrolment: Enrolment, from_date: datetime.date, hours_per_week: Decimal, by: User
) -> HoursChange:
    """Plan new hours from a date onwards; checks R6 and R5 against every later day."""
    with transaction.atomic():
        Programme.objects.select_for_update().get(pk=enrolment.programme_id)
        enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
        change = HoursChange(
            enrolment=enrolment, from_date=from_date, hours_per_week=hours_per_week, created_by=by
        )
        errors: dict[str, list[str]] = {}

        def add(field: str, message: str) -> None:
            errors.setdefault(field, []).append(message)

        if not enrolment.is_active_on(from_date) or from_date <= enrolment.start_date:
            add("from_date", _("Datumet måste ligga efter start och inom platsens period."))
        if message := _too_few_hours(enrolment.programme, hours_per_week):
            add("hours_per_week", message)
        if not errors and enrolment.programme.limits_hours:
            # Changing hours never changes how many people hold places (R8).
            _check_capacity(enrolment, add, change=change)
        if errors:
            raise ValidationError(errors)
        change.save()
    return change


def enrolment_end(
    *, enrolment: Enrolment, on: datetime.date, outcome: str, note: str, by: User
) -> Enrolment:
    """R11: end a place with its outcome; an early end needs a reason.

    Locked so that two staff ending the same place at once cannot overwrite each other;
    an end later than planned is checked against capacity (R5, R8) like a new place.
    """
    with transaction.atomic():
        Programme.objects.select_for_update().get(pk=enrolment.programme_id)
        enrolment = (
            Enrolment.objects.select_for_update().select_related("programme").get(pk=enrolment.pk)
        )
        _check_end(enrolment, on=on, outcome=outcome, note=note)
        enrolment.end_date, enrolment.outcome, enrolment.outcome_note = on, outcome, note
        enrolment.ended_by = by
        enrolment.save(update_fields=["end_date", "outcome", "outcome_note", "ended_by"])
    return enrolment


def _check_end(enrolment: Enrolment, *, on: datetime.date, outcome: str, note: str) -> None:
    errors: dict[str, list[str]] = {}
    if enrolment.is_ended:
        errors["outcome"] = [_("Platsen är redan avslutad.")]
    if end_errors := _end_date_errors(enrolment.programme, enrolment.start_date, on):
        errors["end_date"] = end_errors
    if outcome not in Outcome.values:
        errors["outcome"] = [_("Välj vad platsen ledde till.")]
    if outcome == Outcome.ENDED_EARLY and not note.strip():
        errors["outcome_note"] = [_("Skriv varför platsen avslutades i förtid.")]
    if not errors and (enrolment.end_date is None or on > enrolment.end_date):
        extended = Enrolment(
            pk=enrolment.pk,
            participant=enrolment.participant,
            programme=enrolment.programme,
            start_date=enrolment.start_date,
            end_date=on,
            hours_per_week=enrolment.hours_per_week,
        )
        _check_capacity(
            extended, lambda field, message: errors.setdefault("end_date", []).append(message)
        )
    if errors:
        raise ValidationError(errors)


def visit_record(
    *, participant: Participant, programme: Programme, date: datetime.date, by: User
) -> tuple[Visit, bool]:
    """Record a visit once; a double submit finds the existing one (created=False)."""
    try:
        with transaction.atomic():
            return (
                Visit.objects.create(
                    participant=participant, programme=programme, date=date, recorded_by=by
                ),
                True,
            )
    except IntegrityError:
        return Visit.objects.get(participant=participant, programme=programme, date=date), False


def with_new_cases(programmes: QuerySet[Programme], *, year: int) -> QuerySet[Programme]:
    """R21: each programme with `started`, its new cases in `year`.

    The one definition of "nya ärenden i år" for the capacity page and the manager's home: a
    new case is an IPS case whose intake falls in the year, the same count as the monthly
    follow-up and the annual report (`employment.figures`). A place accepted from the waiting
    list is not a case until the team opens one on it (the case list shows such places), so
    it does not count yet. Counted through the case's link to its place, by name: this app
    sits below `employment` and imports nothing from it."""
    return programmes.annotate(
        started=Count(
            "enrolments__employment_case",
            filter=Q(enrolments__employment_case__intake_on__year=year),
        )
    )


def capacity_weeks(
    programme: Programme, *, today: datetime.date, weeks: int = 13
) -> list[dict[str, Any]]:
    """For this week and the next ones: the highest load on any day of the week (R5, R8)."""
    monday = today - datetime.timedelta(days=today.weekday())
    last_day = monday + datetime.timedelta(weeks=weeks, days=-1)
    places = list(
        Enrolment.objects.filter(programme=programme)
        .overlapping(monday, last_day)
        .prefetch_related("hours_changes")
    )
    people = programme.limits_people
    result = []
    for week in range(weeks):
        start = monday + datetime.timedelta(weeks=week)
        days = [start + datetime.timedelta(days=d) for d in range(7)]
        loads = [
            sum(
                (Decimal(1) if people else p.hours_on(day) for p in places if p.is_active_on(day)),
                Decimal(0),
            )
            for day in days
        ]
        peak = max(loads)
        result.append(
            {
                "week_start": start,
                "week_number": start.isocalendar().week,
                "used": peak,
                "free": programme.capacity_value() - peak,
                "percent": int(peak * 100 / programme.capacity_value())
                if programme.capacity_value()
                else 0,
            }
        )
    return result


REGISTRY_SORTS = {
    "name": ("last_name", "first_name", "pk"),
    "birth": ("birth_date", "pk"),
    "newest": ("-created_at", "-pk"),
}


def registry_search(
    participants: QuerySet[Participant],
    *,
    query: str,
    filters: dict[str, Any],
    today: datetime.date,
) -> QuerySet[Participant]:
    """The registry's search and filters as one query (whatever the register's size)."""
    words = query.split()
    digits = re.sub(r"[\s+-]", "", query)
    if digits.isdigit():
        participants = participants.filter(identity_number__contains=digits)
    for word in words if not digits.isdigit() else []:
        participants = participants.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word)
        )
    if unit := filters.get("unit"):
        participants = participants.filter(unit=unit)
    current = Enrolment.objects.filter(participant_id=OuterRef("pk"), outcome="").active_on(today)
    if programme := filters.get("programme"):
        current = current.filter(programme=programme)
    if contact := filters.get("contact_person"):
        current = current.filter(contact_person=contact)
    if filters.get("status") == "inactive":
        participants = participants.exclude(Exists(current))
    elif programme or contact or filters.get("status") == "active":
        participants = participants.filter(Exists(current))
    if filters.get("housing_support"):
        participants = participants.filter(has_housing_support=filters["housing_support"] == "yes")
    return participants.order_by(*REGISTRY_SORTS[filters.get("sort") or "name"])
