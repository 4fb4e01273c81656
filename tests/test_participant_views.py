"""Registering a person and giving them a place through the pages; access per unit (L2)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from participants.identity import luhn_check_digit
from participants.models import Enrolment, Participant
from tests.factories import TODAY, make_participant, make_place, make_staff

pytestmark = pytest.mark.django_db

NUMBER = "198501012382"  # a Skatteverket test personnummer


def _form(**overrides: str) -> dict[str, str]:
    data = {
        "identity_number": "19850101-2382",
        "first_name": "Sara",
        "last_name": "Nordin",
        "municipality": "Linköping",
        "phone": "013-123456",
    }
    return {**data, **overrides}


def test_register_a_participant(client, anna, lotsen) -> None:
    client.force_login(anna)
    response = client.post(reverse("participants:create"), _form(unit=str(lotsen.pk)))
    person = Participant.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("participants:detail", args=[person.pk])
    assert person.identity_number == NUMBER
    assert person.unit == lotsen
    assert person.created_by == anna
    # Every change to personal data is in the audit trail with who made it.
    entry = LogEntry.objects.get_for_object(person).get(action=LogEntry.Action.CREATE)
    assert entry.actor == anna


def test_l6_invalid_personnummer_keeps_what_was_typed(client, anna, lotsen) -> None:
    client.force_login(anna)
    response = client.post(
        reverse("participants:create"),
        _form(unit=str(lotsen.pk), identity_number="19850101-2383"),
    )
    assert response.status_code == 200
    assert "Kontrollsiffran stämmer inte" in response.content.decode()
    assert 'value="Sara"' in response.content.decode()
    assert 'value="19850101-2383"' in response.content.decode()
    assert not Participant.objects.exists()


def test_second_registration_of_the_same_person_links_to_the_record(client, anna, lotsen) -> None:
    client.force_login(anna)
    client.post(reverse("participants:create"), _form(unit=str(lotsen.pk)))
    response = client.post(
        reverse("participants:create"), _form(unit=str(lotsen.pk), identity_number="850101-2382")
    )
    person = Participant.objects.get()
    assert "redan registrerad" in response.content.decode()
    assert reverse("participants:detail", args=[person.pk]) in response.content.decode()


def test_l2_registering_at_another_unit_reveals_nothing(
    client, henrik, lotsen, hantverkshuset
) -> None:
    """Units keep secrecy between them: the other unit gets a record of its own."""
    person = make_participant(lotsen, phone="013-999999")
    client.force_login(henrik)
    response = client.post(
        reverse("participants:create"),
        _form(unit=str(hantverkshuset.pk), identity_number=person.identity_number, phone=""),
    )
    assert response.status_code == 302
    theirs = Participant.objects.get(unit=hantverkshuset)
    assert theirs.pk != person.pk and theirs.phone == ""
    follow = client.get(response["Location"]).content.decode()
    assert "013-999999" not in follow and person.first_name not in follow


def test_concurrent_double_registration_is_caught_by_the_database(anna, lotsen) -> None:
    from django.db import IntegrityError, transaction

    person = make_participant(lotsen)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_participant(lotsen, identity_number=person.identity_number)


def test_r3_not_resident_needs_a_recorded_exception(client, anna, lotsen) -> None:
    client.force_login(anna)
    response = client.post(
        reverse("participants:create"), _form(unit=str(lotsen.pk), municipality="Norrköping")
    )
    assert "inte folkbokförd i Linköping" in response.content.decode()
    assert not Participant.objects.exists()
    response = client.post(
        reverse("participants:create"),
        _form(
            unit=str(lotsen.pk),
            municipality="Norrköping",
            residency_exception_reason="Flyttar till Linköping i januari",
            residency_exception_agreed_by="Handläggare på SOF",
            residency_exception_date="2026-11-20",
        ),
    )
    assert response.status_code == 302
    assert Participant.objects.get().residency_exception_agreed_by == "Handläggare på SOF"


def test_l2_reading_a_record_is_logged(client, anna, lotsen) -> None:
    person = make_participant(lotsen)
    client.force_login(anna)
    assert client.get(reverse("participants:detail", args=[person.pk])).status_code == 200
    entry = LogEntry.objects.get_for_object(person).get(action=LogEntry.Action.ACCESS)
    assert entry.actor == anna


@pytest.mark.parametrize("name", ["participants:detail", "participants:enrol"])
def test_l2_another_units_staff_get_404_and_anonymous_must_log_in(
    client, henrik, lotsen, name
) -> None:
    person = make_participant(lotsen)
    url = reverse(name, args=[person.pk])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(henrik)
    assert client.get(url).status_code == 404
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists()


def test_l2_the_list_shows_only_my_units_people(
    client, anna, henrik, lotsen, hantverkshuset
) -> None:
    mine = make_participant(lotsen, last_name="Minsson")
    theirs = make_participant(hantverkshuset, last_name="Derassonsson")
    client.force_login(anna)
    content = client.get(reverse("participants:list")).content.decode()
    assert mine.last_name in content
    assert theirs.last_name not in content
    client.logout()
    assert client.get(reverse("participants:list")).status_code == 302


def test_list_keeps_a_fixed_number_of_queries(
    client, anna, lotsen, training, django_assert_max_num_queries
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(anna)
    url = reverse("participants:list") + f"?programme={training.pk}&status=active"

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    for _ in range(3):
        make_place(make_participant(lotsen), training, contact_person=anna)
    few = count()
    for _ in range(60):
        make_place(make_participant(lotsen), training, contact_person=anna)
    assert count() == few
    with django_assert_max_num_queries(11):  # the page's rows bring their count
        response = client.get(url)
    assert response.context["page"].paginator.count == 63


def test_enrol_in_training_through_the_page(client, anna, lotsen, training) -> None:
    person = make_participant(lotsen)
    client.force_login(anna)
    response = client.post(
        reverse("participants:enrol", args=[person.pk]),
        {
            "programme": training.pk,
            "start_date": TODAY.isoformat(),
            "hours_per_week": "12",
            "contact_person": anna.pk,
        },
    )
    assert response.status_code == 302
    place = Enrolment.objects.get()
    assert place.hours_per_week == Decimal(12) and place.contact_person == anna


def test_r5_full_programme_message_on_the_page_keeps_the_input(
    client, anna, lotsen, training
) -> None:
    for _ in range(3):
        make_place(make_participant(lotsen), training, hours=35, contact_person=anna)
    person = make_participant(lotsen)
    client.force_login(anna)
    response = client.post(
        reverse("participants:enrol", args=[person.pk]),
        {
            "programme": training.pk,
            "start_date": TODAY.isoformat(),
            "hours_per_week": "8",
            "contact_person": anna.pk,
        },
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Platserna är fulla" in content and "105" in content
    assert 'value="8"' in content
    assert not person.enrolments.exists()


def test_double_submitted_enrolment_creates_one_place(client, anna, lotsen, training) -> None:
    person = make_participant(lotsen)
    client.force_login(anna)
    data = {
        "programme": training.pk,
        "start_date": TODAY.isoformat(),
        "hours_per_week": "10",
        "contact_person": anna.pk,
    }
    client.post(reverse("participants:enrol", args=[person.pk]), data)
    response = client.post(reverse("participants:enrol", args=[person.pk]), data)
    assert "redan en plats" in response.content.decode()
    assert person.enrolments.count() == 1


def test_enrol_form_offers_only_my_units_programmes_and_staff(client, anna, henrik, lotsen) -> None:
    person = make_participant(lotsen)
    client.force_login(anna)
    form = client.get(reverse("participants:enrol", args=[person.pk])).context["form"]
    assert {p.unit for p in form.fields["programme"].queryset} == {lotsen}
    assert henrik not in form.fields["contact_person"].queryset


def test_visit_double_submit_counts_once(client, anna, lotsen, drop_in) -> None:
    person = make_participant(lotsen)
    client.force_login(anna)
    data = {"programme": drop_in.pk, "date": TODAY.isoformat()}
    url = reverse("participants:visit", args=[person.pk])
    client.post(url, data)
    response = client.post(url, data, follow=True)
    assert "redan registrerat" in response.content.decode()
    assert person.visits.count() == 1


def test_check_digit_helper_matches_the_test_numbers() -> None:
    assert luhn_check_digit(NUMBER[2:11]) == int(NUMBER[-1])


def test_l6_reserve_identity_needs_a_birth_date_and_no_number(client, anna, lotsen) -> None:
    client.force_login(anna)
    url = reverse("participants:create")
    data = _form(unit=str(lotsen.pk), identity_number="", reserve_identity="on")
    response = client.post(url, data)
    assert "Ange födelsedatum" in response.content.decode()
    both = client.post(
        url, {**data, "identity_number": "19850101-2382", "birth_date": "1985-01-01"}
    )
    assert "Lämna numret tomt" in both.content.decode()
    assert client.post(url, {**data, "birth_date": "1985-01-01"}).status_code == 302
    person = Participant.objects.get()
    assert person.identity_number is None and person.identity_kind == "reserve"
    assert person.formatted_identity == f"reservidentitet R-{person.pk}"
    # The page names the reserve identity once, not "Reservidentitet reservidentitet R-…".
    page = client.get(reverse("participants:detail", args=[person.pk])).content.decode()
    assert f"Reservidentitet R-{person.pk}" in page
    assert "reservidentitet reservidentitet" not in page.lower()


def test_l6_a_number_or_a_reserve_identity_is_required(client, anna, lotsen) -> None:
    client.force_login(anna)
    response = client.post(
        reverse("participants:create"), _form(unit=str(lotsen.pk), identity_number="")
    )
    assert "eller välj reservidentitet" in response.content.decode()


def test_similar_name_and_birth_date_warns_before_registering(client, anna, lotsen) -> None:
    client.force_login(anna)
    url = reverse("participants:create")
    first = _form(
        unit=str(lotsen.pk), identity_number="", reserve_identity="on", birth_date="1985-01-01"
    )
    assert client.post(url, first).status_code == 302
    again = _form(unit=str(lotsen.pk), first_name="SARA", last_name="Nordin-Ek")
    response = client.post(url, again)
    assert "samma födelsedatum och liknande namn" in response.content.decode()
    assert Participant.objects.count() == 1
    assert client.post(url, {**again, "confirm_new_person": "on"}).status_code == 302
    assert Participant.objects.count() == 2


def test_l4_protected_person_is_seen_only_by_staff_who_work_with_them(
    client, anna, omar, eva, lotsen, training
) -> None:
    person = make_participant(
        lotsen, protected_identity=True, last_name="Skyddadsson", address="Hemliga gatan 1"
    )
    url = reverse("participants:detail", args=[person.pk])
    client.force_login(omar)
    assert client.get(url).status_code == 404
    assert "Skyddadsson" not in client.get(reverse("participants:list")).content.decode()
    make_place(person, training, contact_person=omar)
    assert client.get(url).status_code == 200
    client.force_login(anna)
    assert client.get(url).status_code == 404
    person.team.add(anna)
    assert client.get(url).status_code == 200
    # Address and contact details never appear in a list.
    assert "Hemliga gatan" not in client.get(reverse("participants:list")).content.decode()
    client.force_login(eva)
    assert client.get(url).status_code == 200


def test_l4_protected_persons_place_plan_and_capacity_entry_are_hidden_from_others(
    client, anna, omar, lotsen, training
) -> None:
    import datetime as dt

    from tests.factories import make_plan

    person = make_participant(lotsen, protected_identity=True, last_name="Skyddadsson")
    place = make_place(person, training, contact_person=omar, start=dt.date(2026, 11, 1))
    plan = make_plan(place, established_on=dt.date(2026, 11, 2), by=omar)
    client.force_login(anna)
    for url in (
        reverse("participants:place", kwargs={"place_pk": place.pk}),
        reverse("plans:detail", args=[plan.pk]),
        reverse("plans:edit", args=[plan.pk]),
        reverse("plans:pdf", args=[plan.pk]),
        reverse("plans:create", args=[place.pk]),
    ):
        assert client.get(url).status_code == 404, url
    capacity = client.get(
        reverse("participants:capacity", kwargs={"programme_pk": training.pk})
    ).content.decode()
    assert "Skyddadsson" not in capacity and "skyddade personuppgifter" in capacity
    client.force_login(omar)
    assert (
        "Skyddadsson"
        in client.get(
            reverse("participants:capacity", kwargs={"programme_pk": training.pk})
        ).content.decode()
    )


def test_end_before_start_on_the_enrol_page_keeps_the_input(client, anna, lotsen, training) -> None:
    person = make_participant(lotsen)
    client.force_login(anna)
    response = client.post(
        reverse("participants:enrol", args=[person.pk]),
        {
            "programme": training.pk,
            "start_date": "2026-11-23",
            "end_date": "2026-11-01",
            "hours_per_week": "10",
            "contact_person": anna.pk,
        },
    )
    content = response.content.decode()
    assert "Slutdatumet ligger före startdatumet" in content and 'value="2026-11-01"' in content
    assert not person.enrolments.exists()


def test_the_places_column_with_start_and_end_is_headed_period(
    client, anna, lotsen, training
) -> None:
    person = make_participant(lotsen)
    make_place(person, training, contact_person=anna)
    client.force_login(anna)
    page = client.get(reverse("participants:detail", args=[person.pk])).content.decode()
    heading = page.split('id="now"')[1].split("</thead>")[0]
    assert ">Period</th>" in heading and "Sedan" not in heading


def test_a_contact_person_without_a_name_is_shown_by_a_marked_username(
    client, anna, lotsen, training
) -> None:
    person = make_participant(lotsen)
    place = make_place(person, training, contact_person=make_staff("kim", lotsen))
    client.force_login(anna)
    marked = "kim (användarnamn, inget namn angivet)"
    assert marked in client.get(reverse("participants:detail", args=[person.pk])).content.decode()
    assert marked in client.get(reverse("participants:place", args=[place.pk])).content.decode()
