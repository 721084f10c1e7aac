"""R3.1 and R3.2 as checks: pure functions over facts a selector gathered.

R3.2 (申领): continuous registration in recognised regions ≥ ``permit_registration_min_months``
and one of the three conditions. R3.1 (互认转换): a valid 浙江省居住证 issued elsewhere in
Zhejiang, one condition, and a local registration in the area applied to.
"""

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class ConditionFacts:
    lease_filing_in_area: bool  # a filed lease in the area (legal stable residence)
    owns_home_in_area: bool
    labour_contract_in_area: bool  # labour contract or business licence in the area
    enrolled_in_area: bool  # continuous schooling in the area


@dataclass
class Check:
    name: str
    value: Any
    required: Any
    ok: bool


def condition_checks(facts: ConditionFacts) -> list[Check]:
    residence = facts.lease_filing_in_area or facts.owns_home_in_area
    return [
        Check("stable_residence", residence, True, residence),
        Check("stable_employment", facts.labour_contract_in_area, True, facts.labour_contract_in_area),
        Check("continuous_schooling", facts.enrolled_in_area, True, facts.enrolled_in_area),
    ]


def r32(*, registration_months: int, min_months: int, facts: ConditionFacts) -> dict[str, Any]:
    conditions = condition_checks(facts)
    months = Check("registration_months", registration_months, min_months, registration_months >= min_months)
    met = months.ok and any(check.ok for check in conditions)
    return {"clause": "R3.2", "eligible": met, "checks": [asdict(c) for c in [months, *conditions]]}


def r31(
    *,
    other_region: str,
    valid_until: dt.date | None,
    today: dt.date,
    local_registration_in_area: bool,
    facts: ConditionFacts,
) -> dict[str, Any]:
    conditions = condition_checks(facts)
    zhejiang_elsewhere = other_region.startswith("33") and not other_region.startswith("3305")
    checks = [
        Check("permit_issued_elsewhere_in_zhejiang", other_region, "33xxxx (not 3305xx)", zhejiang_elsewhere),
        Check(
            "permit_valid",
            valid_until.isoformat() if valid_until else None,
            today.isoformat(),
            bool(valid_until and valid_until >= today),
        ),
        Check("local_registration_in_area", local_registration_in_area, True, local_registration_in_area),
        *conditions,
    ]
    met = all(c.ok for c in checks[:3]) and any(c.ok for c in conditions)
    return {"clause": "R3.1", "eligible": met, "checks": [asdict(c) for c in checks]}
