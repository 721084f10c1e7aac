"""How the permit conditions (R3.1, R3.2) and permit events read (the portal's vocabulary)."""

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hukou_portal.core.vocabulary import Field, date_words, register_fields, register_terms, say

from .models import Condition, ResidencePermit

register_terms("permit_condition", dict(Condition.choices))
register_terms("permit_status", dict(ResidencePermit.Status.choices))
register_terms(
    "permit_state",
    {
        "valid": gettext_lazy("Valid"),
        "lapsed": gettext_lazy("Lapsed (endorsement overdue)"),
        "cancelled": gettext_lazy("Cancelled"),
        "replaced": gettext_lazy("Replaced"),
    },
)
register_terms("permit_cancel_reason", {"registration cancelled": gettext_lazy("Residence registration cancelled")})

# The three conditions of R3.1 and R3.2: one is enough.
CONDITIONS = tuple(code for code, _label in Condition.choices)


def _valid_until_required(today: Any) -> str:
    return _("valid on %(day)s or later") % {"day": date_words(today)}


register_fields(
    "permits",
    {
        "registration_months": Field(gettext_lazy("Continuous residence registration in recognised regions"), "months"),
        "stable_residence": Field(gettext_lazy("Legal stable residence in the area"), "bool"),
        "stable_employment": Field(gettext_lazy("Legal stable employment in the area"), "bool"),
        "continuous_schooling": Field(gettext_lazy("Continuous schooling in the area"), "bool"),
        "permit_issued_elsewhere_in_zhejiang": Field(
            gettext_lazy("Permit issued elsewhere in Zhejiang"),
            "full_area",
            gettext_lazy("a Zhejiang area outside Huzhou"),
        ),
        "permit_valid": Field(gettext_lazy("Permit valid until"), "date", _valid_until_required),
        "local_registration_in_area": Field(gettext_lazy("Residence registration in the area applied to"), "bool"),
    },
)
# What a permit decision records on the case (permits/services.py, record_basis).
register_fields(
    "case",
    {"conditions_met": Field(gettext_lazy("The conditions of the residence permit are met"), "bool")},
)
register_fields(
    "permit",
    {
        "number": Field(gettext_lazy("Permit number"), "text"),
        "issued_on": Field(gettext_lazy("Issued on"), "date"),
        "key_id": Field(gettext_lazy("Signing key"), "text"),
        "endorsed_until": Field(gettext_lazy("Endorsed until"), "date"),
        "state": Field(gettext_lazy("State"), "permit_state"),
        "reason": Field(gettext_lazy("Reason"), "permit_cancel_reason"),
    },
)


def condition_words(code: Any) -> str:
    return say(code, "permit_condition")
