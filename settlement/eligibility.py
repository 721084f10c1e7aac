"""The settlement eligibility engine (落户预审): facts in, decision out. Pure Python.

Implements ``../shared/policy/ELIGIBILITY.md`` over RULES.md section 02: S0, the eight routes
S1.1–S5.1 (each its own small rule returning its checks), the household order S7.1 and the
accompanying family S6.1. No database access here: a selector gathers the facts and the rule
parameters in force on ``as_of``; the service records the decision with the values it used.
"""

import calendar
import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

HUZHOU_AREAS = ("330502", "330503", "330521", "330522", "330523")

EDUCATION_LEVELS = (
    "none",
    "primary",
    "junior_secondary",
    "senior_secondary",
    "secondary_vocational",
    "associate",
    "bachelor",
    "master",
    "doctorate",
)
QUALIFICATION_LADDERS = {
    "skill": ("junior", "intermediate", "senior", "technician", "senior_technician"),
    "title": ("junior", "intermediate", "associate_senior", "senior"),
}
MARITAL_STATUSES = ("unmarried", "married", "divorced", "widowed")
HOME_HOLDERS = ("self", "spouse", "parent", "grandparent", "child", "grandchild")
HOME_RIGHTS = ("ownership", "use_right", "public_tenancy")
INVESTMENT_KINDS = ("enterprise", "shareholder", "individual_business", "commercial_property")
HOST_RELATIONS = (
    "spouse",
    "child",
    "grandchild",
    "parent",
    "grandparent",
    "spouse_parent",
    "spouse_grandparent",
    "spouse_child",
    "spouse_grandchild",
    "child_spouse",
    "sibling",
    "other",
)
# S2.2: the host's lineal relatives, the spouse's lineal relatives (配偶的直系亲属: parents,
# grandparents, children, grandchildren) and the children's spouses.
S22_RELATIONS = (
    "child",
    "grandchild",
    "parent",
    "grandparent",
    "spouse_parent",
    "spouse_grandparent",
    "spouse_child",
    "spouse_grandchild",
    "child_spouse",
)
FAMILY_RELATIONS = ("spouse", "child", "parent", "sibling", "grandchild", "other")
ROUTE_CLAUSES = ("S1.1", "S1.2", "S2.1", "S2.2", "S3.1", "S4.1", "S4.2", "S5.1")


# --- dates -------------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months, clamped to the month's last day: 2026-08-31 + 6 = 2027-02-28.

    Saturates at ``date.max`` / ``date.min`` instead of failing: facts are bounded to
    1900-2100 (``facts.py``), and even an absurd parameter never makes the engine crash."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    if year > dt.MAXYEAR:
        return dt.date.max
    if year < dt.MINYEAR:
        return dt.date.min
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_reached(start: dt.date, as_of: dt.date) -> int:
    """The largest N for which ``start`` has reached N months on ``as_of`` (0 if none)."""
    if as_of < start:
        return 0
    months = (as_of.year - start.year) * 12 + as_of.month - start.month
    while months > 0 and add_months(start, months) > as_of:
        months -= 1
    return months


def age_on(birth_date: dt.date, as_of: dt.date) -> int:
    """Whole years from ``birth_date`` to ``as_of``."""
    return as_of.year - birth_date.year - ((as_of.month, as_of.day) < (birth_date.month, birth_date.day))


# --- facts and parameters ------------------------------------------------------------------------


@dataclass(frozen=True)
class Home:
    holder: str
    right: str
    area: str
    urban: bool
    town: str = ""  # the sub-district/town (乡镇/街道) the home lies in; "" when not given


@dataclass(frozen=True)
class Lease:
    private_housing: bool = False
    area: str = ""
    urban: bool = False
    filed_on: dt.date | None = None
    owner_consents: bool = False
    town: str = ""


@dataclass(frozen=True)
class Employment:
    labour_contract: bool = False
    area: str = ""
    social_insurance_months: int = 0


@dataclass(frozen=True)
class Permit:
    issuer_area: str
    issued_on: dt.date
    valid: bool
    # The day holding time counts from (ELIGIBILITY.md): the issue day, or the day a lapsed
    # permit was re-endorsed (居住证暂行条例 第十三条). None: the issue day.
    held_since: dt.date | None = None

    @property
    def holding_from(self) -> dt.date:
        return self.held_since or self.issued_on


