"""Citizen ID numbers to GB 11643-1999: each part checked, and properties over all numbers."""

import datetime as dt
import re
from pathlib import Path

import pytest
import stdnum
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from hukou_portal.people import id_numbers
from hukou_portal.people.forms import PersonForm

TODAY = dt.date(2026, 11, 30)
LOC_DAT = (Path(stdnum.__file__).parent / "cn" / "loc.dat").read_text(encoding="utf-8")


def error_code(value: str) -> str:
    with pytest.raises(ValidationError) as caught:
        id_numbers.parse(value, today=TODAY)
    return caught.value.code


def test_published_example_is_valid():
    # The example number of GB 11643-1999's own annex.
    parsed = id_numbers.parse("11010519491231002X", today=TODAY)
    assert parsed.address_code == "110105"
    assert parsed.birth_date == dt.date(1949, 12, 31)
    assert parsed.sex == id_numbers.Sex.FEMALE


def test_check_character_follows_iso_7064():
    # 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 over 33050219900517123, mod 11 -> "10X98765432"
    digits = "33050219900517123"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(digits, weights, strict=True))
    assert id_numbers.check_character(digits) == "10X98765432"[total % 11]


def test_lowercase_x_is_accepted_and_normalised():
    assert id_numbers.parse("11010519491231002x", today=TODAY).value == "11010519491231002X"


@pytest.mark.parametrize(
    "typed",
    [
        "110105 19491231 002x",
        "110105-1949-1231-002X",
        " １１０１０５　１９４９１２３１　００２ｘ ",
        "110105–19491231–002x",
    ],
)
def test_a_number_written_for_reading_is_accepted_as_one(typed):
    assert id_numbers.parse(typed, today=TODAY).value == "11010519491231002X"


def test_sex_and_birth_date_come_from_the_number():
    male = id_numbers.make(address_code="330502", birth_date=dt.date(1990, 5, 17), sequence=123)
    female = id_numbers.make(address_code="330502", birth_date=dt.date(1990, 5, 17), sequence=124)
    assert id_numbers.parse(male, today=TODAY).sex == id_numbers.Sex.MALE
    assert id_numbers.parse(female, today=TODAY).sex == id_numbers.Sex.FEMALE
    assert id_numbers.parse(male, today=TODAY).birth_date == dt.date(1990, 5, 17)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("33050219900517123", "length"),
        ("3305021990051712345", "length"),
        ("33050219900517A234", "characters"),
        ("X30502199005171234", "characters"),
        (id_numbers.make(address_code="990502", birth_date=dt.date(1990, 5, 17), sequence=1), "address_code"),
        (id_numbers.make(address_code="330000", birth_date=dt.date(1990, 5, 17), sequence=1), "address_code"),
        ("33050219900230123" + id_numbers.check_character("33050219900230123"), "birth_date"),
        ("33050218991231123" + id_numbers.check_character("33050218991231123"), "birth_date"),
        (id_numbers.make(address_code="330502", birth_date=dt.date(2026, 12, 1), sequence=1), "birth_date"),
    ],
)
def test_each_bad_part_is_named(value, code):
    assert error_code(value) == code


def test_wrong_check_character_is_named():
    valid = id_numbers.make(address_code="330502", birth_date=dt.date(1990, 5, 17), sequence=123)
    wrong = valid[:17] + ("0" if valid[17] != "0" else "1")
    assert error_code(wrong) == "check_character"


def test_birth_date_of_today_is_accepted():
    assert id_numbers.parse(id_numbers.make(address_code="330502", birth_date=TODAY, sequence=1), today=TODAY)


def test_mask_keeps_address_code_and_last_four():
    assert id_numbers.mask("33050219900517123X") == "330502********123X"


@pytest.mark.parametrize(
    ("value", "chinese_part"),
    [
        ("3305021990051712", "18"),
        ("99050219900517123" + id_numbers.check_character("99050219900517123"), "地址码"),
        ("33050219901317123" + id_numbers.check_character("33050219901317123"), "出生日期"),
        ("330502199005171230", "校验码"),
    ],
)
def test_form_error_in_chinese_names_the_part(value, chinese_part):
    with translation.override("zh-hans"):
        form = PersonForm(data={"id_number": value, "name": "王小明"})
        assert not form.is_valid()
        message = " ".join(form.errors["id_number"])
    assert chinese_part in message
    assert not message.isascii()


