"""The engine against ELIGIBILITY.md: its five examples, every clause at its boundaries, and
properties over many fact sets. Pure: no database."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from settlement import eligibility as e
from settlement.facts import FactsError, parse_facts

P = e.Parameters()
D = dt.date


def facts(**person):  # type: ignore[no-untyped-def]
    document = {
        "as_of": person.pop("as_of", "2026-12-01"),
        "target": person.pop("target", {"area": "330502", "urban": True}),
        "person": {"birth_date": "1995-03-02", "marital_status": "married", **person},
        "family": person.pop("family", []) if "family" in person else [],
    }
    return document


def decide(document, params=P):  # type: ignore[no-untyped-def]
    return e.decide(parse_facts(document), params)


def route(decision, clause):  # type: ignore[no-untyped-def]
    return next(r for r in decision.routes if r.clause == clause)


# --- the five examples of ELIGIBILITY.md -----------------------------------------------------------


def test_example_1_bachelor_settles_as_talent_in_the_community_household():
    decision = decide(facts(education={"level": "bachelor", "full_time": True}))
    assert decision.eligible
    s31 = route(decision, "S3.1")
    assert (s31.eligible, s31.household, s31.address_order) == (True, "community_collective", 5)
    assert [r.clause for r in decision.routes if r.eligible] == ["S3.1"]
    assert [r.clause for r in decision.routes] == list(e.ROUTE_CLAUSES)


def test_example_2_talent_market_household():
    decision = decide(
        facts(
            education={"level": "bachelor", "full_time": True},
            options={"talent_market_collective_household": True},
        )
    )
    s31 = route(decision, "S3.1")
    assert (s31.household, s31.address_order) == ("talent_market_collective", 4)


def test_example_3_lease_not_yet_six_months_says_from_when():
    decision = decide(
        facts(
            target={"area": "330503", "urban": True},
            lease={"private_housing": True, "area": "330503", "urban": True, "filed_on": "2026-06-15"},
        )
    )
    s12 = route(decision, "S1.2")
    assert s12.eligible is False
    assert s12.eligible_from == D(2026, 12, 15)
    assert s12.household is None


def test_example_4_not_urban_is_refused_by_s0():
    decision = decide(
        facts(target={"area": "330502", "urban": False}, education={"level": "doctorate", "full_time": True})
    )
    assert (decision.eligible, decision.refusal, decision.routes) == (False, "S0", [])


def test_example_5_married_adult_child_joins_under_s22_not_s21():
    decision = decide(
        facts(
            birth_date="1986-05-01",
            marital_status="married",
            host={
                "relation": "child",
                "lives_with_host": True,
                "area": "330521",
                "host_has_urban_stable_residence": True,
                "household": "family",
            },
            target={"area": "330521", "urban": True},
        )
    )
    assert route(decision, "S2.2").eligible and route(decision, "S2.2").household == "host_family_household"
    assert route(decision, "S2.1").eligible is False


# --- dates ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 8, 31), 6, D(2027, 2, 28)),
        (D(2027, 8, 31), 6, D(2028, 2, 29)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2026, 6, 15), 6, D(2026, 12, 15)),
        (D(2026, 12, 31), 2, D(2027, 2, 28)),
    ],
)
def test_calendar_months_clamp_to_month_end(start, months, expected):
    assert e.add_months(start, months) == expected


def test_months_reached_counts_whole_calendar_months():
    assert e.months_reached(D(2026, 8, 31), D(2027, 2, 27)) == 5
    assert e.months_reached(D(2026, 8, 31), D(2027, 2, 28)) == 6
    assert e.months_reached(D(2026, 6, 15), D(2026, 12, 14)) == 5


def test_age_in_whole_years_turns_on_the_birthday():
    assert e.age_on(D(2008, 12, 1), D(2026, 11, 30)) == 17
    assert e.age_on(D(2008, 12, 1), D(2026, 12, 1)) == 18
    assert e.age_on(D(2008, 2, 29), D(2026, 2, 28)) == 17
    assert e.age_on(D(2008, 2, 29), D(2026, 3, 1)) == 18


# --- each clause at its boundaries ------------------------------------------------------------------


def lease(filed_on, **extra):  # type: ignore[no-untyped-def]
    return {"private_housing": True, "area": "330502", "urban": True, "filed_on": filed_on, **extra}


@pytest.mark.parametrize(("as_of", "eligible"), [("2027-02-27", False), ("2027-02-28", True)])
def test_s12_lease_filed_on_a_month_end(as_of, eligible):
    decision = decide(facts(as_of=as_of, lease=lease("2026-08-31")))
    assert route(decision, "S1.2").eligible is eligible


def test_s12_household_depends_on_the_owners_consent():
    assert route(decide(facts(lease=lease("2026-01-01"))), "S1.2").household == "community_collective"
    consent = decide(facts(lease=lease("2026-01-01", owner_consents=True)))
    assert route(consent, "S1.2").household == "rental_home"


@pytest.mark.parametrize(
    "change",
    [
        {"private_housing": False},
        {"urban": False},
        {"area": "330503"},
    ],
)
def test_s12_needs_a_private_urban_lease_in_the_target_area(change):
    decision = decide(facts(lease=lease("2026-01-01", **change)))
    assert route(decision, "S1.2").eligible is False
    assert route(decision, "S1.2").eligible_from is None


def test_s12_refused_when_a_home_is_owned_in_the_town():
    decision = decide(facts(lease=lease("2026-01-01"), owns_home_in_target_town=True))
    assert route(decision, "S1.2").eligible is False


@pytest.mark.parametrize(
    ("holder", "right", "eligible"),
    [
        ("self", "ownership", True),
        ("self", "use_right", True),
        ("self", "public_tenancy", True),
        ("spouse", "ownership", True),
        ("parent", "ownership", True),
        ("grandparent", "ownership", True),
        ("child", "ownership", True),
        ("grandchild", "ownership", True),
        ("spouse", "use_right", False),
        ("parent", "public_tenancy", False),
    ],
)
def test_s11_each_holder_and_right(holder, right, eligible):
    decision = decide(facts(homes=[{"holder": holder, "right": right, "area": "330502", "urban": True}]))
    assert route(decision, "S1.1").eligible is eligible
    assert route(decision, "S1.1").household == ("own_home" if eligible else None)


def test_s11_home_elsewhere_does_not_count():
    decision = decide(facts(homes=[{"holder": "self", "right": "ownership", "area": "330503", "urban": True}]))
    assert route(decision, "S1.1").eligible is False


def host(relation, **extra):  # type: ignore[no-untyped-def]
    return {"relation": relation, "lives_with_host": True, "area": "330502", "household": "family", **extra}


@pytest.mark.parametrize(
    ("birth_date", "marital_status", "eligible"),
    [
        ("2008-12-02", "married", True),  # 17 on 2026-12-01: a minor
        ("2008-12-01", "married", False),  # 18 that day, married
        ("2008-12-01", "unmarried", True),  # adult but unmarried
        ("1990-01-01", "divorced", False),
    ],
)
def test_s21_child_minor_or_unmarried(birth_date, marital_status, eligible):
    decision = decide(facts(birth_date=birth_date, marital_status=marital_status, host=host("child")))
    assert route(decision, "S2.1").eligible is eligible


@pytest.mark.parametrize("relation", e.HOST_RELATIONS)
def test_s21_and_s22_for_each_relation(relation):
    decision = decide(facts(host=host(relation, host_has_urban_stable_residence=True)))
    # The applicant (born 1995, married) is an adult married child: only a spouse joins under S2.1.
    assert route(decision, "S2.1").eligible is (relation == "spouse")
    assert route(decision, "S2.2").eligible is (relation in e.S22_RELATIONS)


def test_s21_needs_living_together_and_s22_a_family_household():
    apart = decide(facts(host=host("spouse", lives_with_host=False)))
    assert route(apart, "S2.1").eligible is False
    collective = decide(facts(host=host("parent", household="collective", host_has_urban_stable_residence=True)))
    assert route(collective, "S2.2").eligible is False


@pytest.mark.parametrize(
    ("education", "eligible"),
    [
        ({"level": "senior_secondary", "full_time": True}, False),
        ({"level": "secondary_vocational", "full_time": True}, True),
        ({"level": "secondary_vocational", "full_time": False}, False),
        ({"level": "master", "full_time": True}, True),
    ],
)
def test_s31_education_boundary(education, eligible):
    assert route(decide(facts(education=education)), "S3.1").eligible is eligible


def test_s31_part_time_counts_when_the_parameter_says_so():
    params = e.Parameters(talent_full_time_required=False)
    assert route(decide(facts(education={"level": "associate", "full_time": False}), params), "S3.1").eligible


@pytest.mark.parametrize(
    ("qualification", "eligible"),
    [
        ({"kind": "skill", "level": "junior"}, True),
        ({"kind": "title", "level": "junior"}, True),
    ],
)
def test_s31_qualifications(qualification, eligible):
    assert route(decide(facts(qualifications=[qualification])), "S3.1").eligible is eligible


def test_s31_qualification_below_a_raised_minimum():
    params = e.Parameters(talent_min_qualification="intermediate")
    decision = decide(facts(qualifications=[{"kind": "skill", "level": "junior"}]), params)
    assert route(decision, "S3.1").eligible is False


def test_s31_designated_talent():
    assert route(decide(facts(designated_talent=True)), "S3.1").eligible


@pytest.mark.parametrize(("months", "eligible"), [(0, False), (1, True)])
def test_s41_social_insurance_boundary(months, eligible):
    job = {"labour_contract": True, "area": "330502", "social_insurance_months": months}
    decision = decide(facts(employment=job))
    assert route(decision, "S4.1").eligible is eligible
    if eligible:
        assert (route(decision, "S4.1").household, route(decision, "S4.1").address_order) == ("community_collective", 5)


def test_s41_needs_a_contract_in_the_target_area():
    assert not route(
        decide(facts(employment={"labour_contract": False, "area": "330502", "social_insurance_months": 5})), "S4.1"
    ).eligible
    assert not route(
        decide(facts(employment={"labour_contract": True, "area": "330503", "social_insurance_months": 5})), "S4.1"
    ).eligible


@pytest.mark.parametrize("kind", e.INVESTMENT_KINDS)
def test_s42_each_investment_kind(kind):
    assert route(decide(facts(investment=[{"kind": kind, "area": "330502"}])), "S4.2").eligible
    assert not route(decide(facts(investment=[{"kind": kind, "area": "330523"}])), "S4.2").eligible


@pytest.mark.parametrize(("as_of", "eligible"), [("2026-09-29", False), ("2026-09-30", True)])
def test_s51_permit_held_six_months_from_a_month_end(as_of, eligible):
    permit = {"issuer_area": "330502", "issued_on": "2026-03-31", "valid": True}
    decision = decide(facts(as_of=as_of, permits=[permit]))
    assert route(decision, "S5.1").eligible is eligible
    if not eligible:
        assert route(decision, "S5.1").eligible_from == D(2026, 9, 30)


def test_s51_needs_a_valid_permit_of_the_target_area():
    other = {"issuer_area": "330503", "issued_on": "2020-01-01", "valid": True}
    lapsed = {"issuer_area": "330502", "issued_on": "2020-01-01", "valid": False}
    assert not route(decide(facts(permits=[other, lapsed])), "S5.1").eligible


def test_s71_order_own_home_first():
    decision = decide(
        facts(
            designated_talent=True,
            homes=[{"holder": "parent", "right": "ownership", "area": "330502", "urban": True}],
            options={"relative_family_household": True, "employer_collective_household": True},
        )
    )
    assert (route(decision, "S3.1").household, route(decision, "S3.1").address_order) == ("own_home", 1)


@pytest.mark.parametrize(
    ("options", "household", "order"),
    [
        ({"relative_family_household": True, "employer_collective_household": True}, "relative_family_household", 2),
        ({"employer_collective_household": True, "talent_market_collective_household": True}, "employer_collective", 3),
    ],
)
def test_s71_order_of_collective_households(options, household, order):
    decision = decide(facts(designated_talent=True, options=options))
    assert (route(decision, "S3.1").household, route(decision, "S3.1").address_order) == (household, order)


# --- S6.1 -----------------------------------------------------------------------------------------


def member(ref, relation, birth_date, marital_status="unmarried"):  # type: ignore[no-untyped-def]
    return {"ref": ref, "relation": relation, "birth_date": birth_date, "marital_status": marital_status}


def test_s61_family_by_relation_age_and_marriage():
    document = facts(designated_talent=True)
    document["family"] = [
        member("wife", "spouse", "1994-01-01", "married"),
        member("minor", "child", "2008-12-02", "married"),
        member("adult_unmarried", "child", "2000-01-01"),
        member("adult_married", "child", "2000-01-01", "married"),
        member("turns18", "child", "2008-12-01", "married"),
        member("mother", "parent", "1960-01-01", "married"),
        member("brother", "sibling", "1990-01-01"),
    ]
    verdicts = {v.ref: v for v in decide(document).family}
    assert {ref for ref, v in verdicts.items() if v.may_accompany} == {"wife", "minor", "adult_unmarried"}
    assert all(v.clause == "S6.1" for v in verdicts.values())
    assert "S2.2" in verdicts["mother"].reason


def test_s61_nobody_accompanies_without_an_eligible_route():
    document = facts()
    document["family"] = [member("wife", "spouse", "1994-01-01", "married")]
    decision = decide(document)
    assert not decision.eligible and decision.family[0].may_accompany is False


# --- the contract's bad input ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d["person"].update(birth_date="1995-13-01"), "person.birth_date"),
        (lambda d: d["person"].update(birth_date="2027-01-01"), "person.birth_date"),
        (lambda d: d["person"].update(lease=lease("2027-01-01")), "person.lease.filed_on"),
        (
            lambda d: d["person"].update(
                employment={"labour_contract": True, "area": "330502", "social_insurance_months": -1}
            ),
            "person.employment.social_insurance_months",
        ),
        (lambda d: d.update(target={"area": "310101", "urban": True}), "target.area"),
        (lambda d: d.pop("as_of"), "as_of"),
        (lambda d: d["person"].update(marital_status="complicated"), "person.marital_status"),
        (
            lambda d: d["person"].update(qualifications=[{"kind": "skill", "level": "guru"}]),
            "person.qualifications.0.level",
        ),
    ],
)
def test_facts_that_break_the_contract_name_the_field(change, field):
    document = facts()
    change(document)
    with pytest.raises(FactsError) as error:
        parse_facts(document)
    assert error.value.field == field


# --- properties -------------------------------------------------------------------------------------

dates = st.dates(min_value=D(2015, 1, 1), max_value=D(2026, 12, 1))


@given(filed=dates, earlier_by=st.integers(min_value=0, max_value=2000))
def test_an_earlier_lease_filing_never_makes_s12_ineligible(filed, earlier_by):
    earlier = filed - dt.timedelta(days=earlier_by)
    late = route(decide(facts(lease=lease(filed.isoformat()))), "S1.2")
    early = route(decide(facts(lease=lease(earlier.isoformat()))), "S1.2")
    assert early.eligible or not late.eligible


@given(issued=dates, earlier_by=st.integers(min_value=0, max_value=2000))
def test_an_earlier_permit_never_makes_s51_ineligible(issued, earlier_by):
    def s51(day):  # type: ignore[no-untyped-def]
        return route(
            decide(facts(permits=[{"issuer_area": "330502", "issued_on": day.isoformat(), "valid": True}])), "S5.1"
        )

    assert s51(issued - dt.timedelta(days=earlier_by)).eligible or not s51(issued).eligible


@given(filed=dates)
def test_eligible_from_is_exactly_the_first_eligible_day(filed):
    first = route(decide(facts(lease=lease(filed.isoformat()))), "S1.2").eligible_from
    if first is not None and first <= D(2030, 1, 1):
        assert route(decide(facts(as_of=first.isoformat(), lease=lease(filed.isoformat()))), "S1.2").eligible
        day_before = (first - dt.timedelta(days=1)).isoformat()
        assert not route(decide(facts(as_of=day_before, lease=lease(filed.isoformat()))), "S1.2").eligible