@dataclass(frozen=True)
class Host:
    relation: str = "other"
    lives_with_host: bool = False
    area: str = ""
    host_has_urban_stable_residence: bool = False
    household: str = "family"


@dataclass(frozen=True)
class Qualification:
    kind: str
    level: str


@dataclass(frozen=True)
class FamilyMember:
    ref: str
    relation: str
    birth_date: dt.date
    marital_status: str


@dataclass(frozen=True)
class Facts:
    as_of: dt.date
    target_area: str
    target_urban: bool
    birth_date: dt.date
    marital_status: str
    # The sub-district/town of settlement; "" when not given (the area codes then decide S1.1
    # and S1.2, as in the first edition of ELIGIBILITY.md).
    target_town: str = ""
    education_level: str = "none"
    education_full_time: bool = False
    qualifications: tuple[Qualification, ...] = ()
    designated_talent: bool = False
    homes: tuple[Home, ...] = ()
    owns_home_in_target_town: bool = False
    lease: Lease | None = None
    employment: Employment | None = None
    investments: tuple[tuple[str, str], ...] = ()  # (kind, area)
    permits: tuple[Permit, ...] = ()
    host: Host | None = None
    relative_family_household: bool = False
    employer_collective_household: bool = False
    talent_market_collective_household: bool = False
    family: tuple[FamilyMember, ...] = ()


@dataclass(frozen=True)
class Parameters:
    """The rule parameters the engine reads ([param] of RULES.md section 02)."""

    lease_filing_min_months: int = 6
    talent_min_education: str = "secondary_vocational"
    talent_full_time_required: bool = True
    talent_min_qualification: str = "junior"
    social_insurance_min_months: int = 1
    permit_holding_min_months: int = 6
    minor_age_years: int = 18


# --- decision ------------------------------------------------------------------------------------


@dataclass
class Check:
    name: str
    value: Any
    required: Any
    ok: bool


@dataclass
class Route:
    clause: str
    eligible: bool
    checks: list[Check]
    household: str | None = None
    address_order: int | None = None
    eligible_from: dt.date | None = None


@dataclass
class FamilyVerdict:
    ref: str
    may_accompany: bool
    clause: str
    reason: str


@dataclass
class Decision:
    as_of: dt.date
    eligible: bool
    refusal: str | None
    routes: list[Route]
    family: list[FamilyVerdict]
    parameters: dict[str, Any] = field(default_factory=dict)

    def eligible_routes(self) -> list[Route]:
        return [route for route in self.routes if route.eligible]

    def to_json(self) -> dict[str, Any]:
        def route_json(route: Route) -> dict[str, Any]:
            data = {
                "clause": route.clause,
                "eligible": route.eligible,
                "household": route.household,
                "address_order": route.address_order,
                "checks": [asdict(check) for check in route.checks],
            }
            if route.eligible_from is not None:
                data["eligible_from"] = route.eligible_from.isoformat()
            return data

        return {
            "as_of": self.as_of.isoformat(),
            "eligible": self.eligible,
            "refusal": self.refusal,
            "routes": [route_json(route) for route in self.routes],
            "family": [asdict(verdict) for verdict in self.family],
            "parameters": self.parameters,
        }


# --- the routes ----------------------------------------------------------------------------------


def _same_town(town: str, facts: Facts) -> bool:
    """ELIGIBILITY.md, "Towns": where the town of settlement and the home's or the lease's town
    are both given, they must be equal (在房屋所在地 / 在租赁住房所在地落户); without both, the
    area codes decide."""
    return not (town and facts.target_town) or town == facts.target_town


def _s11_homes_in_area(facts: Facts) -> list[Home]:
    """The homes that meet S1.1 in the target area: the person's own with any right, or one
    owned by the spouse or a lineal relative, urban."""
    return [
        home
        for home in facts.homes
        if home.urban and home.area == facts.target_area and (home.holder == "self" or home.right == "ownership")
    ]


def _s11_home(facts: Facts) -> Home | None:
    """A home that meets S1.1 at the place of settlement: in its area and, where both towns are
    given, in its town."""
    return next((home for home in _s11_homes_in_area(facts) if _same_town(home.town, facts)), None)


def rule_s11(facts: Facts, params: Parameters) -> Route:
    in_area = _s11_homes_in_area(facts)
    home = _s11_home(facts)
    checks = [Check("legal_stable_residence_in_target_area", bool(in_area), True, bool(in_area))]
    towns = sorted({h.town for h in in_area if h.town})
    if facts.target_town and towns:
        checks.append(Check("home_town", towns or None, facts.target_town, home is not None))
    return Route("S1.1", home is not None, checks, household="own_home" if home else None)


