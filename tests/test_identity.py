"""L6: personnummer and samordningsnummer, normalised to 12 digits with clear messages."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from lotsen.demo import skatteverket_numbers
from participants.identity import (
    SAMORDNINGSNUMMER,
    luhn_check_digit,
    mentions_identity_number,
    parse_identity,
)

TODAY = datetime.date(2026, 11, 23)


def test_l6_every_skatteverket_test_number_is_accepted() -> None:
    numbers = skatteverket_numbers(born_between=(1890, 2026))
    assert len(numbers) > 40_000
    for number in numbers:
        assert parse_identity(number, today=TODAY).number == number


@pytest.mark.parametrize(
    "written",
    ["199001019802", "19900101-9802", "900101-9802", "9001019802", " 19900101 - 9802 "],
)
def test_l6_written_forms_normalise_to_twelve_digits(written: str) -> None:
    number = "19900101" + "980" + str(luhn_check_digit("900101980"))
    identity = parse_identity(written.replace("9802", number[8:]), today=TODAY)
    assert identity.number == number
    assert identity.birth_date == datetime.date(1990, 1, 1)


def test_l6_plus_sign_means_a_hundred_years_or_older() -> None:
    check = luhn_check_digit("200101980")
    assert parse_identity(f"200101+980{check}", today=TODAY).birth_date.year == 1920
    assert parse_identity(f"200101-980{check}", today=TODAY).birth_date.year == 2020


def test_l6_samordningsnummer_has_sixty_added_to_the_day() -> None:
    check = luhn_check_digit("900161980")
    identity = parse_identity(f"19900161-980{check}", today=TODAY)
    assert identity.kind == SAMORDNINGSNUMMER
    assert identity.birth_date == datetime.date(1990, 1, 1)
    assert identity.number == f"19900161980{check}"


def test_l6_wrong_check_digit_says_so_in_swedish() -> None:
    good = "199001019802"
    wrong = good[:-1] + str((int(good[-1]) + 1) % 10)
    with pytest.raises(ValidationError) as error:
        parse_identity(wrong, today=TODAY)
    assert error.value.code == "check_digit"
    assert "Kontrollsiffran" in error.value.messages[0]


def test_l6_impossible_date_is_rejected() -> None:
    digits = "900230980"  # 30 February
    with pytest.raises(ValidationError) as error:
        parse_identity(f"19{digits}{luhn_check_digit(digits)}", today=TODAY)
    assert error.value.code == "date"


def test_l6_future_birth_date_is_rejected() -> None:
    digits = "271231980"
    with pytest.raises(ValidationError) as error:
        parse_identity(f"20{digits}{luhn_check_digit(digits)}", today=TODAY)
    assert error.value.code == "future"
    assert "framtiden" in error.value.messages[0]


@pytest.mark.parametrize("written", ["", "abc", "1990-01-01", "19900101-98021"])
def test_l6_wrong_format_explains_the_format(written: str) -> None:
    with pytest.raises(ValidationError) as error:
        parse_identity(written, today=TODAY)
    assert error.value.code == "format"
    assert "ÅÅÅÅMMDD-NNNN" in error.value.messages[0]


SAMORDNING = "770765" + "238" + str(luhn_check_digit("770765238"))


@pytest.mark.parametrize(
    "text",
    [
        "Mitt personnummer är 19770705-2382.",
        "pnr 197707052382",
        "770705-2382",
        "7707052382",
        "född 770705+2382",
        "19770705-2383",  # a mistyped check digit still all but names the person
        "200501012389",
        f"samordningsnummer {SAMORDNING}",
    ],
)
def test_l6_an_identity_number_in_free_text_is_found(text: str) -> None:
    assert mentions_identity_number(text, today=TODAY)


@pytest.mark.parametrize(
    "text",
    [
        "Ring mig på 070-123 45 67 eller 013-20 60 00.",
        "0701234567",
        "0501012389",  # ten digits together starting with 0: a phone number's shape
        "7707052383",  # ten digits together with a wrong check digit
        "+46 70 123 45 67, +46701234567",
        "Sedan 2026-11-23, kl. 13.00. Jag är 49 år och har 2 barn.",
        "770732-2382",  # no such day
        "1234567890123",
    ],
)
def test_ordinary_numbers_in_free_text_are_not_taken_for_identity_numbers(text: str) -> None:
    assert not mentions_identity_number(text, today=TODAY)
