"""How the permit conditions (R3.1, R3.2) and permit events read (the portal's vocabulary)."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hukou_portal.core.areas import area_name, short_area_name
from hukou_portal.core.vocabulary import NOTHING, Field, date_words, register_fields, register_terms, say, term

from .models import Condition, EmploymentEvidence, ResidencePermit

register_terms("permit_condition", dict(Condition.choices))
register_terms("permit_status", dict(ResidencePermit.Status.choices))
register_terms(
    "permit_state",
    {
        "valid": gettext_lazy("Valid"),
        "lapsed": gettext_lazy("Lapsed (endorsement overdue)"),
        "cancelled": gettext_lazy("Cancelled"),
        "replaced": gettext_lazy("Replaced"),
        "converted": gettext_lazy("Converted to a permit of another area"),
    },
)
register_terms(
    "permit_cancel_reason",
    {
        "registration cancelled": gettext_lazy("Residence registration cancelled"),
        "settled": gettext_lazy("Settled in Huzhou: no longer floating population"),
    },
)
# The evidence of the three conditions (permits/conditions.py).
register_terms(
    "permit_evidence",
    {
        "lease_filing": gettext_lazy("Lease filing"),
        "home": gettext_lazy("Real estate certificate"),
        **dict(EmploymentEvidence.choices),
        "enrolment": gettext_lazy("Enrolment"),
    },
)
register_terms(
    "permit_evidence_problem",
    {
        "not_in_area": gettext_lazy("not in the area applied to"),
        "not_yet": gettext_lazy("term not yet begun"),
        "ended": gettext_lazy("term ended"),
    },
)

# The three conditions of R3.1 and R3.2: one is enough.
CONDITIONS = tuple(code for code, _label in Condition.choices)


def _valid_until_required(today: Any) -> str:
    return _("valid on %(day)s or later") % {"day": date_words(today)}


def _area_words(code: Any) -> str:
    return short_area_name(str(code)) or str(code)


def evidence_words(value: Any, record: Mapping[str, Any]) -> str:
    """The evidence a condition was checked against, each piece with where it lies and, when it
    did not count, why: "房屋租赁登记备案 HZZL-1（吴兴区，租期至2027年05月31日）— 已采用"."""
    if isinstance(value, bool) or value is None:  # a decision recorded before issue 11
        return say(value, "bool")
    if not value:
        return _("no evidence entered")
    pieces = []
    for item in value:
        where = [_area_words(item.get("area", ""))]
        if item.get("until"):
            where.append(_("term until %(day)s") % {"day": date_words(item["until"])})
        text = f"{term('permit_evidence', item.get('kind'))} {item.get('reference') or ''}".strip()
        text = f"{text}（{'，'.join(where)}）"
        if item.get("used"):
            text = _("%(evidence)s — used") % {"evidence": text}
        elif item.get("problem"):
            text = _("%(evidence)s — does not count: %(why)s") % {
                "evidence": text,
                "why": term("permit_evidence_problem", item["problem"]),
            }
        pieces.append(text)
    return "；".join(pieces)


def _required_in_area(words: Any) -> Any:
    def required(area: Any) -> str:
        if area is True or not area:  # a decision recorded before issue 11
            return _("yes")
        return str(words) % {"area": _area_words(area)}

    return required


def _another_area_required(required: Any) -> str:
    if not isinstance(required, Mapping):
        return str(required)
    regions = "、".join(area_name(code) or code for code in required.get("regions", []))
    return _("a county-level area of %(regions)s other than %(area)s") % {
        "regions": regions or NOTHING,
        "area": _area_words(required.get("not", "")),
    }


register_fields(
    "permits",
    {
        "registration_months": Field(gettext_lazy("Continuous residence registration in recognised regions"), "months"),
        "stable_residence": Field(
            gettext_lazy("Legal stable residence in the area"),
            evidence_words,
            _required_in_area(gettext_lazy("a filed lease in force or a home in %(area)s")),
        ),
        "stable_employment": Field(
            gettext_lazy("Legal stable employment in the area"),
            evidence_words,
            _required_in_area(gettext_lazy("a labour contract or business licence with an employer in %(area)s")),
        ),
        "continuous_schooling": Field(
            gettext_lazy("Continuous schooling in the area"),
            evidence_words,
            _required_in_area(gettext_lazy("enrolment at a school in %(area)s")),
        ),
        # Decisions recorded before issue 11 named the check this way.
        "permit_issued_elsewhere_in_zhejiang": Field(
            gettext_lazy("Permit issued elsewhere in Zhejiang"),
            "full_area",
            gettext_lazy("a Zhejiang area outside Huzhou"),
        ),
        "permit_issued_in_another_area": Field(
            gettext_lazy("Permit issued by another county-level area"), "full_area", _another_area_required
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
        "held_since": Field(gettext_lazy("Holding time counts from"), "date"),
        "area": Field(gettext_lazy("Issuing area"), "area"),
        "state": Field(gettext_lazy("State"), "permit_state"),
        "reason": Field(gettext_lazy("Reason"), "permit_cancel_reason"),
    },
)


def condition_words(code: Any) -> str:
    return say(code, "permit_condition")
