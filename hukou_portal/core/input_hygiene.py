"""Input hygiene shared by every parser that takes digits or JSON from outside.

Digits: only ASCII ``0-9`` count as digits. ``\\d`` and ``int()`` also accept the digits of other
scripts (Arabic-Indic ``٠``, full-width ``３``), so a code could look right and mean something
else. The rule is the same everywhere:

- where a person may paste (citizen ID numbers typed or pasted by an officer), full-width digits
  and a full-width X are first normalised to ASCII by ``normalise_digits``, then validated;
- where a machine sends (the JSON facts contract), anything but ASCII digits is refused
  (``ASCII_DIGITS_6`` / ``is_ascii_digits``).

JSON: ``load_json`` refuses a body over ``MAX_JSON_BYTES`` or nested deeper than
``MAX_JSON_DEPTH`` *before* ``json.loads`` builds Python structures (so no ``RecursionError``),
refuses non-UTF-8, ``NaN``/``Infinity`` and numbers longer than ``MAX_NUMBER_DIGITS`` digits, and
raises ``JSONInputError`` (a ``ValueError``) with an English and a Chinese message.
"""

import json
import math
from typing import Any

_FULLWIDTH = {0xFF10 + i: 0x30 + i for i in range(10)} | {0xFF38: ord("X"), 0xFF58: ord("x")}

ASCII_DIGITS_6 = r"\A[0-9]{6}\Z"  # \A…\Z: "$" would also let a trailing newline through

MAX_JSON_BYTES = 64 * 1024
MAX_JSON_DEPTH = 20
MAX_NUMBER_DIGITS = 15


def normalise_digits(value: str) -> str:
    """Full-width digits (０-９) and Ｘ/ｘ to their ASCII forms; everything else unchanged."""
    return value.translate(_FULLWIDTH)


def is_ascii_digits(value: object, length: int | None = None) -> bool:
    """True for a non-empty string of ASCII digits only (of ``length`` characters if given)."""
    return isinstance(value, str) and value.isascii() and value.isdigit() and (length is None or len(value) == length)


class JSONInputError(ValueError):
    def __init__(self, message: str, message_zh: str) -> None:
        super().__init__(message)
        self.message, self.message_zh = message, message_zh


def _depth_exceeds(text: str, limit: int) -> bool:
    """Whether brackets outside strings nest deeper than ``limit`` (a scan of the raw text)."""
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > limit:
                return True
        elif char in "]}":
            depth -= 1
    return False


def _int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise JSONInputError(f"a number has more than {MAX_NUMBER_DIGITS} digits", f"数字超过 {MAX_NUMBER_DIGITS} 位")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if len(text) > 2 * MAX_NUMBER_DIGITS or not math.isfinite(value):
        raise JSONInputError("a number is out of range", "数字超出范围")
    return value


def _constant(name: str) -> None:
    raise JSONInputError(f"{name} is not allowed", f"不允许使用 {name}")


def load_json(data: bytes | str) -> Any:
    """Decode a JSON document from outside, bounded in size and depth; raise ``JSONInputError``."""
    if len(data) > MAX_JSON_BYTES:
        raise JSONInputError(f"larger than {MAX_JSON_BYTES // 1024} KB", f"内容超过 {MAX_JSON_BYTES // 1024} KB 上限")
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise JSONInputError("not UTF-8 text", "不是 UTF-8 文本") from None
    else:
        text = data
    if len(text.encode("utf-8", "surrogatepass")) > MAX_JSON_BYTES:
        raise JSONInputError(f"larger than {MAX_JSON_BYTES // 1024} KB", f"内容超过 {MAX_JSON_BYTES // 1024} KB 上限")
    if _depth_exceeds(text, MAX_JSON_DEPTH):
        raise JSONInputError(f"nested deeper than {MAX_JSON_DEPTH} levels", f"嵌套超过 {MAX_JSON_DEPTH} 层")
    try:
        document = json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except json.JSONDecodeError as error:
        raise JSONInputError(
            f"not JSON ({error.msg} at line {error.lineno})", f"不是有效的 JSON（第 {error.lineno} 行）"
        ) from None
    except RecursionError:  # cannot happen after the depth check; never let it surface
        raise JSONInputError(f"nested deeper than {MAX_JSON_DEPTH} levels", f"嵌套超过 {MAX_JSON_DEPTH} 层") from None
    _refuse_lone_surrogates(document)
    return document


def _refuse_lone_surrogates(value: Any) -> None:
    """``"\\ud800"`` decodes to a string that cannot be written out as UTF-8 again."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise JSONInputError("a string holds an unpaired surrogate", "字符串含有无效字符") from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_lone_surrogates(key)
            _refuse_lone_surrogates(item)
    elif isinstance(value, list):
        for item in value:
            _refuse_lone_surrogates(item)
