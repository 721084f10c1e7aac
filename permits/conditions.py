"""R3.1 and R3.2 as checks: pure functions over facts a selector gathered.

R3.2 (申领): continuous registration in recognised regions ≥ ``permit_registration_min_months``
and one of the three conditions. R3.1 (互认转换): a valid residence permit issued by *another*
county-level area of a recognised region (``recognised_regions``, R3.3), one condition, and a
local registration in the area applied to.

The three conditions hold only in the area applied to (「符合合法稳定居住、就业和连续就读条件之一」,
in the place where the person applies): each is met by a piece of evidence whose area is that
area and which is in force on the day — a filed lease within its term or a home there; a labour
contract or business licence with an employer there; an enrolment at a school there. The check
lists every piece offered and marks the one used, so the case page says which evidence met it.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from registration.continuity import is_recognised

# Which condition each kind of evidence shows.
EVIDENCE_CONDITION = {
    "lease_filing": "stable_residence",
    "home": "stable_residence",
    "labour_contract": "stable_employment",
    "business_licence": "stable_employment",
    "enrolment": "continuous_schooling",
}
CONDITION_NAMES = ("stable_residence", "stable_employment", "continuous_schooling")


@dataclass(frozen=True)
class Evidence:
    """One document the officer checked: its kind, what it names (filing or certificate number,
    employer, school), the county-level area where it lies, and the days it is in force (a
    lease's term; open-ended for the others)."""

    kind: str
    reference: str
    area: str
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None

    def problem(self, *, area: str, on: dt.date) -> str | None:
        """Why it does not count for ``area`` on ``on``: not_in_area, not_yet, ended; or None."""
        if self.area != area:
            return "not_in_area"
        if self.valid_from is not None and on < self.valid_from:
            return "not_yet"
        if self.valid_until is not None and on > self.valid_until:
            return "ended"
        return None


@dataclass
class Check:
    name: str
    value: Any
    required: Any
    ok: bool


def _evidence_json(evidence: Evidence, problem: str | None, used: bool) -> dict[str, Any]:
    item: dict[str, Any] = {"kind": evidence.kind, "reference": evidence.reference, "area": evidence.area}
    if evidence.valid_until is not None:
        item["until"] = evidence.valid_until.isoformat()
    if evidence.valid_from is not None:
        item["from"] = evidence.valid_from.isoformat()
    item["used"] = used
    if problem is not None:
        item["problem"] = problem
    return item


def condition_checks(*, area: str, evidence: Iterable[Evidence], on: dt.date) -> list[Check]:
    """One check per condition: met when a piece of its evidence lies in ``area`` and is in
    force on ``on``. ``value`` lists the pieces offered (the first that meets it ``used``);
    ``required`` is the area."""
    offered: dict[str, list[Evidence]] = {name: [] for name in CONDITION_NAMES}
    for item in evidence:
        offered[EVIDENCE_CONDITION[item.kind]].append(item)
    checks = []
    for name in CONDITION_NAMES:
        items, used_one = [], False
        for item in offered[name]:
            problem = item.problem(area=area, on=on)
            used = problem is None and not used_one
            used_one = used_one or used
            items.append(_evidence_json(item, problem, used))
        checks.append(Check(name, items, area, used_one))
    return checks


def r32(
    *, registration_months: int, min_months: int, area: str, evidence: Sequence[Evidence], on: dt.date
) -> dict[str, Any]:
    conditions = condition_checks(area=area, evidence=evidence, on=on)
    months = Check("registration_months", registration_months, min_months, registration_months >= min_months)
    met = months.ok and any(check.ok for check in conditions)
    return {"clause": "R3.2", "eligible": met, "checks": [asdict(c) for c in [months, *conditions]]}


def in_recognised_region(region_code: str, recognised_regions: Iterable[str]) -> bool:
    """A six-digit code inside a recognised province (330000 covers 3301xx, 3305xx …)."""
    return len(region_code) == 6 and region_code.isdigit() and is_recognised(region_code, recognised_regions)


def permit_issued_in_another_area(other_region: str, *, area: str, recognised_regions: Iterable[str]) -> bool:
    """R3.1: the permit held comes from a recognised region, and from a county-level area other
    than the one applied to (within one area there is nothing to convert)."""
    return in_recognised_region(other_region, recognised_regions) and other_region != area


def r31(
    *,
    other_region: str,
    valid_until: dt.date | None,
    today: dt.date,
    area: str,
    recognised_regions: Sequence[str],
    local_registration_in_area: bool,
    evidence: Sequence[Evidence],
) -> dict[str, Any]:
    conditions = condition_checks(area=area, evidence=evidence, on=today)
    checks = [
        Check(
            "permit_issued_in_another_area",
            other_region,
            {"not": area, "regions": list(recognised_regions)},
            permit_issued_in_another_area(other_region, area=area, recognised_regions=recognised_regions),
        ),
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
