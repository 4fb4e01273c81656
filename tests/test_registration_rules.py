"""The registration rules through the service, with no form in between (an import, an API
or a shell takes this way): residency (R3), identity (L6), one record per person and unit."""

from __future__ import annotations

import datetime
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from participants import services
from participants.identity import luhn_check_digit
from participants.models import IdentityKind, Participant
from participants.services import participant_register
from tests.factories import TODAY, make_participant

pytestmark = pytest.mark.django_db

NUMBER = "198501012382"  # a Skatteverket test personnummer
EXCEPTION = {
    "residency_exception_reason": "Flyttar till Linköping i januari",
    "residency_exception_agreed_by": "Handläggare på SOF",
    "residency_exception_date": datetime.date(2026, 11, 20),
}


def _register(unit, by, **overrides: Any) -> Participant:  # type: ignore[no-untyped-def]
    fields = {
        "identity_number": NUMBER,
        "identity_kind": IdentityKind.PERSONNUMMER,
        "birth_date": datetime.date(1985, 1, 1),
        "first_name": "Sara",
        "last_name": "Nordin",
        "municipality": "Linköping",
        **overrides,
    }
    return participant_register(by=by, unit=unit, **fields)


def _refused(unit, by, **overrides: Any) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as error:
        _register(unit, by, **overrides)
    assert not Participant.objects.filter(first_name="Sara").exists()
    return error.value.message_dict


def test_a_resident_with_a_valid_number_is_registered(anna, lotsen) -> None:
    person = _register(lotsen, anna, municipality="linköping ")
    assert (person.unit, person.created_by, list(person.team.all())) == (lotsen, anna, [anna])


@pytest.mark.parametrize("missing", list(EXCEPTION))
def test_r3_an_exception_needs_reason_who_agreed_and_date(anna, lotsen, missing) -> None:
    errors = _refused(lotsen, anna, municipality="Norrköping", **{**EXCEPTION, missing: ""})
    assert list(errors) == [missing]
    assert "inte folkbokförd i Linköping" in errors[missing][0]
    assert "(R3)" not in errors[missing][0]


def test_r3_not_resident_with_a_recorded_exception_is_registered(anna, lotsen) -> None:
    person = _register(lotsen, anna, municipality="Norrköping", **EXCEPTION)
    assert person.residency_exception_agreed_by == "Handläggare på SOF"


def test_r3_the_municipality_must_be_given(anna, lotsen) -> None:
    assert list(_refused(lotsen, anna, municipality=" ")) == ["municipality"]


def test_r3_a_blank_reason_is_no_reason(anna, lotsen) -> None:
    errors = _refused(
        lotsen, anna, municipality="Norrköping", **{**EXCEPTION, "residency_exception_reason": " "}
    )
    assert list(errors) == ["residency_exception_reason"]


def test_l6_a_number_or_a_reserve_identity_is_required(anna, lotsen) -> None:
    errors = _refused(lotsen, anna, identity_number=None, identity_kind="")
    assert "eller välj reservidentitet" in errors["identity_number"][0]


def test_l6_a_reserve_identity_has_no_number(anna, lotsen) -> None:
    errors = _refused(lotsen, anna, identity_kind=IdentityKind.RESERVE)
    assert "Lämna numret tomt" in errors["identity_number"][0]


def test_l6_a_reserve_identity_needs_a_birth_date_not_in_the_future(anna, lotsen) -> None:
    reserve = {"identity_number": None, "identity_kind": IdentityKind.RESERVE}
    missing = _refused(lotsen, anna, **reserve, birth_date=None)
    assert "Ange födelsedatum" in missing["birth_date"][0]
    future = _refused(lotsen, anna, **reserve, birth_date=TODAY + datetime.timedelta(days=1))
    assert "framtiden" in future["birth_date"][0]
    person = _register(lotsen, anna, **reserve)
    assert person.identity_number is None and person.birth_date == datetime.date(1985, 1, 1)


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"identity_number": "198501012383"}, "Kontrollsiffran"),
        ({"identity_number": "8501012382"}, "12 siffror"),
        ({"identity_number": "19850101-2382"}, "12 siffror"),
        ({"identity_kind": IdentityKind.SAMORDNINGSNUMMER}, "stämmer inte med numret"),
        ({"birth_date": datetime.date(1985, 1, 2)}, "stämmer inte med numret"),
        ({"birth_date": None}, "stämmer inte med numret"),
    ],
)
def test_l6_the_number_is_valid_and_agrees_with_kind_and_birth_date(
    anna, lotsen, overrides, words
) -> None:
    assert words in _refused(lotsen, anna, **overrides)["identity_number"][0]


def test_l6_a_samordningsnummer_is_registered(anna, lotsen) -> None:
    # Day 01 + 60, a test serial as in Skatteverket's numbers, and its check digit.
    number = f"19900161980{luhn_check_digit('900161980')}"
    person = _register(
        lotsen,
        anna,
        identity_number=number,
        identity_kind=IdentityKind.SAMORDNINGSNUMMER,
        birth_date=datetime.date(1990, 1, 1),
    )
    assert person.identity_kind == IdentityKind.SAMORDNINGSNUMMER


def test_the_same_person_twice_at_a_unit_is_refused_with_the_first_record(anna, lotsen) -> None:
    first = make_participant(lotsen, identity_number=NUMBER, first_name="Första")
    with pytest.raises(ValidationError) as error:
        _register(lotsen, anna)
    [duplicate] = error.value.error_dict["identity_number"]
    assert (duplicate.code, duplicate.params) == ("duplicate", {"pk": first.pk})
    assert Participant.objects.filter(identity_number=NUMBER).count() == 1


def test_l2_the_same_person_at_another_unit_gets_a_record_of_its_own(
    henrik, lotsen, hantverkshuset
) -> None:
    make_participant(lotsen, identity_number=NUMBER)
    assert _register(hantverkshuset, henrik).unit == hantverkshuset


def test_a_double_saved_in_between_is_refused_in_words_not_a_database_error(anna, lotsen) -> None:
    """Two staff registering the same person at once: the check passes for both, the
    unique constraint stops the second, and the service says why."""
    real_check = services.check_registration_rules

    def check_then_someone_else_saves(participant: Participant) -> None:
        real_check(participant)
        if not Participant.objects.filter(identity_number=NUMBER).exists():
            make_participant(lotsen, identity_number=NUMBER)

    with (
        mock.patch.object(
            services, "check_registration_rules", side_effect=check_then_someone_else_saves
        ),
        pytest.raises(ValidationError) as error,
    ):
        _register(lotsen, anna)
    assert error.value.error_dict["identity_number"][0].code == "duplicate"


def test_a_double_saved_while_the_form_was_checked_is_shown_with_a_link(
    client, anna, lotsen
) -> None:
    """The page's way in: someone saves the person between the form's check and the save."""
    client.force_login(anna)
    saved_meanwhile: list[Participant] = []

    def someone_else_first(**kwargs: Any) -> Participant:
        saved_meanwhile.append(make_participant(lotsen, identity_number=NUMBER))
        return participant_register(**kwargs)

    form = {
        "identity_number": "19850101-2382",
        "first_name": "Sara",
        "last_name": "Nordin",
        "municipality": "Linköping",
        "unit": str(lotsen.pk),
    }
    with mock.patch("participants.views.participant_register", side_effect=someone_else_first):
        response = client.post(reverse("participants:create"), form)
    assert response.status_code == 200
    page = response.content.decode()
    assert "redan registrerad" in page
    assert reverse("participants:detail", args=[saved_meanwhile[0].pk]) in page
