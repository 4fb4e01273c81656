"""Plain factory functions: each builds only what a test needs, from test personnummer only."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from lotsen.demo import skatteverket_numbers
from lotsen.models import Programme, Role, Unit, User
from participants.identity import parse_identity
from participants.models import Enrolment, Participant
from plans.models import Plan
from plans.services import plan_create

TODAY = datetime.date(2026, 11, 23)
_adults = itertools.cycle(skatteverket_numbers(born_between=(1960, 1990)))
_young = itertools.cycle(skatteverket_numbers(born_between=(1995, 2003)))
_names = itertools.count(1)


def make_staff(username: str, unit: Unit, role: str = Role.SUPPORT, **fields: object) -> User:
    user = User.objects.create_user(
        username=username, email=f"{username}@lotsen.example", role=role, **fields
    )
    user.units.add(unit)
    return user


def make_participant(unit: Unit, *, young: bool = False, **fields: object) -> Participant:
    identity = parse_identity(next(_young if young else _adults), today=TODAY)
    n = next(_names)
    participant = Participant.objects.create(
        identity_number=fields.pop("identity_number", identity.number),
        identity_kind=identity.kind,
        birth_date=fields.pop("birth_date", identity.birth_date),
        first_name=fields.pop("first_name", f"Test{n}"),
        last_name=fields.pop("last_name", f"Testsson{n}"),
        municipality=unit.home_municipality,
        unit=unit,
        **fields,
    )
    return participant


def make_namesakes(unit: Unit) -> list[Participant]:
    """Two Elin Andersson, born 1985 and 1992: a person picker must tell them apart."""
    return [
        make_participant(
            unit, first_name="Elin", last_name="Andersson", birth_date=datetime.date(y, 5, 5)
        )
        for y in (1985, 1992)
    ]


def picks_namesakes_apart(page: str, namesakes: list[Participant]) -> bool:
    """Whether a page's person picker names each of them with their birth year."""
    return all(
        f'value="{p.pk}">Andersson, Elin ({p.birth_date.year})</option>' in page for p in namesakes
    )


def make_place(
    participant: Participant,
    programme: Programme,
    *,
    start: datetime.date = TODAY,
    hours: int | None = 10,
    contact_person: User | None = None,
    end: datetime.date | None = None,
) -> Enrolment:
    """A place saved without the rule checks, to set up a situation directly."""
    return Enrolment.objects.create(
        participant=participant,
        programme=programme,
        start_date=start,
        end_date=end,
        hours_per_week=None if hours is None else Decimal(hours),
        contact_person=contact_person,
    )


def make_plan(place: Enrolment, *, established_on: datetime.date, by: User) -> Plan:
    return plan_create(
        enrolment=place,
        established_on=established_on,
        goals="Mål",
        activities=[ACTIVITY],
        participation="",
        summary="Sammanfattning",
        by=by,
    )


def make_referral(unit: Unit, *, status: str = "received", **fields: object):  # type: ignore[no-untyped-def]
    """A referral saved directly in a given state, with its first step."""
    from referrals.models import Referral, ReferralStep

    received = fields.pop("received_on", TODAY)
    referral = Referral.objects.create(
        unit=unit,
        initiator=fields.pop("initiator", "self"),
        received_on=received,
        first_name=fields.pop("first_name", f"Anmäld{next(_names)}"),
        last_name=fields.pop("last_name", "Person"),
        contact=fields.pop("contact", "013-123456"),
        consent=fields.pop("consent", "Får kontaktas."),
        status=status,
        **fields,
    )
    ReferralStep.objects.create(referral=referral, to_status="received", on=received)
    return referral


def make_housing_unit(unit: Unit, name: str = "Boendestöd Öst"):  # type: ignore[no-untyped-def]
    from referrals.models import HousingSupportUnit

    return HousingSupportUnit.objects.create(unit=unit, name=name, provider="Kommunen")


def make_public_info(unit: Unit):  # type: ignore[no-untyped-def]
    from referrals.models import PublicUnitInfo

    return PublicUnitInfo.objects.create(
        unit=unit,
        introduction=f"{unit.name} är en mötesplats.",
        visiting_address="Storgatan 1, Linköping",
        phone="013-12 34 56",
        email=f"{unit.slug}@example.se",
        opening_hours="Måndag–fredag 9–16",
    )


ACTIVITY: dict[str, object] = {
    "goal": "Komma i tid",
    "activity": "Arbetsträning i caféet",
    "responsible": "Kontaktman",
    "when": "Tisdagar 9–12",
    "how": "Med stöd i början",
}


def activities_post(rows: list[dict[str, object]], *, initial: int = 0) -> dict[str, object]:
    """The POST data of the plan form's activity rows (a Django formset, prefix `activities`).

    A row with an `id` is an existing row; `DELETE` ticks its remove box."""
    data: dict[str, object] = {
        "activities-TOTAL_FORMS": str(len(rows)),
        "activities-INITIAL_FORMS": str(initial),
        "activities-MIN_NUM_FORMS": "0",
        "activities-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"activities-{index}-{name}"] = value
    return data


def make_entry(participant: Participant, *, by: User, text: str = "Samtal om veckan.", **fields):  # type: ignore[no-untyped-def]
    """A signed journal entry, through the signing service."""
    import uuid

    from django.utils import timezone

    from journal.models import EntryKind
    from journal.services import entry_sign

    data: dict[str, object] = {
        "occurred_at": fields.pop("occurred_at", timezone.now()),
        "kind": fields.pop("kind", None) or EntryKind.objects.get(name="Samtal"),
        "text": text,
        "place": None,
        "plan": None,
        "session": None,
        "referral": None,
        **fields,
    }
    entry, _ = entry_sign(participant=participant, key=uuid.uuid4(), by=by, fields=data)
    return entry


def make_course(programme: Programme, *, by: User, start: datetime.date = TODAY, **fields):  # type: ignore[no-untyped-def]
    """A course with sessions on Mondays and Wednesdays at 09-11."""
    from treatment.services import course_create

    return course_create(
        programme=programme,
        name=fields.pop("name", f"Grupp {next(_names)}"),
        start_date=start,
        weekdays=fields.pop("weekdays", [0, 2]),
        starts_at=fields.pop("starts_at", datetime.time(9)),
        ends_at=fields.pop("ends_at", datetime.time(11)),
        place="Gruppen",
        leaders=[by],
        by=by,
    )
