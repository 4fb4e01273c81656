"""Demo data for referrals: every state of the path, a waiting list, boendestöd units,
outreach, collaboration meetings with actions, and the public information of each unit.

Identity numbers only from Skatteverket's test personnummer (born 1950-1959, a range the
participants' demo does not use)."""

from __future__ import annotations

import datetime

from lotsen.demo import DemoWorld, skatteverket_numbers
from lotsen.models import Programme, Unit
from participants.identity import parse_identity
from referrals.models import (
    WEB_CONSENT,
    ActionFollowUp,
    CollaborationAction,
    CollaborationMeeting,
    HousingSupportUnit,
    Initiator,
    IsaPresented,
    OutreachKind,
    PublicUnitInfo,
    Status,
)
from referrals.services import (
    meeting_held,
    outreach_record,
    referral_accept,
    referral_create,
    referral_move,
    referral_register_person,
)

DAY = datetime.timedelta(days=1)
PUBLIC = {
    "lotsen": (
        "Lotsen är en mötesplats och dagverksamhet för vuxna. Här kan du fika, göra "
        "aktiviteter tillsammans med andra och, om du vill, träna inför arbete eller studier.",
        "Exempelgatan 1, 582 22 Linköping",
        "013-00 00 01",
        "lotsen@example.se",
        "Måndag–fredag 9–16. Onsdagar även 17–20.",
        "Buss 3 och 13 till hållplats Exempeltorget, sedan 200 meter. Entré i gatuplan.",
    ),
    "hantverkshuset": (
        "Support och arbetsteamet hjälper dig att hitta och behålla ett arbete eller börja "
        "studera, med Supported Employment och IPS.",
        "Exempelvägen 2, 582 24 Linköping",
        "013-00 00 02",
        "hantverkshuset@example.se",
        "Måndag–fredag 8–16.30.",
        "",
    ),
    "beroendemottagningen": (
        "Beroendemottagningen erbjuder behandling i grupp för dig som vill förändra ditt "
        "bruk av alkohol eller droger.",
        "Exempelplan 3, 582 25 Linköping",
        "013-00 00 03",
        "beroende@example.se",
        "Måndag–fredag 8–16.30. Grupper även vissa kvällar.",
        "",
    ),
}
PEOPLE = [
    ("Agnes", "Holm"),
    ("Bertil", "Sund"),
    ("Clara", "Vik"),
    ("Dennis", "Lund"),
    ("Ebba", "Strand"),
    ("Folke", "Ek"),
    ("Gun", "Dahl"),
    ("Hugo", "Falk"),
    ("Inez", "Berg"),
    ("Jonas", "Ström"),
    ("Klara", "Nord"),
    ("Leo", "Sjö"),
]


def load(world: DemoWorld) -> None:
    today, staff = world.today, world.staff
    anna, omar, eva = staff["anna"], staff["omar"], staff["eva"]
    lotsen = Unit.objects.get(slug="lotsen")
    _public_info()
    housing = [
        HousingSupportUnit.objects.create(
            unit=lotsen, name=name, provider=provider, contact_name=contact
        )
        for name, provider, contact in (
            ("Boendestöd Öst", "Linköpings kommun", "Kim Andersson"),
            ("Boendestöd Väst", "Linköpings kommun", "Alex Berg"),
            ("Ryd boendestöd", "Omsorgsföretaget AB", "Sam Lind"),
        )
    ]
    outreach = _outreach(lotsen, housing, anna, omar, today)
    _meetings(lotsen, housing, anna, eva, today)
    _referrals(lotsen, housing, outreach, anna, omar, today)


def _public_info() -> None:
    for slug, (intro, address, phone, email, hours, directions) in PUBLIC.items():
        PublicUnitInfo.objects.create(
            unit=Unit.objects.get(slug=slug),
            introduction=intro,
            visiting_address=address,
            phone=phone,
            email=email,
            opening_hours=hours,
            how_to_get_there=directions,
        )


def _outreach(lotsen, housing, anna, omar, today):  # type: ignore[no-untyped-def]
    kinds = list(OutreachKind)
    activities = []
    for index in range(8):
        activities.append(
            outreach_record(
                by=anna if index % 2 else omar,
                participants=[],
                today=today,
                unit=lotsen,
                date=today - DAY * (20 + index * 40),
                housing_support_unit=housing[index % 3],
                kind=kinds[index % len(kinds)],
                people_reached=3 + index % 4,
                isa_presented=IsaPresented.YES if index % 3 else IsaPresented.NOBODY_YOUNG,
                notes="Berättade om dagverksamheten och förstegsträningen.",
            )
        )
    return activities


