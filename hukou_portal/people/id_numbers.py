"""Citizen ID numbers (公民身份号码) to GB 11643-1999.

Eighteen characters: a six-digit address code (GB/T 2260, current or former), the birth date as
YYYYMMDD, a three-digit sequence whose parity gives the sex (odd: male), and an ISO 7064 MOD 11-2
check character. ``parse`` says exactly which part of a bad number is wrong. Full-width digits
are normalised to ASCII first (``core.input_hygiene``); digits of other scripts are refused.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hukou_portal.core.areas import is_area_code
from hukou_portal.core.input_hygiene import normalise_digits

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"

EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)

_SHAPE = re.compile(r"[0-9]{17}[0-9X]")  # ASCII digits only: \d would admit other scripts' digits
_READING_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212\uff0d]")


class Sex:
    MALE = "M"
    FEMALE = "F"


@dataclass(frozen=True)
class IdNumber:
    value: str
    address_code: str
    birth_date: dt.date
    sequence: str

    @property
    def sex(self) -> str:
        return Sex.MALE if int(self.sequence) % 2 else Sex.FEMALE


def check_character(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first seventeen digits."""
    return CHECK_CHARACTERS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def normalise(value: str) -> str:
    """X upper-cased, full-width digits (an officer may paste ３３０５…) made ASCII, and the spaces
    and hyphens a number is written with for reading (``330502 19900517 123X``) taken out."""
    return _READING_SEPARATORS.sub("", normalise_digits(value)).upper()


def parse(value: str, *, today: dt.date | None = None) -> IdNumber:
    """Parse and validate a citizen ID number; raise ValidationError naming the bad part."""
    number = normalise(value)
    if len(number) != 18:
        raise ValidationError(
            _("A citizen ID number has 18 characters; this one has %(count)d."),
            code="length",
            params={"count": len(number)},
        )
    if not _SHAPE.fullmatch(number):
        raise ValidationError(_("A citizen ID number is 17 digits followed by a digit or X."), code="characters")
    address_code, birth, sequence = number[:6], number[6:14], number[14:17]
    # GB/T 2260, current and former codes, from python-stdnum's loc.dat; a province alone is no address.
    if address_code[2:] == "0000" or not is_area_code(address_code):
        raise ValidationError(
            _("The address code %(code)s (first six digits) is not a valid area code."),
            code="address_code",
            params={"code": address_code},
        )
    try:
        birth_date = dt.date(int(birth[:4]), int(birth[4:6]), int(birth[6:8]))
    except ValueError:
        birth_date = None
    today = today or timezone.localdate()
    if birth_date is None or not (EARLIEST_BIRTH_DATE <= birth_date <= today):
        raise ValidationError(
            _("The birth date %(date)s (digits 7 to 14) is not a real date up to today."),
            code="birth_date",
            params={"date": birth},
        )
    expected = check_character(number[:17])
    if number[17] != expected:
        raise ValidationError(
            _("The check character (the last one) does not match: the number has a typing error."),
            code="check_character",
        )
    return IdNumber(value=number, address_code=address_code, birth_date=birth_date, sequence=sequence)


def stored_birth_date_and_sex(number: str) -> tuple[str, str]:
    """(birth date as YYYY-MM-DD, sex) of a number as stored — validated by ``parse`` when it
    was stored — read from its digits without validating it again (an export reads a million).
    A number not even of the shape (17 digits and a digit or X) is parsed, and refused, as
    ``parse`` refuses it."""
    if not _SHAPE.fullmatch(number):
        parsed = parse(number)
        return parsed.birth_date.isoformat(), parsed.sex
    return f"{number[6:10]}-{number[10:12]}-{number[12:14]}", Sex.MALE if int(number[16]) % 2 else Sex.FEMALE


def validate_id_number(value: str) -> None:
    """Model and form field validator."""
    parse(value)


def mask(value: str) -> str:
    """``330502********123X``: the address code and the last four characters only."""
    if len(value) != 18:
        return "*" * len(value)
    return f"{value[:6]}{'*' * 8}{value[14:]}"


def origin_area(value: str) -> str:
    """The address code of a number (its first six digits, the GB/T 2260 area where it was
    issued) as ``mask`` shows it in clear, or "" where ``mask`` shows none of it (not 18
    characters, or not ASCII digits there). ``Person.origin_area`` keeps it."""
    code = value[:6]
    return code if len(value) == 18 and code.isascii() and code.isdigit() else ""


def make(*, address_code: str, birth_date: dt.date, sequence: int) -> str:
    """Build a valid number (demo data and tests)."""
    first17 = f"{address_code}{birth_date:%Y%m%d}{sequence:03d}"
    return first17 + check_character(first17)
