"""Reads of rule parameters: the values in force on a day, and each parameter's history."""

import datetime as dt
from typing import Any

from .models import RuleParameterValue
from .parameters import SPECS


def parameters_in_force(as_of: dt.date) -> dict[str, Any]:
    """Every parameter's value in force on ``as_of`` (one query); the default where none is."""
    values = {key: spec.default for key, spec in SPECS.items()}
    for key, value in (
        RuleParameterValue.objects.filter(effective_from__lte=as_of)
        .order_by("key", "effective_from")
        .values_list("key", "value")
    ):
        if key in values:
            values[key] = value
    return values


def parameter_history(*, key: str) -> list[RuleParameterValue]:
    return list(RuleParameterValue.objects.filter(key=key).select_related("created_by").order_by("-effective_from"))


def parameter_in_force(key: str, as_of: dt.date) -> Any:
    """One parameter's value in force on ``as_of`` (one query); its default where none is."""
    row = RuleParameterValue.objects.filter(key=key, effective_from__lte=as_of).order_by("-effective_from").first()
    return row.value if row is not None else SPECS[key].default