def _meetings(lotsen, housing, anna, eva, today) -> None:  # type: ignore[no-untyped-def]
    for index, unit in enumerate(housing):
        held = CollaborationMeeting.objects.create(
            unit=lotsen,
            housing_support_unit=unit,
            planned_on=today - DAY * (60 + index * 30),
            agenda="Hur når vi fler med boendestöd? Rutin för studiebesök.",
            created_by=eva,
        )
        meeting_held(
            meeting=held,
            held_on=held.planned_on,
            staff_attendees=[anna, eva],
            other_attendees=f"Två boendestödjare från {unit.name}",
            minutes="Vi bjuder in till studiebesök en gång i månaden.",
            by=eva,
        )
        done = CollaborationAction.objects.create(
            meeting=held,
            description="Skicka inbjudan till studiebesök",
            owner="Anna Lindqvist",
            due_on=held.planned_on + DAY * 14,
            created_by=eva,
        )
        done.done_on = held.planned_on + DAY * 10
        done.save()
        ActionFollowUp.objects.create(
            action=done,
            done_on=done.done_on,
            note="Inbjudan skickad; tre personer kom.",
            created_by=anna,
        )
        CollaborationAction.objects.create(
            meeting=held,
            description="Ta fram en gemensam broschyr",
            owner=unit.contact_name or unit.name,
            due_on=today + DAY * (index * 20 - 10),
            created_by=eva,
        )
        CollaborationMeeting.objects.create(
            unit=lotsen,
            housing_support_unit=unit,
            planned_on=today + DAY * (14 + index * 7),
            agenda="Uppföljning av åtgärderna.",
            created_by=eva,
        )


def _referrals(lotsen, housing, outreach, anna, omar, today) -> None:  # type: ignore[no-untyped-def]
    training = Programme.objects.get(slug="forstegstraning")
    drop_in = Programme.objects.get(slug="basverksamhet")
    numbers = iter(skatteverket_numbers(born_between=(1950, 1959)))
    people = iter(PEOPLE)

    def new(days_ago: int, programme: Programme, initiator: str, **extra):  # type: ignore[no-untyped-def]
        first, last = next(people)
        identity = parse_identity(next(numbers), today=today)
        referral, _ = referral_create(
            unit=lotsen,
            by=anna,
            programme=programme,
            initiator=initiator,
            received_on=today - DAY * days_ago,
            first_name=first,
            last_name=last,
            identity_number=identity.number,
            contact=f"070-{1000000 + days_ago * 137}",
            consent="Får kontaktas; vi får tala med anmälaren.",
            **extra,
        )
        return referral

    def move(referral, to, days_ago, note="", **extra):  # type: ignore[no-untyped-def]
        return referral_move(
            referral=referral,
            to=to,
            on=today - DAY * days_ago,
            note=note,
            by=anna,
            revision=None,
            today=today,
            **extra,
        )

    # As the web form saves it, without the managers' notice (nothing to tell in a demo).
    referral_create(
        unit=lotsen,
        by=None,
        initiator=Initiator.SELF_WEB,
        received_on=today,
        first_name="Maja",
        last_name="Web",
        contact="maja@example.se",
        programme=drop_in,
        interest="Jag vill träffa folk och kanske börja träna.",
        consent=WEB_CONSENT,
    )
    move(
        new(6, drop_in, Initiator.PRIMARY_CARE, referring_organisation="Vårdcentralen"),
        Status.CONTACTED,
        4,
    )
    intake = new(20, training, Initiator.PSYCHIATRY, referring_organisation="Psykiatrin")
    move(intake, Status.CONTACTED, 18)
    move(intake, Status.INTAKE, 10, "Informationsmöte; vill börja i köket.")
    # The waiting list for förstegsträning, which is nearly full (R22).
    for days, initiator, extra in (
        (
            95,
            Initiator.HOUSING_SUPPORT,
            {"housing_support_unit": housing[0], "outreach": outreach[2], "prioritised": True},
        ),
        (70, Initiator.SOCIAL_INSURANCE, {"referring_organisation": "Försäkringskassan"}),
        (41, Initiator.EMPLOYMENT_SERVICE, {"referring_organisation": "Arbetsförmedlingen"}),
        (12, Initiator.RELATIVE, {}),
    ):
        waiting = new(days, training, initiator, **extra)
        move(waiting, Status.CONTACTED, days - 2)
        move(waiting, Status.INTAKE, days - 5)
        move(waiting, Status.WAITING, days - 6, "Platserna är fulla.")
    accepted = new(
        60,
        drop_in,
        Initiator.HOUSING_SUPPORT,
        housing_support_unit=housing[1],
        outreach=outreach[1],
    )
    move(accepted, Status.CONTACTED, 58)
    move(accepted, Status.INTAKE, 50)
    identity = parse_identity(accepted.identity_number, today=today)
    referral_register_person(
        referral=accepted,
        by=anna,
        revision=None,
        identity_number=identity.number,
        identity_kind=identity.kind,
        birth_date=identity.birth_date,
        first_name=accepted.first_name,
        last_name=accepted.last_name,
        municipality=lotsen.home_municipality,
        phone=accepted.contact,
        has_housing_support=True,
    )
    accepted.refresh_from_db()
    referral_accept(
        referral=accepted,
        programme=drop_in,
        start_date=today - DAY * 40,
        on=today - DAY * 45,
        by=anna,
        revision=None,
        today=today,
    )
    declined = new(80, training, Initiator.OTHER)
    move(declined, Status.CONTACTED, 75)
    move(declined, Status.DECLINED, 70, "Bor i annan kommun och förvaltningen sa nej (R3).")
    withdrawn = new(30, drop_in, Initiator.SELF)
    move(withdrawn, Status.WITHDRAWN, 25, "Har fått arbete och vill inte längre.")
