"""Referrals and their path to a place (R2), step by step with who and when."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse

from participants.models import Enrolment, Participant
from referrals.models import Initiator, Referral, ReferralStep, Status
from referrals.services import (
    ReferralConflict,
    referral_accept,
    referral_create,
    referral_move,
)
from tests.factories import TODAY, make_participant, make_place, make_referral

pytestmark = pytest.mark.django_db
D = datetime.date


def _move(referral, to, *, by, on=TODAY, note=""):  # type: ignore[no-untyped-def]
    return referral_move(
        referral=referral, to=to, on=on, note=note, by=by, revision=None, today=TODAY
    )


def test_r2_staff_record_who_initiated_the_referral(client, anna, lotsen, training) -> None:
    client.force_login(anna)
    response = client.post(
        reverse("referrals:create"),
        {
            "submission_key": "k1",
            "unit": lotsen.pk,
            "programme": training.pk,
            "initiator": Initiator.PSYCHIATRY,
            "referring_organisation": "Psykiatriska kliniken",
            "referrer_contact": "Dr Ek, 013-111111",
            "received_on": "2026-11-20",
            "first_name": "Sara",
            "last_name": "Nordin",
            "contact": "070-1234567",
            "consent": "Får kontaktas; vi får tala med kliniken.",
        },
    )
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert (referral.initiator, referral.referring_organisation) == (
        Initiator.PSYCHIATRY,
        "Psykiatriska kliniken",
    )
    step = referral.steps.get()
    assert (step.to_status, step.on, step.by) == (Status.RECEIVED, D(2026, 11, 20), anna)


def test_r2_a_double_submitted_referral_is_saved_once(client, anna, lotsen) -> None:
    client.force_login(anna)
    data = {
        "submission_key": "same-key",
        "unit": lotsen.pk,
        "initiator": Initiator.RELATIVE,
        "received_on": "2026-11-23",
        "first_name": "Sara",
        "contact": "070-1234567",
        "consent": "Får kontaktas.",
    }
    first = client.post(reverse("referrals:create"), data)
    second = client.post(reverse("referrals:create"), data, follow=True)
    assert Referral.objects.count() == 1
    assert first["Location"] == second.redirect_chain[0][0]
    assert "sparades inte två gånger" in second.content.decode()


def test_a_referral_for_a_registered_person_links_to_them(anna, lotsen, hantverkshuset) -> None:
    known = make_participant(lotsen, has_housing_support=True)
    elsewhere = make_participant(hantverkshuset, identity_number=known.identity_number)
    referral, _ = referral_create(
        unit=lotsen,
        by=anna,
        initiator=Initiator.SELF,
        received_on=TODAY,
        first_name="X",
        contact="070-1234567",
        consent="ok",
        identity_number=known.identity_number,
    )
    assert referral.participant == known != elsewhere
    assert referral.prioritised  # R4: has boendestöd


def test_the_whole_path_is_recorded_with_who_and_when(anna, omar, lotsen, training) -> None:
    person = make_participant(lotsen)
    referral = make_referral(
        lotsen, programme=training, participant=person, received_on=D(2026, 11, 2)
    )
    _move(referral, Status.CONTACTED, by=anna, on=D(2026, 11, 3))
    _move(referral, Status.INTAKE, by=omar, on=D(2026, 11, 10), note="Inskrivningssamtal")
    place = referral_accept(
        referral=referral,
        programme=training,
        start_date=D(2026, 12, 1),
        on=D(2026, 11, 20),
        hours_per_week=Decimal(10),
        contact_person=anna,
        by=omar,
        revision=None,
        today=TODAY,
    )
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED and referral.enrolment == place
    steps = list(referral.steps.values_list("from_status", "to_status", "on", "by__username"))
    assert steps == [
        ("", "received", D(2026, 11, 2), None),
        ("received", "contacted", D(2026, 11, 3), "anna"),
        ("contacted", "intake", D(2026, 11, 10), "omar"),
        ("intake", "accepted", D(2026, 11, 20), "omar"),
    ]
    assert place.participant == person and place.contact_person == anna
    # Every change is in the audit log as well.
    assert LogEntry.objects.get_for_object(referral).count() >= 4
    assert LogEntry.objects.filter(content_type__model="referralstep").count() == 4


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (Status.RECEIVED, Status.WAITING),
        (Status.DECLINED, Status.CONTACTED),
        (Status.WITHDRAWN, Status.INTAKE),
        (Status.ACCEPTED, Status.WITHDRAWN),
        (Status.INTAKE, Status.RECEIVED),
    ],
)
def test_an_illegal_step_is_refused_and_changes_nothing(anna, lotsen, training, start, to) -> None:
    referral = make_referral(lotsen, programme=training, status=start)
    with pytest.raises(ValidationError, match="kan inte gå till"):
        _move(referral, to, by=anna)
    referral.refresh_from_db()
    assert referral.status == start and referral.steps.count() == 1


def test_accepting_needs_the_intake_first(anna, lotsen, training) -> None:
    referral = make_referral(lotsen, programme=training, participant=make_participant(lotsen))
    with pytest.raises(ValidationError, match="kan inte gå till"):
        referral_accept(
            referral=referral,
            programme=training,
            start_date=TODAY,
            on=TODAY,
            hours_per_week=Decimal(10),
            contact_person=anna,
            by=anna,
            revision=None,
            today=TODAY,
        )
    assert not Enrolment.objects.exists()


def test_a_step_dated_before_the_previous_one_is_refused(anna, lotsen) -> None:
    referral = make_referral(lotsen, received_on=D(2026, 11, 10))
    with pytest.raises(ValidationError) as error:
        _move(referral, Status.CONTACTED, by=anna, on=D(2026, 11, 9))
    assert "före föregående steg (2026-11-10)" in str(error.value)
    _move(referral, Status.CONTACTED, by=anna, on=D(2026, 11, 12))
    with pytest.raises(ValidationError, match="före föregående steg"):
        _move(referral, Status.INTAKE, by=anna, on=D(2026, 11, 11))
    with pytest.raises(ValidationError, match="i framtiden"):
        _move(referral, Status.INTAKE, by=anna, on=D(2026, 11, 24))


def test_declining_needs_a_reason(anna, lotsen) -> None:
    referral = make_referral(lotsen)
    with pytest.raises(ValidationError, match="skälet"):
        _move(referral, Status.DECLINED, by=anna, note="  ")
    _move(referral, Status.DECLINED, by=anna, note="Bor i annan kommun (R3)")
    referral.refresh_from_db()
    assert referral.decline_reason == "Bor i annan kommun (R3)"


def test_r22_the_waiting_list_needs_a_programme(anna, lotsen, training) -> None:
    referral = make_referral(lotsen, status=Status.INTAKE)
    with pytest.raises(ValidationError, match="väntar på"):
        _move(referral, Status.WAITING, by=anna)
    referral_move(
        referral=referral,
        to=Status.WAITING,
        on=TODAY,
        by=anna,
        revision=None,
        today=TODAY,
        programme=training,
    )
    referral.refresh_from_db()
    assert referral.status == Status.WAITING and referral.programme == training


def test_r8_a_full_programme_on_accept_leaves_the_referral_as_it_was(anna, lotsen, isa) -> None:
    for _ in range(6):
        make_place(make_participant(lotsen, young=True), isa, contact_person=anna)
    person = make_participant(lotsen, young=True)
    referral = make_referral(lotsen, programme=isa, participant=person, status=Status.INTAKE)
    with pytest.raises(ValidationError, match="Programmet är fullt"):
        referral_accept(
            referral=referral,
            programme=isa,
            start_date=TODAY,
            on=TODAY,
            hours_per_week=Decimal(10),
            contact_person=anna,
            by=anna,
            revision=None,
            today=TODAY,
        )
    referral.refresh_from_db()
    assert referral.status == Status.INTAKE and referral.revision == 1
    assert referral.steps.count() == 1 and not person.enrolments.exists()


def test_r8_full_programme_page_offers_the_waiting_list_and_keeps_the_input(
    client, anna, lotsen, isa
) -> None:
    for _ in range(6):
        make_place(make_participant(lotsen, young=True), isa, contact_person=anna)
    person = make_participant(lotsen, young=True)
    referral = make_referral(lotsen, programme=isa, participant=person, status=Status.INTAKE)
    client.force_login(anna)
    response = client.post(
        reverse("referrals:accept", args=[referral.pk]),
        {
            "programme": isa.pk,
            "on": "2026-11-23",
            "start_date": "2026-11-23",
            "hours_per_week": "12",
            "contact_person": anna.pk,
            "note": "Kan börja direkt",
            "revision": referral.revision,
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Programmet är fullt" in page and "Sätt på väntelistan" in page
    assert "Kan börja direkt" in page and 'value="12"' in page
    # The offered button puts the person on the waiting list for that programme.
    client.post(
        reverse("referrals:step", args=[referral.pk]),
        {
            "to": "waiting",
            "on": "2026-11-23",
            "note": "",
            "programme": isa.pk,
            "revision": referral.revision,
        },
    )
    referral.refresh_from_db()
    assert referral.status == Status.WAITING and referral.programme == isa


def test_a_place_cannot_start_before_the_referral_was_received(
    client, anna, lotsen, training
) -> None:
    person = make_participant(lotsen)
    referral = make_referral(
        lotsen,
        programme=training,
        participant=person,
        status=Status.INTAKE,
        received_on=D(2026, 11, 20),
    )
    client.force_login(anna)
    response = client.post(
        reverse("referrals:accept", args=[referral.pk]),
        {
            "programme": training.pk,
            "on": "2026-11-23",
            "start_date": "2026-11-01",
            "hours_per_week": "12",
            "contact_person": anna.pk,
            "note": "Kan börja direkt",
            "revision": referral.revision,
        },
    )
    page = response.content.decode()
    assert response.status_code == 400 and not person.enrolments.exists()
    assert "Startdatumet ligger före anmälans mottagningsdatum (2026-11-20)" in page
    assert 'value="2026-11-01"' in page and "Kan börja direkt" in page
    referral.refresh_from_db()
    assert referral.status == Status.INTAKE


def test_two_staff_acting_on_the_same_referral_the_second_is_told(
    client, anna, omar, lotsen
) -> None:
    referral = make_referral(lotsen)
    stale = referral.revision
    referral_move(
        referral=referral, to=Status.CONTACTED, on=TODAY, by=omar, revision=stale, today=TODAY
    )
    with pytest.raises(ReferralConflict):
        referral_move(
            referral=referral,
            to=Status.DECLINED,
            on=TODAY,
            note="Nej",
            by=anna,
            revision=stale,
            today=TODAY,
        )
    client.force_login(anna)
    response = client.post(
        reverse("referrals:step", args=[referral.pk]),
        {"to": "intake", "on": "2026-11-23", "note": "", "revision": stale},
    )
    assert response.status_code == 409
    assert "Någon annan har ändrat anmälan medan du skrev" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.CONTACTED and referral.steps.count() == 2


def test_a_step_from_a_stale_page_names_the_colleagues_step_and_keeps_the_note(
    client, anna, eva, lotsen
) -> None:
    """Two tabs: a colleague registers contact, then this page offers contact again."""
    referral = make_referral(lotsen)
    stale = referral.revision
    _move(referral, Status.CONTACTED, by=anna)
    client.force_login(eva)
    response = client.post(
        reverse("referrals:step", args=[referral.pk]),
        {"to": "contacted", "on": "2026-11-23", "note": "Ringde, bokat möte.", "revision": stale},
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "Någon annan har ändrat anmälan medan du skrev" in page
    assert "står nu i steget ”kontakt tagen”, registrerat av Anna Lindqvist" in page
    assert "Ringde, bokat möte." in page
    assert "finns inte bland" not in page and "contacted finns" not in page
    # The form now carries the current revision, so saving again goes through.
    referral.refresh_from_db()
    assert f'name="revision" value="{referral.revision}"' in page
    assert referral.steps.count() == 2


def test_a_note_from_a_stale_page_on_a_closed_referral_is_shown_unsaved(
    client, anna, eva, lotsen
) -> None:
    referral = make_referral(lotsen)
    stale = referral.revision
    _move(referral, Status.WITHDRAWN, by=anna)
    client.force_login(eva)
    response = client.post(
        reverse("referrals:step", args=[referral.pk]),
        {"to": "contacted", "on": "2026-11-23", "note": "Ringde, bokat möte.", "revision": stale},
    )
    page = response.content.decode()
    assert response.status_code == 409
    assert "Din anteckning, som inte är sparad" in page and "Ringde, bokat möte." in page
    assert referral.steps.count() == 2


def test_an_illegal_step_in_the_browser_gets_a_swedish_message(client, anna, lotsen) -> None:
    referral = make_referral(lotsen, status=Status.DECLINED, decline_reason="x")
    client.force_login(anna)
    response = client.post(
        reverse("referrals:step", args=[referral.pk]),
        {"to": "contacted", "on": "2026-11-23", "revision": referral.revision},
    )
    assert response.status_code == 400
    assert "Det steget går inte att ta nu" in response.content.decode()


def test_a_new_person_is_registered_from_the_referral_without_typing_twice(
    client, anna, lotsen
) -> None:
    referral = make_referral(
        lotsen,
        first_name="Sara",
        last_name="Nordin",
        identity_number="198501012382",
        contact="sara@example.se",
    )
    client.force_login(anna)
    form_page = client.get(reverse("referrals:register", args=[referral.pk])).content.decode()
    assert 'value="Sara"' in form_page and 'value="sara@example.se"' in form_page
    response = client.post(
        reverse("referrals:register", args=[referral.pk]),
        {
            "identity_number": "198501012382",
            "first_name": "Sara",
            "last_name": "Nordin",
            "unit": lotsen.pk,
            "email": "sara@example.se",
            "municipality": "Linköping",
        },
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    person = Participant.objects.get()
    assert referral.participant == person and person.email == "sara@example.se"
    assert anna in person.team.all()


def test_a_web_referral_is_matched_with_the_registered_person_by_name(client, anna, lotsen) -> None:
    person = make_participant(lotsen, first_name="Sara", last_name="Nordin")
    referral = make_referral(lotsen, first_name="sara", last_name="nordin", initiator="self_web")
    client.force_login(anna)
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Koppla till personen" in page
    client.post(
        reverse("referrals:link", args=[referral.pk]),
        {"participant": person.pk, "revision": referral.revision},
    )
    referral.refresh_from_db()
    assert referral.participant == person


def test_l4_a_referral_about_a_protected_person_is_only_for_their_team(
    client, anna, omar, eva, lotsen
) -> None:
    person = make_participant(lotsen, protected_identity=True)
    person.team.add(anna)
    referral = make_referral(lotsen, participant=person)
    for user, status in ((anna, 200), (eva, 200), (omar, 404)):
        client.force_login(user)
        assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == status
    client.force_login(omar)
    assert person.full_name not in client.get(reverse("referrals:list")).content.decode()


def test_l2_other_units_referrals_are_not_listed(client, henrik, lotsen) -> None:
    make_referral(lotsen, first_name="Hemlig")
    client.force_login(henrik)
    assert "Hemlig" not in client.get(reverse("referrals:list") + "?status=all").content.decode()


def test_reading_a_referral_is_logged(client, anna, lotsen) -> None:
    referral = make_referral(lotsen)
    client.force_login(anna)
    client.get(reverse("referrals:detail", args=[referral.pk]))
    assert LogEntry.objects.filter(
        object_pk=str(referral.pk), action=LogEntry.Action.ACCESS, actor=anna
    ).exists()


def test_steps_are_kept_in_their_own_table(anna, lotsen) -> None:
    referral = make_referral(lotsen)
    _move(referral, Status.WITHDRAWN, by=anna, note="Vill inte längre")
    assert ReferralStep.objects.filter(referral=referral).count() == 2


def test_l4_a_referral_is_not_linked_to_a_protected_person_the_user_cannot_see(
    anna, lotsen
) -> None:
    hidden = make_participant(lotsen, protected_identity=True)
    referral, _ = referral_create(
        unit=lotsen,
        by=anna,
        initiator=Initiator.SELF,
        received_on=TODAY,
        first_name="X",
        contact="070-1234567",
        consent="ok",
        identity_number=hidden.identity_number,
    )
    assert referral.participant is None


def test_search_by_name_stays_out_of_the_url(client, anna, lotsen) -> None:
    make_referral(lotsen, first_name="Sara", last_name="Nordin")
    make_referral(lotsen, first_name="Bo", last_name="Ek")
    client.force_login(anna)
    url = reverse("referrals:list") + "?status=all"
    response = client.post(url, {"q": "nord"})
    assert response.status_code == 302 and "nord" not in response["Location"].lower()
    page = client.get(url).content.decode()
    assert "Sara Nordin" in page and "Bo Ek" not in page
    client.post(url, {"clear": "1"})
    assert "Bo Ek" in client.get(url).content.decode()


def test_r2_the_persons_page_lists_their_referrals_at_the_users_units(
    client, anna, lotsen, training
) -> None:
    from django.urls import reverse

    from tests.factories import make_participant, make_referral

    person = make_participant(lotsen)
    mine = make_referral(lotsen, participant=person, programme=training, status="waiting")
    other = make_participant(lotsen)
    make_referral(lotsen, participant=other, received_on=datetime.date(2026, 1, 2))
    client.force_login(anna)
    page = client.get(reverse("participants:detail", args=[person.pk])).content.decode()
    assert reverse("referrals:detail", args=[mine.pk]) in page
    assert "På väntelistan" in page and "2026-01-02" not in page


def test_l6_a_number_typed_with_a_hyphen_is_accepted_and_stored_in_full(
    client, anna, lotsen
) -> None:
    """The field must not cut `19850505-2384` at the stored length of 12 characters."""
    client.force_login(anna)
    page = client.get(reverse("referrals:create")).content.decode()
    field = re.search(r'<input[^>]*name="identity_number"[^>]*>', page)
    assert field and 'maxlength="20"' in field.group()
    response = client.post(
        reverse("referrals:create"),
        {
            "submission_key": "k-hyphen",
            "unit": lotsen.pk,
            "initiator": Initiator.RELATIVE,
            "received_on": "2026-11-20",
            "first_name": "Sara",
            "identity_number": "19850505-2384",
            "contact": "070-1234567",
            "consent": "Får kontaktas.",
        },
    )
    assert response.status_code == 302
    assert Referral.objects.get().identity_number == "198505052384"
