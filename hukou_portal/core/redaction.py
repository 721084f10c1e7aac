"""Masking citizen ID numbers wherever free text may carry one (notes, comments, log lines).

Free of Django imports: the logging configuration loads it before apps are ready.
"""

import logging
import re
from typing import Any

# 18 characters, digits and a final digit or X, not part of a longer run of digits.
_ID_NUMBER = re.compile(r"(?<![0-9])([0-9]{6})[0-9]{8}([0-9]{3}[0-9Xx])(?![0-9Xx])")


def redact_id_numbers(text: str) -> str:
    """``330502199005171234`` → ``330502********1234``."""
    return _ID_NUMBER.sub(lambda match: f"{match.group(1)}********{match.group(2)}", text)


def redact_values(value: Any) -> Any:
    """The same for every string inside a JSON-like value."""
    if isinstance(value, str):
        return redact_id_numbers(value)
    if isinstance(value, dict):
        return {key: redact_values(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [redact_values(item) for item in value]
    return value


class RedactIdNumbersLogFilter(logging.Filter):
    """Masks ID numbers in every log line, arguments included."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact_id_numbers(str(record.msg))
        if isinstance(record.args, tuple):
            record.args = tuple(redact_id_numbers(arg) if isinstance(arg, str) else arg for arg in record.args)
        return True
