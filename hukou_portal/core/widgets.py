"""Widgets shared by every form of the portal.

``<input type="date">`` only accepts its value as ``YYYY-MM-DD`` (HTML's "valid date string"),
whatever the browser's language. Django's ``DateInput`` without ``format`` renders a date with
the first of the active language's ``DATE_INPUT_FORMATS`` — ``%Y/%m/%d`` under zh-hans — and
Chromium silently drops ``2026/05/19``: the pre-filled date vanished and the pre-check counted
0 months. Every date input of the portal is therefore a ``DateInput`` from here.
"""

from typing import Any

from django import forms

ISO_DATE = "%Y-%m-%d"


class DateInput(forms.DateInput):
    """``<input type="date">`` whose value is always ISO ``YYYY-MM-DD``."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=ISO_DATE)


class HiddenDateInput(forms.DateInput):
    """A date carried in a hidden input, ISO like ``DateInput`` so it reads back the same."""

    input_type = "hidden"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=ISO_DATE)
