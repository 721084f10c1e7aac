"""R3.1 and R3.2 at their boundaries (pure): the three conditions count only with evidence in
the area applied to, in force on the day; R3.1 converts a permit of any *other* county-level
area of a recognised region."""

import datetime as dt

import pytest

from permits.conditions import Evidence, condition_checks, r31, r32

TODAY = dt.date(2026, 12, 1)
WUXING, NANXUN = "330502", "330503"
LEASE = Evidence("lease_filing", "HZZL-1", WUXING, dt.date(2026, 6, 1), dt.date(2027, 5, 31))


def met(evidence, area=WUXING, on=TODAY):  # type: ignore[no-untyped-def]
    return {check.name: check.ok for check in condition_checks(area=area, evidence=evidence, on=on)}


@pytest.mark.parametrize(("months", "eligible"), [(5, False), (6, True)])
def test_r32_registration_months_boundary(months, eligible):
    result = r32(registration_months=months, min_months=6, area=WUXING, evidence=[LEASE], on=TODAY)
    assert result["eligible"] is eligible


@pytest.mark.parametrize(
    ("evidence", "condition"),
    [
        (LEASE, "stable_residence"),
        (Evidence("home", "浙(2020)湖州市不动产权第0001号", WUXING), "stable_residence"),
        (Evidence("labour_contract", "湖州某某有限公司", WUXING), "stable_employment"),
        (Evidence("business_licence", "某某小吃店", WUXING), "stable_employment"),
        (Evidence("enrolment", "湖州中学", WUXING), "continuous_schooling"),
    ],
)
def test_each_kind_of_evidence_in_the_area_meets_its_condition(evidence, condition):
    assert met([evidence]) == {name: name == condition for name in met([])}
    assert r32(registration_months=6, min_months=6, area=WUXING, evidence=[evidence], on=TODAY)["eligible"]


@pytest.mark.parametrize(
    "evidence",
    [
        Evidence("lease_filing", "HZZL-2", NANXUN, dt.date(2026, 6, 1), dt.date(2027, 5, 31)),
        Evidence("home", "x", NANXUN),
        Evidence("labour_contract", "南浔某某有限公司", NANXUN),
        Evidence("business_licence", "南浔某店", NANXUN),
        Evidence("enrolment", "南浔中学", NANXUN),
    ],
)
def test_evidence_in_another_area_meets_nothing(evidence):
    """Finding 9: any employer name or school used to pass; now its area must be the one applied to."""
    assert not any(met([evidence]).values())
    checks = r32(registration_months=60, min_months=6, area=WUXING, evidence=[evidence], on=TODAY)
    assert not checks["eligible"]
    [offered] = next(c for c in checks["checks"] if isinstance(c["value"], list) and c["value"])["value"]
    assert (offered["used"], offered["problem"]) == (False, "not_in_area")


@pytest.mark.parametrize(
    ("on", "ok", "problem"),
    [
        (dt.date(2026, 5, 31), False, "not_yet"),
        (dt.date(2026, 6, 1), True, None),
        (dt.date(2027, 5, 31), True, None),  # the term's last day
        (dt.date(2027, 6, 1), False, "ended"),  # finding 9: a lease counted after its term ended
    ],
)
def test_a_lease_counts_only_within_its_term(on, ok, problem):
    [residence, *_] = condition_checks(area=WUXING, evidence=[LEASE], on=on)
    assert residence.ok is ok
    assert residence.value[0].get("problem") == problem


def test_the_check_names_the_evidence_used():
    other = Evidence("lease_filing", "HZZL-OLD", WUXING, dt.date(2024, 1, 1), dt.date(2025, 1, 1))
    home = Evidence("home", "浙(2020)湖州市不动产权第0002号", WUXING)
    [residence, *_] = condition_checks(area=WUXING, evidence=[other, LEASE, home], on=TODAY)
    assert [(item["reference"], item["used"]) for item in residence.value] == [
        ("HZZL-OLD", False),
        ("HZZL-1", True),  # the first that meets it, and only one
        ("浙(2020)湖州市不动产权第0002号", False),
    ]


def test_r32_needs_a_condition():
    assert not r32(registration_months=60, min_months=6, area=WUXING, evidence=[], on=TODAY)["eligible"]


def conversion(**overrides):  # type: ignore[no-untyped-def]
    facts = {
        "other_region": "330106",
        "valid_until": TODAY,
        "today": TODAY,
        "area": NANXUN,
        "recognised_regions": ["330000"],
        "local_registration_in_area": True,
        "evidence": [Evidence("labour_contract", "南浔某某有限公司", NANXUN)],
    }
    facts.update(overrides)
    return r31(**facts)["eligible"]


def test_r31_all_met_on_the_last_valid_day():
    assert conversion()


def test_r31_converts_a_permit_of_another_huzhou_area():
    """Finding 2: a 吴兴 permit converts in 南浔 (any 3305xx issuer was refused)."""
    assert conversion(other_region=WUXING, area=NANXUN)


def test_r31_reads_the_recognised_regions():
    """R3.3: with the Yangtze River Delta recognised, a Shanghai permit converts; with Zhejiang
    only it does not (the code read a hard-coded ^33)."""
    assert not conversion(other_region="310104")
    assert conversion(other_region="310104", recognised_regions=["330000", "310000"])


@pytest.mark.parametrize(
    "overrides",
    [
        {"valid_until": TODAY - dt.timedelta(days=1)},
        {"valid_until": None},
        {"other_region": NANXUN},  # the area applied to: nothing to convert
        {"other_region": "320102"},  # not a recognised region
        {"other_region": "33010"},  # not an area code
        {"local_registration_in_area": False},
        {"evidence": []},
        {"evidence": [Evidence("labour_contract", "吴兴某某有限公司", WUXING)]},  # a condition elsewhere
    ],
)
def test_r31_each_condition_refuses(overrides):
    assert not conversion(**overrides)
