"""Swedish identity numbers (L6): personnummer and samordningsnummer.

Written here rather than taken from a library because staff need to be told
*which* part is wrong (check digit, date, future birth date) in Swedish, and the
libraries only answer valid / invalid.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PERSONNUMMER = "personnummer"
SAMORDNINGSNUMMER = "samordningsnummer"
RESERVE = "reserve"

_PATTERN = re.compile(
    r"^(?P<century>\d{2})?(?P<date>\d{6})(?P<sep>[-+]?)(?P<serial>\d{3})(?P<check>\d)$"
)


@dataclass(frozen=True)
class Identity:
    number: str  # always 12 digits, with the century
    kind: str
    birth_date: datetime.date

    @property
    def formatted(self) -> str:
        return f"{self.number[:8]}-{self.number[8:]}"


def luhn_check_digit(nine_digits: str) -> int:
    total = 0
    for index, char in enumerate(nine_digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def parse_identity(raw: str, *, today: datetime.date) -> Identity:
    """Normalise a personnummer or samordningsnummer to 12 digits or raise ValidationError."""
    text = re.sub(r"\s", "", raw or "")
    match = _PATTERN.match(text)
    if not match:
        raise ValidationError(
            _("Skriv numret som ÅÅÅÅMMDD-NNNN (12 siffror), t.ex. 19900101-1234."),
            code="format",
        )
    date_digits, serial, check = match["date"], match["serial"], match["check"]
    if luhn_check_digit(date_digits + serial) != int(check):
        raise ValidationError(
            _("Kontrollsiffran stämmer inte. Kontrollera att alla siffror är rätt skrivna."),
            code="check_digit",
        )
    day = int(date_digits[4:6])
    kind = SAMORDNINGSNUMMER if day > 60 else PERSONNUMMER
    real_day = day - 60 if kind == SAMORDNINGSNUMMER else day
    century = match["century"] or _infer_century(
        date_digits, real_day, centenarian=match["sep"] == "+", today=today
    )
    try:
        birth_date = datetime.date(int(century + date_digits[:2]), int(date_digits[2:4]), real_day)
    except ValueError:
        raise ValidationError(
            _("Datumet i numret finns inte. Kontrollera år, månad och dag."), code="date"
        ) from None
    if birth_date > today:
        raise ValidationError(
            _("Födelsedatumet ligger i framtiden. Kontrollera årtalet."), code="future"
        )
    number = f"{birth_date.year:04d}{date_digits[2:4]}{date_digits[4:6]}{serial}{check}"
    return Identity(number=number, kind=kind, birth_date=birth_date)


# In free text: 12 digits (century 18, 19 or 20), or 6 + 4 digits with "-" or "+" between,
# or 10 digits together; never part of a longer run of digits.
_IN_TEXT = re.compile(
    r"(?<!\d)(?P<century>18|19|20)?(?P<date>\d{6})(?P<sep>[-+]?)(?P<serial>\d{3})(?P<check>\d)(?!\d)"
)


def mentions_identity_number(text: str, *, today: datetime.date) -> bool:
    """Whether free text holds what looks like a personnummer or samordningsnummer.

    A real birth date is enough in the shapes phone numbers never take (12 digits, or a
    "-"/"+" after the date): a mistyped check digit still all but names the person. Ten
    digits together is also how phone numbers are written (0701234567), so there the check
    digit must be right and a leading 0 (a Swedish phone number) lets it pass."""
    for match in _IN_TEXT.finditer(text or ""):
        date_digits = match["date"]
        if not _is_birth_date(date_digits, match["century"], today=today):
            continue
        if match["century"] or match["sep"]:
            return True
        right = luhn_check_digit(date_digits + match["serial"]) == int(match["check"])
        if right and not date_digits.startswith("0"):
            return True
    return False


def _is_birth_date(date_digits: str, century: str | None, *, today: datetime.date) -> bool:
    day = int(date_digits[4:6])
    real_day = day - 60 if day > 60 else day
    century = century or _infer_century(date_digits, real_day, centenarian=False, today=today)
    try:
        datetime.date(int(century + date_digits[:2]), int(date_digits[2:4]), real_day)
    except ValueError:
        return False
    return True


def identity_errors(
    *, number: str | None, kind: str, birth_date: datetime.date | None, today: datetime.date
) -> dict[str, list[str]]:
    """L6: a 12-digit number that agrees with the kind and birth date, or a reserve identity
    with a birth date and no number. Messages keyed by field; empty when all is well."""
    if kind == RESERVE:
        return _reserve_errors(number, birth_date, today)
    if not number:
        return {
            "identity_number": [
                _("Skriv personnummer eller samordningsnummer, eller välj reservidentitet.")
            ]
        }
    try:
        identity = parse_identity(number, today=today)
    except ValidationError as error:
        return {"identity_number": error.messages}
    if identity.number != number:
        return {"identity_number": [_("Spara numret med 12 siffror utan bindestreck.")]}
    if (identity.kind, identity.birth_date) != (kind, birth_date):
        return {
            "identity_number": [_("Typen av nummer eller födelsedatumet stämmer inte med numret.")]
        }
    return {}


def _reserve_errors(
    number: str | None, birth_date: datetime.date | None, today: datetime.date
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if number:
        errors["identity_number"] = [
            _("Lämna numret tomt för en reservidentitet, eller avmarkera rutan.")
        ]
    if birth_date is None:
        errors["birth_date"] = [_("Ange födelsedatum för en reservidentitet.")]
    elif birth_date > today:
        errors["birth_date"] = [_("Födelsedatumet ligger i framtiden. Kontrollera årtalet.")]
    return errors


def _infer_century(
    date_digits: str, real_day: int, *, centenarian: bool, today: datetime.date
) -> str:
    """For a 10-digit number: the latest century that fits; '+' means 100 years or older."""
    year = today.year - (today.year % 100) + int(date_digits[:2])
    if (year, int(date_digits[2:4]), real_day) > (today.year, today.month, today.day):
        year -= 100
    if centenarian:
        year -= 100
    return f"{year // 100:02d}"


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
