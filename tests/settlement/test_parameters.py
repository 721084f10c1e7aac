"""Rule parameters: RULES.md defaults after migrate, range checks, scheduled changes that only
affect decisions made after their effective date, administrators only."""

import datetime as dt

import pytest
import time_machine
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hukou_portal.audit.models import AuditEvent
from hukou_portal.core.exceptions import ApplicationError
from hukou_portal.rules.models import RuleParameterValue
from hukou_portal.rules.parameters import SPECS
from hukou_portal.rules.selectors import parameters_in_force
from hukou_portal.rules.services import parameter_schedule, parameter_withdraw
from settlement.selectors import engine_parameters
from tests.helpers import sign_in, zh

TODAY = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def test_rules_md_defaults_are_in_force_after_migrate(db):
    values = parameters_in_force(dt.date(2026, 12, 1))
    assert values == {key: spec.default for key, spec in SPECS.items()}
    assert RuleParameterValue.objects.count() == len(SPECS)
    assert engine_parameters(dt.date(2026, 12, 1)).lease_filing_min_months == 6


def test_a_scheduled_change_applies_from_its_day_only(city_admin):
    with time_machine.travel(TODAY, tick=False):
        parameter_schedule(
            actor=city_admin,
            key="lease_filing_min_months",
            value="12",
            effective_from=dt.date(2027, 1, 1),
            reason="试行",
        )
    assert parameters_in_force(dt.date(2026, 12, 31))["lease_filing_min_months"] == 6
    assert parameters_in_force(dt.date(2027, 1, 1))["lease_filing_min_months"] == 12
    event = AuditEvent.objects.get(action="parameter.scheduled")
    assert (event.actor, event.note, event.old_values) == (city_admin, "试行", {"value": 6})


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("lease_filing_min_months", "-1"),
        ("lease_filing_min_months", "61"),
        ("lease_filing_min_months", "six"),
        ("minor_age_years", "30"),
        ("talent_min_education", "kindergarten"),
        ("recognised_regions", "310000"),
        ("talent_full_time_required", "maybe"),
    ],
)
def test_values_out_of_range_are_refused(city_admin, key, value):
    with time_machine.travel(TODAY, tick=False), pytest.raises(ApplicationError) as refused:
        parameter_schedule(actor=city_admin, key=key, value=value, effective_from=dt.date(2027, 1, 1), reason="x")
    assert refused.value.field == "value"
    assert RuleParameterValue.objects.filter(key=key).count() == 1


def test_no_change_in_the_past_and_no_second_value_for_a_day(city_admin):
    with time_machine.travel(TODAY, tick=False):
        with pytest.raises(ApplicationError):
            parameter_schedule(
                actor=city_admin, key="minor_age_years", value="16", effective_from=dt.date(2026, 11, 30), reason="x"
            )
        parameter_schedule(
            actor=city_admin, key="minor_age_years", value="16", effective_from=dt.date(2027, 1, 1), reason="x"
        )
        with pytest.raises(ApplicationError):
            parameter_schedule(
                actor=city_admin, key="minor_age_years", value="17", effective_from=dt.date(2027, 1, 1), reason="x"
            )


def test_a_scheduled_change_can_be_withdrawn_before_it_takes_effect(city_admin):
    with time_machine.travel(TODAY, tick=False):
        row = parameter_schedule(
            actor=city_admin, key="minor_age_years", value="16", effective_from=dt.date(2027, 1, 1), reason="x"
        )
        parameter_withdraw(actor=city_admin, value_id=row.pk, reason="撤销")
    assert parameters_in_force(dt.date(2027, 6, 1))["minor_age_years"] == 18
    assert AuditEvent.objects.filter(action="parameter.withdrawn").exists()


@pytest.mark.parametrize("role", ["officer", "supervisor", "auditor"])
def test_only_administrators_change_parameters(staff, role):
    client = sign_in(Client(), getattr(staff, role))
    data = {"value": "12", "effective_from": "2027-01-01", "reason": "x"}
    assert client.post("/rules/parameters/lease_filing_min_months/", data).status_code == 403
    assert RuleParameterValue.objects.filter(key="lease_filing_min_months").count() == 1


def test_administrator_schedules_through_the_page(city_admin):
    with time_machine.travel(TODAY, tick=False):
        admin_client = sign_in(Client(), city_admin)
        page = admin_client.get("/rules/parameters/lease_filing_min_months/")
        assert zh("In force today") in page.content.decode()
        bad = admin_client.post(
            "/rules/parameters/lease_filing_min_months/", {"value": "99", "effective_from": "2027-01-01", "reason": "x"}
        )
        assert bad.status_code == 200 and "value" in bad.context["form"].errors
        good = admin_client.post(
            "/rules/parameters/lease_filing_min_months/",
            {"value": "9", "effective_from": "2027-01-01", "reason": "调整"},
        )
        assert good.status_code == 302
    assert parameters_in_force(dt.date(2027, 1, 1))["lease_filing_min_months"] == 9


@settings(deadline=None, max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    change_day=st.dates(min_value=dt.date(2026, 12, 1), max_value=dt.date(2027, 12, 31)),
    decision_day=st.dates(min_value=dt.date(2026, 12, 1), max_value=dt.date(2028, 12, 31)),
    months=st.integers(min_value=0, max_value=60),
)
def test_a_parameter_change_affects_only_decisions_on_or_after_its_day(city_admin, change_day, decision_day, months):
    from django.db import transaction

    with transaction.atomic():
        with time_machine.travel(TODAY, tick=False):
            parameter_schedule(
                actor=city_admin, key="lease_filing_min_months", value=months, effective_from=change_day, reason="x"
            )
        used = engine_parameters(decision_day).lease_filing_min_months
        assert used == (months if decision_day >= change_day else 6)
        transaction.set_rollback(True)
