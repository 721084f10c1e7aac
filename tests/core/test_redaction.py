"""Masking ID numbers in free text: however the digits are spaced, hyphenated or written
full-width, a number does not survive; dates, case numbers, permit numbers and mobile numbers
are left as they were (core/redaction.py)."""

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hukou_portal.core.input_hygiene import normalise_digits
from hukou_portal.core.redaction import contains_id_number, redact_id_numbers, spelled_id_number
from hukou_portal.people import id_numbers

# Separators people put between the digits of a number they write for reading.
SEPARATORS = [" ", "  ", "-", " - ", "\u3000", "\u00a0", "－", "—", "–", ".", "/", "_", "\t", "+", "\u2009"]
# Text around a number: no digit, and no X right after it (it would read as a check character).
AROUND = "核对身份证号码：，。、（）王李张申请人的材料 abc;:!?【】"
FULL_WIDTH = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")

numbers = st.builds(
    lambda area, birth, sequence: id_numbers.make(address_code=area, birth_date=birth, sequence=sequence),
    st.sampled_from(["330502", "330503", "330521", "330522", "330523", "110101", "440305", "510104"]),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2025, 12, 31)),
    st.integers(min_value=0, max_value=999),
)


@st.composite
def spelled(draw):  # type: ignore[no-untyped-def]
    """(number, how it was written): separators between any digits, some digits full-width,
    the X in either case."""
    number = draw(numbers)
    gaps = draw(st.lists(st.one_of(st.just(""), st.sampled_from(SEPARATORS)), min_size=17, max_size=17))
    characters = [
        char.translate(FULL_WIDTH) if draw(st.booleans()) else char
        for char in (number[:17] + (draw(st.sampled_from("Xx")) if number[17] == "X" else number[17]))
    ]
    return number, "".join(char + gap for char, gap in zip(characters, [*gaps, ""], strict=True))


def digits_of(text: str) -> str:
    return re.sub(r"[^0-9X]", "", normalise_digits(text).upper())


@settings(max_examples=400, deadline=None)
@given(spelled(), st.text(alphabet=AROUND, max_size=12), st.text(alphabet=AROUND, max_size=12))
def test_a_number_is_masked_however_it_is_written(case, before, after):
    number, written = case
    text = f"{before}{written}{after}"
    masked = redact_id_numbers(text)
    assert number[:17] not in digits_of(masked)
    assert number[6:14] not in digits_of(masked)  # not even the birth date
    assert masked == f"{before}{id_numbers.mask(number)}{after}"
    assert contains_id_number(text)
    assert redact_id_numbers(masked) == masked  # a masked number is not masked again


@settings(max_examples=200, deadline=None)
@given(numbers, st.sampled_from(["-", "/", "."]), st.sampled_from(["2026", "13900000000", "2026-12-01", "1"]))
def test_a_number_glued_to_other_digits_is_masked_when_its_check_character_is_right(number, glue, other):
    for text in (f"{number}{glue}{other}", f"{other}{glue}{number}"):
        masked = redact_id_numbers(text)
        assert number[:17] not in digits_of(masked), text
        assert id_numbers.mask(number) in masked


@pytest.mark.parametrize(
    "text",
    [
        "330502 19900517 123X",  # a typing error in the check character: masked all the same
        "330502-1990-0517-123x",
        "３３０５０２１９９００５１７１２３Ｘ",
        "身份证号330502　19900517　123X，电话13900000000",
        "330502 1990 05 17 123X",
    ],
)
def test_the_spellings_of_the_finding_are_masked(text):
    masked = redact_id_numbers(text)
    assert "330502********123X" in masked
    assert "19900517" not in digits_of(masked)


dates = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2099, 12, 31))
ordinary_tokens = st.one_of(
    dates.map(lambda day: day.isoformat()),  # 2026-12-01
    dates.map(lambda day: f"{day:%Y/%m/%d}"),
    dates.map(lambda day: f"{day:%Y.%m.%d}"),
    dates.map(lambda day: f"{day.year}年{day.month}月{day.day}日"),
    # case numbers (casework.services._next_reference) and their serial tails
    st.builds(
        lambda area, year, serial: f"HZ-{area}-{year}-{serial:06d}",
        st.sampled_from(["330502", "330503", "330521", "330522", "330523"]),
        st.integers(2020, 2099),
        st.integers(1, 99_999),
    ),
    st.builds(lambda year, serial: f"{year}-{serial:06d}", st.integers(2020, 2099), st.integers(1, 99_999)),
    st.integers(1, 99_999).map(lambda serial: f"{serial:06d}"),
    # residence permit numbers (permits.services._next_number)
    st.builds(
        lambda area, year, serial: f"ZJ{area}{year}{serial:06d}",
        st.sampled_from(["330502", "330503"]),
        st.integers(2020, 2099),
        st.integers(1, 99_999),
    ),
    st.integers(13_000_000_000, 19_999_999_999).map(str),  # mobile numbers
)


@settings(max_examples=400, deadline=None)
@given(
    st.lists(ordinary_tokens, min_size=1, max_size=6),
    st.lists(st.sampled_from([" ", "、", "，", "；", " 至 ", "\n", "（", "）", "和"]), min_size=6, max_size=6),
)
def test_dates_case_numbers_permits_and_mobiles_are_left_alone(tokens, joins):
    text = "".join(token + join for token, join in zip(tokens, joins, strict=False))
    assert redact_id_numbers(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "补正期限 2026-12-01，复核 2026-12-15",
        "2019-11-05 2019-11-05 2019-11-05",
        "案件 HZ-330502-2026-000012、HZ-330502-2026-000013 已合并",
        "居住证 ZJ3305022026000012，电话 13900000000",
        "0572-2123456 0572-2123457",
        # found by hypothesis: serial tails and dates strung together
        "2020-000049 2000-01-05 2000-01-01",
        "000006 1996-04-08 2000年1月1日",
    ],
)
def test_ordinary_text_is_left_alone(text):
    assert redact_id_numbers(text) == text
    assert not contains_id_number(text)


@given(spelled())
def test_the_header_search_reads_a_number_however_it_is_spaced(case):
    number, written = case
    assert spelled_id_number(f"  {written} ") == number