def rule_s12(facts: Facts, params: Parameters) -> Route:
    lease = facts.lease or Lease()
    filed_months = months_reached(lease.filed_on, facts.as_of) if lease.filed_on else 0
    checks = [
        Check("private_housing_lease", lease.private_housing, True, lease.private_housing),
        Check("lease_urban", lease.urban, True, lease.urban),
        Check("lease_area", lease.area or None, facts.target_area, lease.area == facts.target_area),
    ]
    if facts.target_town and lease.town:
        checks.append(Check("lease_town", lease.town, facts.target_town, _same_town(lease.town, facts)))
    checks += [
        Check(
            "lease_filing_months",
            filed_months,
            params.lease_filing_min_months,
            lease.filed_on is not None and filed_months >= params.lease_filing_min_months,
        ),
        Check("owns_home_in_target_town", facts.owns_home_in_target_town, False, not facts.owns_home_in_target_town),
    ]
    eligible = all(check.ok for check in checks)
    route = Route("S1.2", eligible, checks)
    if eligible:
        route.household = "rental_home" if lease.owner_consents else "community_collective"
    elif lease.filed_on is not None and all(check.ok for check in checks if check.name != "lease_filing_months"):
        route.eligible_from = add_months(lease.filed_on, params.lease_filing_min_months)
    return route


def rule_s21(facts: Facts, params: Parameters) -> Route:
    host = facts.host or Host()
    minor = age_on(facts.birth_date, facts.as_of) < params.minor_age_years
    relation_ok = host.relation == "spouse" or (
        host.relation == "child" and (minor or facts.marital_status == "unmarried")
    )
    checks = [
        Check("host_area", host.area or None, facts.target_area, bool(facts.host) and host.area == facts.target_area),
        Check("lives_with_host", host.lives_with_host, True, host.lives_with_host),
        Check("relation", host.relation if facts.host else None, "spouse | minor or unmarried child", relation_ok),
    ]
    eligible = all(check.ok for check in checks)
    return Route("S2.1", eligible, checks, household="host_household" if eligible else None)


def rule_s22(facts: Facts, params: Parameters) -> Route:
    host = facts.host or Host()
    checks = [
        Check("host_area", host.area or None, facts.target_area, bool(facts.host) and host.area == facts.target_area),
        Check(
            "host_has_urban_stable_residence",
            host.host_has_urban_stable_residence,
            True,
            host.host_has_urban_stable_residence,
        ),
        Check("host_household", host.household if facts.host else None, "family", host.household == "family"),
        Check("relation", host.relation if facts.host else None, list(S22_RELATIONS), host.relation in S22_RELATIONS),
    ]
    eligible = all(check.ok for check in checks)
    return Route("S2.2", eligible, checks, household="host_family_household" if eligible else None)


def _at_or_after(ladder: tuple[str, ...], level: str, minimum: str) -> bool:
    return level in ladder and minimum in ladder and ladder.index(level) >= ladder.index(minimum)


def rule_s31(facts: Facts, params: Parameters) -> Route:
    education_ok = _at_or_after(EDUCATION_LEVELS, facts.education_level, params.talent_min_education) and (
        facts.education_full_time or not params.talent_full_time_required
    )
    qualification_ok = any(
        _at_or_after(QUALIFICATION_LADDERS.get(q.kind, ()), q.level, params.talent_min_qualification)
        for q in facts.qualifications
    )
    checks = [
        Check(
            "education",
            {"level": facts.education_level, "full_time": facts.education_full_time},
            {"level": params.talent_min_education, "full_time": params.talent_full_time_required},
            education_ok,
        ),
        Check(
            "qualification",
            [{"kind": q.kind, "level": q.level} for q in facts.qualifications],
            params.talent_min_qualification,
            qualification_ok,
        ),
        Check("designated_talent", facts.designated_talent, True, facts.designated_talent),
        Check("target_in_huzhou", facts.target_area, list(HUZHOU_AREAS), facts.target_area in HUZHOU_AREAS),
    ]
    eligible = (education_ok or qualification_ok or facts.designated_talent) and checks[-1].ok
    return Route("S3.1", eligible, checks)


