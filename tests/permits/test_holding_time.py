"""Issue 11, finding 7: holding time after a lapse (居住证暂行条例 第十三条).

「逾期未签注的，居住证使用功能中止；补办签注手续的，使用功能恢复，居住年限自补办签注手续之日起连续
计算」: a permit endorsed after its endorsement fell overdue counts its holding time again from the
re-endorsement day (``held_since``), for S5.1 and for N1.
"""

import datetime as dt
import importlib

import pytest
import time_machine

from hukou_portal.audit.models import AuditEvent
from hukou_portal.audit.services import record
from hukou_portal.notifications.models import Notification
from hukou_portal.notifications.selectors import parameter_history_until, permits_reaching_holding_period
from hukou_portal.notifications.services import sweep
from permits import services
from permits.models import ResidencePermit
from settlement.facts import FactsError, parse_facts
from settlement.forms import facts_document
from settlement.services import decide_facts, intake_initial
from tests.permits.factories import at_ten, issue_permit

D = dt.date


def s51(holder, as_of: dt.date) -> dict:  # type: ignore[no-untyped-def]
    """The engine's S5.1 route for ``holder`` settling in 吴兴, from the facts the intake form
    takes pre-filled from the portal's records."""
    from hukou_portal.people.models import Town

    initial = intake_initial(holder)
    data = {
        "town": Town.objects.get(area__code="330502", name="月河街道"),
        "marital_status": "unmarried",
        "education_level": "none",
        "education_full_time": False,
        "designated_talent": False,
        "owns_home_in_target_town": False,
        "option_relative_family_household": False,
        "option_employer_collective_household": False,
        "option_talent_market_collective_household": False,
        **initial,
    }
    document = facts_document(data, applicant_id_number=holder.id_number, as_of=as_of)
    decision = decide_facts(document).to_json()
    return next(route for route in decision["routes"] if route["clause"] == "S5.1")


def test_a_permit_re_endorsed_after_a_lapse_counts_its_holding_time_from_that_day(staff, holder, _now):
    """The case: issued 2026-12-01, endorsed until 2027-12-01, endorsed late on 2028-01-15. On
    2028-06-01 it was issued 18 months ago, but has been held continuously for 4: S5.1 is not
    met, and becomes so on 2028-07-15."""
    permit = issue_permit(staff.officer, staff.supervisor, holder)
    assert permit.held_since == D(2026, 12, 1)
    _now.move_to(at_ten(D(2028, 1, 15)))
    assert permit.state_on(D(2028, 1, 15)) == "lapsed"
    endorsed = services.permit_endorse(actor=staff.officer, permit_id=permit.pk)
    assert (endorsed.held_since, endorsed.issued_on) == (D(2028, 1, 15), D(2026, 12, 1))
    event = AuditEvent.objects.get(action="permit.endorsed")
    assert event.old_values["held_since"] == "2026-12-01" and event.new_values["held_since"] == "2028-01-15"

    _now.move_to(at_ten(D(2028, 6, 1)))
    route = s51(holder, D(2028, 6, 1))
    assert route["eligible"] is False
    assert route["eligible_from"] == "2028-07-15"
    holding = next(check for check in route["checks"] if check["name"] == "permit_holding_months")
    assert (holding["value"], holding["required"]) == (4, 6)
    _now.move_to(at_ten(D(2028, 7, 15)))
    assert s51(holder, D(2028, 7, 15))["eligible"] is True


def test_an_endorsement_on_time_keeps_the_holding_time(staff, holder, _now):
    permit = issue_permit(staff.officer, staff.supervisor, holder)
    _now.move_to(at_ten(D(2027, 12, 1)))  # the last valid day
    endorsed = services.permit_endorse(actor=staff.officer, permit_id=permit.pk)
    assert endorsed.held_since == D(2026, 12, 1)
    assert s51(holder, D(2027, 12, 1))["eligible"] is True


def test_a_replacement_carries_the_holding_time_on_neither_lost_nor_renewed(staff, holder, _now):
    permit = issue_permit(staff.officer, staff.supervisor, holder)
    _now.move_to(at_ten(D(2028, 1, 15)))
    services.permit_endorse(actor=staff.officer, permit_id=permit.pk)
    _now.move_to(at_ten(D(2028, 3, 1)))
    new = services.permit_replace(actor=staff.officer, permit_id=permit.pk, reason="遗失")
    assert (new.issued_on, new.held_since) == (D(2026, 12, 1), D(2028, 1, 15))


def test_the_permit_page_shows_when_holding_time_counts_from(staff, holder, _now):
    from django.test import Client

    from tests.helpers import sign_in, zh

    permit = issue_permit(staff.officer, staff.supervisor, holder)
    _now.move_to(at_ten(D(2028, 1, 15)))
    services.permit_endorse(actor=staff.officer, permit_id=permit.pk)
    body = sign_in(Client(), staff.officer).get(f"/permits/{permit.pk}/").content.decode()
    assert zh("Holding time counts from") in body and "2028年1月15日" in body
    assert zh("(re-endorsed after a lapse: holding time counts again from that day)") in body


