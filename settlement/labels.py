"""How the settlement engine's codes, checks and routes read (GLOSSARY.md), registered with the
portal's one vocabulary (``hukou_portal.core.vocabulary``)."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hukou_portal.core.vocabulary import Field, register_fields, register_terms, say, term

from .models import Category

HOUSEHOLDS = {
    "own_home": gettext_lazy("The legal stable residence (家庭户)"),
    "rental_home": gettext_lazy("The rented home"),
    "community_collective": gettext_lazy("Community public collective household (社区公共集体户)"),
    "host_household": gettext_lazy("The host's household"),
    "host_family_household": gettext_lazy("The host's family household (家庭户)"),
    "relative_family_household": gettext_lazy("A relative's or friend's family household"),
    "employer_collective": gettext_lazy("Employer collective household (单位集体户)"),
    "talent_market_collective": gettext_lazy("Talent market collective household (人才市场集体户)"),
}
RELATIONS = {
    "spouse": gettext_lazy("Spouse"),
    "child": gettext_lazy("Child"),
    "parent": gettext_lazy("Parent"),
    "sibling": gettext_lazy("Sibling"),
    "grandchild": gettext_lazy("Grandchild"),
    "other": gettext_lazy("Other"),
}
HOST_RELATIONS = {
    **RELATIONS,
    "grandparent": gettext_lazy("Grandparent"),
    "spouse_parent": gettext_lazy("Spouse's parent"),
    "spouse_grandparent": gettext_lazy("Spouse's grandparent"),
    "spouse_child": gettext_lazy("Spouse's child"),
    "spouse_grandchild": gettext_lazy("Spouse's grandchild"),
    "child_spouse": gettext_lazy("Child's spouse"),
}
EDUCATION_LEVELS = {
    "none": gettext_lazy("No schooling"),
    "primary": gettext_lazy("Primary school"),
    "junior_secondary": gettext_lazy("Junior secondary school"),
    "senior_secondary": gettext_lazy("Senior secondary school (普通高中)"),
    "secondary_vocational": gettext_lazy("Secondary vocational school (中专, 职高, 技校)"),
    "associate": gettext_lazy("Associate degree (大专)"),
    "bachelor": gettext_lazy("Bachelor's degree"),
    "master": gettext_lazy("Master's degree"),
    "doctorate": gettext_lazy("Doctorate"),
}
QUALIFICATION_KINDS = {
    "skill": gettext_lazy("Vocational skill level"),
    "title": gettext_lazy("Professional title"),
}
SKILL_LEVELS = {
    "junior": gettext_lazy("Junior worker (level 5)"),
    "intermediate": gettext_lazy("Intermediate worker (level 4)"),
    "senior": gettext_lazy("Senior worker (level 3)"),
    "technician": gettext_lazy("Technician (level 2)"),
    "senior_technician": gettext_lazy("Senior technician (level 1)"),
}
TITLE_LEVELS = {
    "junior": gettext_lazy("Junior title"),
    "intermediate": gettext_lazy("Intermediate title"),
    "associate_senior": gettext_lazy("Associate senior title"),
    "senior": gettext_lazy("Senior title"),
}
# The lowest qualification the talent route asks for, on either ladder (S3.1 [param]).
QUALIFICATION_MINIMUMS = {
    "junior": gettext_lazy("Junior (skill level 5 or a junior title)"),
    "intermediate": gettext_lazy("Intermediate (skill level 4 or an intermediate title)"),
}
MARITAL_STATUSES = {
    "unmarried": gettext_lazy("Unmarried"),
    "married": gettext_lazy("Married"),
    "divorced": gettext_lazy("Divorced"),
    "widowed": gettext_lazy("Widowed"),
}
INVESTMENT_KINDS = {
    "enterprise": gettext_lazy("Set up an enterprise"),
    "shareholder": gettext_lazy("Shareholder of an enterprise"),
    "individual_business": gettext_lazy("Individual business"),
    "commercial_property": gettext_lazy("Bought commercial property"),
}
HOST_HOUSEHOLD_TYPES = {"family": gettext_lazy("Family household"), "collective": gettext_lazy("Collective household")}

# What each route is, in the words of the notice.
ROUTE_TITLES = {
    "S0": gettext_lazy("Urban areas only"),
    "S1.1": gettext_lazy("Legal stable residence"),
    "S1.2": gettext_lazy("Rental home with a filed lease"),
    "S2.1": gettext_lazy("Joining relatives (spouse, children)"),
    "S2.2": gettext_lazy("Joining relatives (lineal relatives)"),
    "S3.1": gettext_lazy("Talent"),
    "S4.1": gettext_lazy("Employment"),
    "S4.2": gettext_lazy("Investment"),
    "S5.1": gettext_lazy("Residence permit holders"),
    "S6.1": gettext_lazy("Accompanying family"),
    "S7.1": gettext_lazy("Order of registration addresses"),
}
# Checks of which one suffices, per route.
ALTERNATIVES = {"S3.1": ("education", "qualification", "designated_talent")}

register_terms("household", HOUSEHOLDS)
register_terms("family_relation", RELATIONS)
register_terms("host_relation", HOST_RELATIONS)
register_terms("education_level", EDUCATION_LEVELS)
register_terms("qualification_kind", QUALIFICATION_KINDS)
register_terms("qualification_minimum", QUALIFICATION_MINIMUMS)
register_terms("marital_status", MARITAL_STATUSES)
register_terms("investment_kind", INVESTMENT_KINDS)
register_terms("host_household_type", HOST_HOUSEHOLD_TYPES)
register_terms("settlement_route", ROUTE_TITLES)
register_terms("settlement_category", dict(Category.choices))


def _education_words(value: Any, record: Mapping[str, Any]) -> str:
    """{"level", "full_time"} — or, in decisions recorded before the engine said it that way,
    "bachelor" / "bachelor (not full time)"."""
    if isinstance(value, str):
        level, _space, rest = value.partition(" ")
        value = {"level": level, "full_time": "not" not in rest}
    if not isinstance(value, Mapping):
        return say(value)
    level = term("education_level", value.get("level"))
    if value.get("level") in (None, "", "none"):
        return level
    return (
        _("%(level)s, full time") % {"level": level}
        if value.get("full_time")
        else _("%(level)s, not full time") % {"level": level}
    )


def _education_required(required: Any) -> str:
    if isinstance(required, str):
        level, _space, rest = required.partition(" ")
        required = {"level": level, "full_time": "full time" in rest}
    if not isinstance(required, Mapping):
        return say(required)
    level = term("education_level", required.get("level"))
    if required.get("full_time"):
        return _("%(level)s or higher, full time") % {"level": level}
    return _("%(level)s or higher") % {"level": level}


def _qualification_words(value: Any, record: Mapping[str, Any]) -> str:
    items = []
    for item in value or []:
        if isinstance(item, str):  # "skill:junior", as recorded by the first engine
            kind, _colon, level = item.partition(":")
            item = {"kind": kind, "level": level}
        ladder = "skill_level" if item.get("kind") == "skill" else "title_level"
        items.append(f"{term('qualification_kind', item.get('kind'))} {term(ladder, item.get('level'))}")
    return "、".join(items) if items else _("none")


def _qualification_required(required: Any) -> str:
    return _("%(level)s or higher") % {"level": term("qualification_minimum", required)}


def _relation_words(value: Any, record: Mapping[str, Any]) -> str:
    return term("host_relation", value) if value else _("no host given")


def _permit_state_words(value: Any, record: Mapping[str, Any]) -> str:
    """A permit's state at intake ("valid" / "not_valid": what the officer entered) or now
    (the permit record's state: valid, lapsed, cancelled, replaced, converted)."""
    if value == "not_valid":
        return _("Not valid")
    return term("permit_state", value)


# What the decision found changed since intake (selectors.application_facts_now).
FACT_CHANGES = {
    "target_urban": Field(gettext_lazy("The town of settlement is urban"), "bool"),
    "home_urban": Field(gettext_lazy("The home's town is urban"), "bool"),
    "lease_private_housing": Field(gettext_lazy("The filed lease is for private housing"), "bool"),
    "lease_urban": Field(gettext_lazy("The rented home's town is urban"), "bool"),
    "lease_term_ended": Field(gettext_lazy("Lease term ended (the lease no longer counts)"), "date"),
    "permit": Field(gettext_lazy("Residence permit"), _permit_state_words),
    "permit_replaced": Field(gettext_lazy("Residence permit number (replaced after loss)"), "text"),
    "permit_held_since": Field(gettext_lazy("Permit holding time counts from"), "date"),
    "permit_issuer_area": Field(gettext_lazy("Permit issued by"), "area"),
    "registration_ended": Field(gettext_lazy("Residence registration in Huzhou ended on"), "date"),
}
register_fields("settlement.change", FACT_CHANGES)
register_terms("settlement_fact_change", {name: spec.label for name, spec in FACT_CHANGES.items()})
register_fields(
    "case",
    {"facts_changed": Field(gettext_lazy("Facts changed since intake"), "settlement_fact_change")},
)

register_terms("skill_level", SKILL_LEVELS)
register_terms("title_level", TITLE_LEVELS)

register_fields(
    "settlement",
    {
        "legal_stable_residence_in_target_area": Field(
            gettext_lazy("Legal stable residence in the area of settlement"), "bool"
        ),
        "home_town": Field(
            gettext_lazy("Town of the legal stable residence"),
            "text",
            required_words=lambda town: _("the town of settlement, %(town)s") % {"town": town},
        ),
        "lease_town": Field(
            gettext_lazy("Town of the rented home"),
            "text",
            required_words=lambda town: _("the town of settlement, %(town)s") % {"town": town},
        ),
        "private_housing_lease": Field(gettext_lazy("Rents private housing"), "bool"),
        "lease_urban": Field(gettext_lazy("Rented home in an urban area"), "bool"),
        "lease_area": Field(gettext_lazy("Area of the rented home"), "area"),
        "lease_filing_months": Field(gettext_lazy("Time since the lease was filed"), "months"),
        "owns_home_in_target_town": Field(
            gettext_lazy("Applicant, spouse or a minor child owns a home in the town of settlement"), "bool"
        ),
        "host_area": Field(gettext_lazy("Host's area"), "area"),
        "lives_with_host": Field(gettext_lazy("Lives with the host"), "bool"),
        "relation": Field(gettext_lazy("Relation to the host"), _relation_words),
        "host_has_urban_stable_residence": Field(
            gettext_lazy("Host has a legal stable residence in an urban area"), "bool"
        ),
        "host_household": Field(gettext_lazy("Host's household"), "host_household_type"),
        "education": Field(gettext_lazy("Education"), _education_words, required_words=_education_required),
        "qualification": Field(
            gettext_lazy("Skill level or professional title"),
            _qualification_words,
            required_words=lambda required: (
                _("%(level)s or higher") % {"level": term("qualification_minimum", required)}
            ),
        ),
        "designated_talent": Field(
            gettext_lazy("Meets a talent definition of a county-level or higher department"), "bool"
        ),
        "target_in_huzhou": Field(gettext_lazy("Place of settlement in Huzhou"), "area", one_of=True),
        "labour_contract": Field(gettext_lazy("Labour contract with an enterprise"), "bool"),
        "employment_area": Field(gettext_lazy("Area of employment"), "area"),
        "social_insurance_months": Field(gettext_lazy("Social insurance paid in Huzhou"), "months"),
        "investment_in_target_area": Field(
            gettext_lazy("Investment in the area of settlement"),
            "investment_kind",
            required_words=lambda area: (
                _("an enterprise, a shareholding, an individual business or commercial property in %(area)s")
                % {"area": say(area, "area")}
            ),
        ),
        "valid_permit_issued_in_target_area": Field(
            gettext_lazy("Valid residence permit issued by the area of settlement"), "bool"
        ),
        "permit_holding_months": Field(gettext_lazy("Time the residence permit has been held"), "months"),
    },
)
register_fields(
    "settlement.S2.1",
    {
        "relation": Field(
            gettext_lazy("Relation to the host"), _relation_words, gettext_lazy("Spouse, or a minor or unmarried child")
        )
    },
)
register_fields(
    "settlement.S2.2",
    {"relation": Field(gettext_lazy("Relation to the host"), "host_relation", one_of=True)},
)
# The facts of an application, as the case page and the audit trail show them.
register_fields(
    "settlement.member",
    {
        "relation": Field(gettext_lazy("Relation"), "family_relation"),
        "marital_status": Field(gettext_lazy("Marital status"), "marital_status"),
        "birth_date": Field(gettext_lazy("Date of birth"), "date"),
    },
)
register_fields(
    "hukou",
    {
        "household": Field(gettext_lazy("Household"), "household"),
        "household_number": Field(gettext_lazy("Household number (户号)"), "text"),
        "clause": Field(gettext_lazy("Clause"), "text"),
        "registered_on": Field(gettext_lazy("Registered on"), "date"),
    },
)
register_fields(
    "settlement.document_added",
    {
        "category": Field(gettext_lazy("Category"), "settlement_category"),
        "code": Field(gettext_lazy("Document"), "text"),
    },
)
register_fields("settlement.document_changed", {"required": Field(gettext_lazy("Required"), "bool")})