def rule_s41(facts: Facts, params: Parameters) -> Route:
    job = facts.employment or Employment()
    checks = [
        Check("labour_contract", job.labour_contract, True, job.labour_contract),
        Check("employment_area", job.area or None, facts.target_area, job.area == facts.target_area),
        Check(
            "social_insurance_months",
            job.social_insurance_months,
            params.social_insurance_min_months,
            job.social_insurance_months >= params.social_insurance_min_months,
        ),
    ]
    return Route("S4.1", all(check.ok for check in checks), checks)


def rule_s42(facts: Facts, params: Parameters) -> Route:
    kinds = [kind for kind, area in facts.investments if area == facts.target_area]
    check = Check("investment_in_target_area", kinds or None, facts.target_area, bool(kinds))
    return Route("S4.2", bool(kinds), [check])


def rule_s51(facts: Facts, params: Parameters) -> Route:
    candidates = [p for p in facts.permits if p.valid and p.issuer_area == facts.target_area]
    earliest = min((p.holding_from for p in candidates), default=None)
    held = months_reached(earliest, facts.as_of) if earliest else 0
    checks = [
        Check("valid_permit_issued_in_target_area", bool(candidates), True, bool(candidates)),
        Check(
            "permit_holding_months",
            held,
            params.permit_holding_min_months,
            earliest is not None and held >= params.permit_holding_min_months,
        ),
    ]
    route = Route("S5.1", all(check.ok for check in checks), checks)
    if not route.eligible and earliest is not None:
        route.eligible_from = add_months(earliest, params.permit_holding_min_months)
    return route


RULES = (rule_s11, rule_s12, rule_s21, rule_s22, rule_s31, rule_s41, rule_s42, rule_s51)
S71_CLAUSES = ("S3.1", "S4.1", "S4.2", "S5.1")


def household_by_s71(facts: Facts) -> tuple[str, int]:
    """S7.1: the first available registration address, and its position (1–5)."""
    if _s11_home(facts) is not None:
        return "own_home", 1
    if facts.relative_family_household:
        return "relative_family_household", 2
    if facts.employer_collective_household:
        return "employer_collective", 3
    if facts.talent_market_collective_household:
        return "talent_market_collective", 4
    return "community_collective", 5


def family_verdict(member: FamilyMember, facts: Facts, params: Parameters) -> FamilyVerdict:
    """S6.1: the spouse, minor children and unmarried children may move with the applicant."""
    minor = age_on(member.birth_date, facts.as_of) < params.minor_age_years
    if member.relation == "spouse":
        return FamilyVerdict(member.ref, True, "S6.1", "spouse")
    if member.relation == "child" and minor:
        return FamilyVerdict(member.ref, True, "S6.1", "minor child")
    if member.relation == "child" and member.marital_status == "unmarried":
        return FamilyVerdict(member.ref, True, "S6.1", "unmarried child")
    if member.relation == "child":
        reason = "adult married child: may apply on their own (e.g. under S2.2)"
    elif member.relation in {"parent", "grandchild"}:
        reason = f"{member.relation}: not covered by S6.1; may apply on their own (e.g. under S2.2)"
    else:
        reason = f"{member.relation}: not covered by S6.1; may apply on their own under another clause"
    return FamilyVerdict(member.ref, False, "S6.1", reason)


def accompanying_family(facts: Facts, params: Parameters) -> list[FamilyVerdict]:
    """S6.1 for every family member, by relation: what applies whenever the person settles —
    under an eligible route, or on a supervisor's justified approval against the engine (the
    approval settles the person, and 上述人员办理落户时 the family follows by the same sentence)."""
    return [family_verdict(member, facts, params) for member in facts.family]


def decide(facts: Facts, params: Parameters) -> Decision:
    parameters = asdict(params)
    if not facts.target_urban:
        family = [FamilyVerdict(m.ref, False, "S6.1", "no eligible route: nobody may accompany") for m in facts.family]
        return Decision(facts.as_of, False, "S0", [], family, parameters)
    routes = [rule(facts, params) for rule in RULES]
    household, order = household_by_s71(facts)
    for route in routes:
        if route.eligible and route.clause in S71_CLAUSES:
            route.household, route.address_order = household, order
    eligible = any(route.eligible for route in routes)
    if eligible:
        family = accompanying_family(facts, params)
    else:
        family = [FamilyVerdict(m.ref, False, "S6.1", "no eligible route: nobody may accompany") for m in facts.family]
    return Decision(facts.as_of, eligible, None, routes, family, parameters)
