"""R3.1 and R3.2 at their boundaries."""

import datetime as dt

import pytest

from permits.conditions import ConditionFacts, r31, r32

NONE = ConditionFacts(False, False, False, False)
RESIDENCE = ConditionFacts(True, False, False, False)


@pytest.mark.parametrize(("months", "eligible"), [(5, False), (6, True)])
def test_r32_registration_months_boundary(months, eligible):
    assert r32(registration_months=months, min_months=6, facts=RESIDENCE)["eligible"] is eligible


@pytest.mark.parametrize(
    "facts",
    [
        ConditionFacts(True, False, False, False),
        ConditionFacts(False, True, False, False),
        ConditionFacts(False, False, True, False),
        ConditionFacts(False, False, False, True),
    ],
)
def test_r32_any_one_condition_is_enough(facts):
    assert r32(registration_months=6, min_months=6, facts=facts)["eligible"]


def test_r32_needs_a_condition():
    assert not r32(registration_months=60, min_months=6, facts=NONE)["eligible"]


TODAY = dt.date(2026, 12, 1)


def conversion(**overrides):  # type: ignore[no-untyped-def]
    facts = {
        "other_region": "330106",
        "valid_until": TODAY,
        "today": TODAY,
        "local_registration_in_area": True,
        "facts": RESIDENCE,
    }
    facts.update(overrides)
    return r31(**facts)["eligible"]


def test_r31_all_met_on_the_last_valid_day():
    assert conversion()


@pytest.mark.parametrize(
    "overrides",
    [
        {"valid_until": TODAY - dt.timedelta(days=1)},
        {"valid_until": None},
        {"other_region": "330502"},  # a Huzhou permit is not converted, it is the same
        {"other_region": "320102"},  # not a 浙江省居住证
        {"local_registration_in_area": False},
        {"facts": NONE},
    ],
)
def test_r31_each_condition_refuses(overrides):
    assert not conversion(**overrides)
