"""How the engine's codes read in the UI (GLOSSARY.md)."""

from django.utils.translation import gettext_lazy as _

HOUSEHOLDS = {
    "own_home": _("The legal stable residence (家庭户)"),
    "rental_home": _("The rented home"),
    "community_collective": _("Community public collective household (社区公共集体户)"),
    "host_household": _("The host's household"),
    "host_family_household": _("The host's family household (家庭户)"),
    "relative_family_household": _("A relative's or friend's family household"),
    "employer_collective": _("Employer collective household (单位集体户)"),
    "talent_market_collective": _("Talent market collective household (人才市场集体户)"),
}
CHECKS = {
    "legal_stable_residence_in_target_area": _("legal stable residence in the area"),
    "private_housing_lease": _("private housing lease"),
    "lease_urban": _("rented home in an urban area"),
    "lease_area": _("rented home's area"),
    "lease_filing_months": _("months since the lease was filed"),
    "owns_home_in_target_town": _("owns a home in the town"),
    "host_area": _("host's area"),
    "lives_with_host": _("lives with the host"),
    "relation": _("relation to the host"),
    "host_has_urban_stable_residence": _("host's urban legal stable residence"),
    "host_household": _("host's household"),
    "education": _("education"),
    "qualification": _("qualification"),
    "designated_talent": _("designated talent"),
    "target_in_huzhou": _("settlement in Huzhou"),
    "labour_contract": _("labour contract"),
    "employment_area": _("area of employment"),
    "social_insurance_months": _("months of social insurance"),
    "investment_in_target_area": _("investment in the area"),
    "valid_permit_issued_in_target_area": _("valid permit issued in the area"),
    "permit_holding_months": _("months the permit is held"),
}
RELATIONS = {
    "spouse": _("Spouse"),
    "child": _("Child"),
    "parent": _("Parent"),
    "sibling": _("Sibling"),
    "grandchild": _("Grandchild"),
    "other": _("Other"),
}
