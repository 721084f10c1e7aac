"""How rule parameters read (their labels and the kind of their values), for the vocabulary."""

from django.utils.translation import gettext_lazy as _

from hukou_portal.core.vocabulary import Field, register_fields, say

from .parameters import SPECS

register_fields("parameter", {key: Field(spec.label, spec.words) for key, spec in SPECS.items()})


def _parameter_value(value, record):  # type: ignore[no-untyped-def]
    """A parameter event's value reads by the kind of the parameter it belongs to."""
    spec = SPECS.get(record.get("key", ""))
    return say(value, spec.words if spec else "text")


def _parameter_name(value, record):  # type: ignore[no-untyped-def]
    spec = SPECS.get(value)
    return str(spec.label) if spec else str(value)


register_fields(
    "parameter",
    {
        "key": Field(_("Parameter"), _parameter_name),
        "value": Field(_("Value"), _parameter_value),
        "effective_from": Field(_("In force from"), "date"),
    },
)
register_fields(
    "calendar",
    {
        "date": Field(_("Date"), "date"),
        "kind": Field(_("Kind of day"), "calendar_day_kind"),
        "year": Field(_("Year"), "text"),
    },
)
