"""L6: personnummer and samordningsnummer, normalised to 12 digits with clear messages."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from lotsen.demo import skatteverket_numbers
from participants.identity import SAMORDNINGSNUMMER, luhn_check_digit, parse_identity

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
