"""Reads for settlement: the engine's parameters in force on a day."""

import datetime as dt
from dataclasses import fields
from typing import Any

from hukou_portal.rules.selectors import parameters_in_force

from .eligibility import Decision as EngineDecision
from .eligibility import Facts, Parameters, decide


def engine_parameters(as_of: dt.date) -> Parameters:
    """The rule parameters the engine reads, as in force on ``as_of``."""
    values = parameters_in_force(as_of)
    return Parameters(**{f.name: values[f.name] for f in fields(Parameters)})


def precheck(facts: Facts) -> EngineDecision:
    """The engine's decision on ``facts`` with the parameters in force on their ``as_of``."""
    return decide(facts, engine_parameters(facts.as_of))


def document_list() -> list[tuple[str, Any, list[Any]]]:
    """Every category with its documents, for the administrators' page (one query)."""
    from .models import Category, SettlementDocument

    rows = list(SettlementDocument.objects.order_by("category", "position", "id"))
    return [(code, label, [row for row in rows if row.category == code]) for code, label in Category.choices]
