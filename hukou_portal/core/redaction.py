"""Masking citizen ID numbers wherever free text may carry one (notes, comments, log lines).

A number typed for reading is not always eighteen characters in a row: officers write
``330502 19900517 123X``, ``330502-1990-0517-123x``, paste full-width ``３３０５０２…``. So the
text is read as *runs*: digits (ASCII or full-width) joined by at most three separators (spaces
of any width, hyphens and dashes, dots, slashes, underscores, ``+``), maybe ending in an X. In a
run, a candidate is eighteen consecutive digit characters (the last may be X) that starts and
ends where a group of digits does, and whose digits 7-14 read as a birth date (18xx-20xx, month
01-12, day 01-31). It is masked when two of these three hold:

- it is *set apart*: whitespace or the run's own ends on both sides, as a number stands in a
  sentence (not glued by a hyphen or a slash to other digits);
- it is *spelled as ID numbers are*: in one piece, or in groups 6-8-4 (and 6-4-2-2-4, 6-4-4-4,
  3-3-4-4-4, with the check character apart or not) or 4-4-4-4-2, one separator throughout;
- it is *a real number*: its first six digits are an area code (GB/T 2260, current or former)
  and its check character is right (GB 11643).

So a number set apart is masked however it is spaced if it is a real number, and spelled the
usual way even when mistyped; a number glued to other digits is masked when it is a real
number spelled the usual way. Left alone, on purpose: a date (``2026-12-01``: 8 digits) and
dates strung together with serial numbers, a case number (``HZ-330502-2026-000012``: 16
digits), a permit number (``ZJ3305022026000012``: 16), a mobile number (11).

Free of Django imports: the logging configuration loads it before apps are ready.
"""

import logging
import re
from typing import Any
from urllib.parse import unquote_plus

from .areas import is_area_code
from .input_hygiene import normalise_digits

_DIGIT = "0-9\uff10-\uff19"
_X = "Xx\uff38\uff58"
# Between two digits of a number written for reading. Whitespace sets a number apart; the others
# join groups inside one token.
_SEPARATOR = r"[\s\-\u2010-\u2015\u2212\uff0d\ufe63.\u00b7_/+]"
_RUN = re.compile(rf"(?<![{_DIGIT}])[{_DIGIT}](?:{_SEPARATOR}{{0,3}}[{_DIGIT}])*(?:{_SEPARATOR}{{0,3}}[{_X}])?")
_BIRTH_DATE = re.compile(r"(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARACTERS = "10X98765432"
_NUMBER = re.compile(r"[0-9]{17}[0-9X]")
_SPELLING = re.compile(_SEPARATOR)
# Where a number's groups may end when it is spelled the usual ways (after its n-th character).
_USUAL_GROUPINGS = (frozenset({6, 10, 12, 14, 17}), frozenset({3, 6, 10, 14, 17}), frozenset({4, 8, 12, 16}))

ID_NUMBER_LENGTH = 18


def _check_character_right(number: str) -> bool:
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], _WEIGHTS, strict=True))
    return _CHECK_CHARACTERS[total % 11] == number[17]


def _masked(number: str) -> str:
    return f"{number[:6]}{'*' * 8}{number[14:]}"


def _redact_run(run: str) -> str:
    """``run`` (one match of ``_RUN``) with every ID number in it masked (see the module)."""
    positions = [i for i, char in enumerate(run) if not _SPELLING.fullmatch(char)]
    if len(positions) < ID_NUMBER_LENGTH:
        return run
    characters = normalise_digits("".join(run[i] for i in positions)).upper()

    def between(k: int) -> str:
        """The separators after the k-th character ("" at the run's end or inside a group)."""
        return run[positions[k] + 1 : positions[k + 1]] if k < len(positions) - 1 else ""

    def after(k: int) -> str | None:
        """What follows the k-th character: "apart" (whitespace, or the run's end), "joined"
        (other separators), None (the next digit, in the same group)."""
        if k == len(positions) - 1:
            return "apart"
        if not between(k):
            return None
        return "apart" if any(char.isspace() for char in between(k)) else "joined"

    pieces, copied_to, k = [], 0, 0
    while k + ID_NUMBER_LENGTH <= len(positions):
        end = k + ID_NUMBER_LENGTH - 1
        number = characters[k : end + 1]
        left = "apart" if k == 0 else after(k - 1)
        right = after(end)
        found = False
        if left and right and _NUMBER.fullmatch(number) and _BIRTH_DATE.fullmatch(number[6:14]):
            groups_end = {j - k + 1 for j in range(k, end) if after(j) is not None}
            separators = {between(j) for j in range(k, end)} - {""}
            set_apart = left == right == "apart"
            # One way of separating throughout ("330502-1990-0517-123X"), not dates strung together.
            usual = len(separators) <= 1 and any(groups_end <= grouping for grouping in _USUAL_GROUPINGS)
            real = _check_character_right(number) and is_area_code(number[:6])
            found = set_apart + usual + real >= 2
        if not found:
            k += 1
            continue
        pieces += [run[copied_to : positions[k]], _masked(number)]
        copied_to = positions[end] + 1
        k = end + 1
    return "".join(pieces) + run[copied_to:] if pieces else run


def redact_id_numbers(text: str) -> str:
    """``330502199005171234`` or ``330502 1990 0517 1234`` → ``330502********1234``."""
    return _RUN.sub(lambda match: _redact_run(match.group(0)), text)


def contains_id_number(text: str) -> bool:
    """Whether ``text`` carries something ``redact_id_numbers`` would mask."""
    return redact_id_numbers(text) != text


def spelled_id_number(text: str) -> str | None:
    """The number, normalised (ASCII, upper-case X), when ``text`` is one ID-number-shaped value
    and nothing else, however it is spaced or hyphenated; otherwise None."""
    compact = normalise_digits(_SPELLING.sub("", text)).upper()
    return compact if _NUMBER.fullmatch(compact) else None


def redact_values(value: Any) -> Any:
    """The same for every string inside a JSON-like value."""
    if isinstance(value, str):
        return redact_id_numbers(value)
    if isinstance(value, dict):
        return {key: redact_values(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [redact_values(item) for item in value]
    return value


def redact_log_text(text: str) -> str:
    """A log line's text with ID numbers masked, also where it quotes a URL: a request line
    (``GET /people/?q=330502%2019900517%20123X``) is decoded first when that reveals a number."""
    redacted = redact_id_numbers(text)
    if "%" in text or "+" in text:
        decoded = unquote_plus(text)
        decoded_redacted = redact_id_numbers(decoded)
        if decoded_redacted != decoded:
            return decoded_redacted
    return redacted


class RedactIdNumbersLogFilter(logging.Filter):
    """Masks ID numbers in every log line: the message, its arguments and a traceback's text."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact_log_text(str(record.msg))
        if isinstance(record.args, tuple):
            record.args = tuple(redact_log_text(arg) if isinstance(arg, str) else arg for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: redact_log_text(v) if isinstance(v, str) else v for k, v in record.args.items()}
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact_log_text(record.exc_text)
        return True