# --- the contract: held_since in the facts document --------------------------------------------------


def facts(**permit):  # type: ignore[no-untyped-def]
    return {
        "as_of": "2028-06-01",
        "target": {"area": "330502", "urban": True},
        "person": {
            "birth_date": "1990-01-01",
            "marital_status": "unmarried",
            "permits": [{"issuer_area": "330502", "issued_on": "2026-12-01", "valid": True, **permit}],
        },
    }


def test_the_engine_counts_holding_time_from_held_since(db):
    from settlement.selectors import precheck

    def route(document):  # type: ignore[no-untyped-def]
        return next(r for r in precheck(parse_facts(document)).to_json()["routes"] if r["clause"] == "S5.1")

    assert route(facts())["eligible"] is True  # without it: from issued_on, 18 months
    assert route(facts(held_since="2028-01-15"))["eligible"] is False


@pytest.mark.parametrize(
    ("held_since", "message"),
    [("2026-11-30", "before issued_on"), ("2028-06-02", "after as_of"), ("15/01/2028", "not a date")],
)
def test_the_contract_refuses_a_held_since_that_cannot_be(db, held_since, message):
    with pytest.raises(FactsError) as refused:
        parse_facts(facts(held_since=held_since))
    assert refused.value.field == "person.permits.0.held_since" and message in refused.value.message


# --- N1 starts from held_since -----------------------------------------------------------------------


def test_n1_falls_six_months_after_the_re_endorsement_not_after_the_issue(staff, holder, offices):
    """A permit issued 2026-01-10 and endorsed only until 2026-03-10 (a short first period), then
    endorsed late on 2026-04-20: N1 is due on 2026-10-20, not on 2026-07-10."""
    with time_machine.travel(at_ten(D(2026, 1, 10)), tick=False):
        permit = services.permit_issue(
            holder=holder,
            office=offices.yuehe,
            area_code="330502",
            issued_on=D(2026, 1, 10),
            endorsed_until=D(2026, 3, 10),
            case=None,
        )
    with time_machine.travel(at_ten(D(2026, 4, 20)), tick=False):
        services.permit_endorse(actor=staff.officer, permit_id=permit.pk)
        sweep(as_of=D(2026, 4, 20))
    history = parameter_history_until(keys=["permit_holding_min_months"], as_of=D(2026, 12, 31))
    found = permits_reaching_holding_period(start=D(2026, 4, 20), end=D(2026, 12, 31), history=history)
    assert [(p.pk, day) for p, day in found] == [(permit.pk, D(2026, 10, 20))]
    with time_machine.travel(at_ten(D(2026, 11, 1)), tick=False):
        sweep(as_of=D(2026, 7, 31))
        assert not Notification.objects.filter(kind="N1").exists()  # not on 2026-07-10
        sweep(as_of=D(2026, 11, 1))
    milestones = set(Notification.objects.filter(kind="N1").values_list("milestone", flat=True))
    assert milestones == {"2026-10-20"}


# --- the data migration ------------------------------------------------------------------------------


def test_the_migration_fills_held_since_from_late_endorsements_in_the_trail(staff, holder, offices, _now):
    """Permits from before ``held_since``: the trail's endorsements of a lapsed permit restart
    it, a replacement inherits it, and the issuing area becomes the issuing office's."""
    from django.apps import apps

    migration = importlib.import_module("permits.migrations.0003_fill_held_since_and_issuer_area")
    with time_machine.travel(at_ten(D(2026, 1, 10)), tick=False):
        late = services.permit_issue(
            holder=holder,
            office=offices.yuehe,
            area_code="330503",  # recorded as the area applied for
            issued_on=D(2026, 1, 10),
            endorsed_until=D(2026, 3, 10),
            case=None,
        )
    with time_machine.travel(at_ten(D(2026, 4, 20)), tick=False):
        record(
            action="permit.endorsed",
            actor=staff.officer,
            target=late,
            old={"endorsed_until": "2026-03-10", "state": "lapsed"},
            new={"endorsed_until": "2027-04-20"},
        )
    with time_machine.travel(at_ten(D(2026, 6, 1)), tick=False):
        record(
            action="permit.endorsed",
            actor=staff.officer,
            target=late,
            old={"endorsed_until": "2027-04-20", "state": "valid"},
            new={"endorsed_until": "2028-04-20"},
        )
        ResidencePermit.objects.filter(pk=late.pk).update(status=ResidencePermit.Status.REPLACED)
        replacement = services.permit_issue(
            holder=holder,
            office=offices.yuehe,
            area_code="330503",
            issued_on=D(2026, 1, 10),
            endorsed_until=D(2028, 4, 20),
            case=None,
            replaces=late,
        )
    # As the rows stood before: holding time from the issue day.
    ResidencePermit.objects.update(held_since=D(2026, 1, 10))
    migration.fill_permits(apps, None)
    late.refresh_from_db()
    replacement.refresh_from_db()
    assert (late.held_since, late.area_code) == (D(2026, 4, 20), "330502")
    assert (replacement.held_since, replacement.area_code) == (D(2026, 4, 20), "330502")