# --- properties over every number ---------------------------------------------------------------

address_codes = st.sampled_from(
    # Every county-level code of GB/T 2260 in python-stdnum's data set, current and former.
    [
        province + line.split()[0]
        for province, block in re.findall(r"^(\d\d) province=.*\n((?:  .*\n)*)", LOC_DAT, flags=re.MULTILINE)
        for line in block.splitlines()
        if "county=" in line and line.split()[0] != "0000"
    ]
)
birth_dates = st.dates(min_value=id_numbers.EARLIEST_BIRTH_DATE, max_value=TODAY)
valid_numbers = st.builds(
    lambda address, birth, sequence: id_numbers.make(address_code=address, birth_date=birth, sequence=sequence),
    address_codes,
    birth_dates,
    st.integers(min_value=0, max_value=999),
)


@given(valid_numbers)
def test_every_valid_number_passes(number):
    parsed = id_numbers.parse(number, today=TODAY)
    assert parsed.value == number


@given(valid_numbers, st.integers(min_value=0, max_value=17), st.sampled_from("0123456789X"))
def test_any_single_changed_character_fails(number, position, replacement):
    if number[position] == replacement:
        replacement = "0" if replacement != "0" else "1"
    changed = number[:position] + replacement + number[position + 1 :]
    with pytest.raises(ValidationError):
        id_numbers.parse(changed, today=TODAY)


def test_digits_of_other_scripts_are_refused():
    # Found by the property test below: "\d" and int() both accept Arabic-Indic digits.
    valid = id_numbers.make(address_code="330502", birth_date=dt.date(1990, 5, 17), sequence=123)
    assert error_code(valid[:3] + "\u0660" + valid[4:]) == "characters"


# --- address codes against GB/T 2260 (issue 10, finding 9) -------------------------------------


def test_made_up_area_code_of_a_real_province_is_refused():
    made_up = id_numbers.make(address_code="339964", birth_date=dt.date(1990, 5, 17), sequence=123)
    assert error_code(made_up) == "address_code"


def test_former_area_code_is_accepted():
    # 330511 湖州市郊区 existed 1983-1988; people born then still carry it.
    old = id_numbers.make(address_code="330511", birth_date=dt.date(1985, 6, 1), sequence=123)
    assert id_numbers.parse(old, today=TODAY).address_code == "330511"


def test_made_up_area_code_error_is_chinese_and_names_the_part():
    made_up = id_numbers.make(address_code="339964", birth_date=dt.date(1990, 5, 17), sequence=123)
    with translation.override("zh-hans"):
        form = PersonForm(data={"id_number": made_up, "name": "王小明"})
        assert not form.is_valid()
        message = " ".join(form.errors["id_number"])
    assert "地址码" in message and "339964" in message


def test_pasted_full_width_digits_are_normalised_before_validating():
    valid = id_numbers.make(address_code="330502", birth_date=dt.date(1990, 5, 17), sequence=123)
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in valid)  # ３３０５０２… and Ｘ
    assert id_numbers.parse(full_width, today=TODAY).value == valid


def test_full_width_made_up_area_code_is_still_refused():
    made_up = id_numbers.make(address_code="339964", birth_date=dt.date(1990, 5, 17), sequence=123)
    assert error_code("３３９９６４" + made_up[6:]) == "address_code"


@pytest.mark.parametrize(
    ("address_code", "sequence"), [("330502", 123), ("330503", 246), ("320102", 357), ("340104", 468)]
)
def test_demo_and_factory_codes_are_real(address_code, sequence):
    from hukou_portal.accounts.management.commands.seed_demo import DEMO_PEOPLE
    from tests.helpers import valid_id_number

    assert (address_code, sequence) in {(person[1], person[3]) for person in DEMO_PEOPLE}
    for _name, code, birth_date, seq, _mobile in DEMO_PEOPLE:
        id_numbers.parse(id_numbers.make(address_code=code, birth_date=birth_date, sequence=seq), today=TODAY)
    id_numbers.parse(valid_id_number(address_code=address_code), today=TODAY)
