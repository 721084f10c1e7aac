"""Issue 11: ``case_deadline_days`` is a [param] of RULES.md (N4, per case type), so each case kind's
processing time is a versioned rule parameter, and a case counts the value in force on the day it
was accepted (受理) — never a value scheduled later, even for the same day."""

import datetime as dt
import re

import time_machine
from django.test import Client

from hukou_portal.casework import services
from hukou_portal.casework.issued_documents import receipt_content
from hukou_portal.core.exceptions import ApplicationError
from hukou_portal.rules.models import RuleParameterValue
from hukou_portal.rules.parameters import SPECS
from hukou_portal.rules.services import parameter_schedule
from tests.casework.factories import drive, fresh, open_case, upload_all
from tests.helpers import sign_in, zh

D = dt.date
KEY = "case_deadline_days.test_kind"


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=dt.timezone(dt.timedelta(hours=8)))


def test_every_case_kind_has_its_deadline_as_a_rule_parameter(db):
    """The kinds of the portal, each with the working days it declared as the default."""
    expected = {
        "residence_declaration": 3,
        "registration_change": 3,
        "registration_cancel": 3,
        "permit_application": 10,
        "permit_conversion": 10,
        "settlement": 20,
    }
    for kind, days in expected.items():
        spec = SPECS[f"case_deadline_days.{kind}"]
        assert (spec.default, spec.kind, spec.words, spec.clause) == (days, "int", "working_days", "N4")
        assert RuleParameterValue.objects.filter(key=spec.key, value=days).exists()  # in force since migrate


def test_a_case_counts_the_value_in_force_on_the_day_it_was_accepted(staff, city_admin):
    """The case that showed it: the processing time was hard-coded per kind, so no administrator
    could change it, and nothing recorded which value a deadline counted."""
    with time_machine.travel(at(D(2026, 11, 2)), tick=False):
        parameter_schedule(actor=city_admin, key=KEY, value=8, effective_from=D(2026, 11, 4), reason="新规定")
        before = drive(
            open_case(staff.officer, sequence=11), "submitted", officer=staff.officer, supervisor=staff.supervisor
        )
    with time_machine.travel(at(D(2026, 11, 4)), tick=False):
        after = drive(
            open_case(staff.officer, sequence=12), "submitted", officer=staff.officer, supervisor=staff.supervisor
        )
    # Mon 11-02 + 5 working days; Wed 11-04 + 8.
    assert (before.deadline_working_days, before.deadline) == (5, D(2026, 11, 9))
    assert (after.deadline_working_days, after.deadline) == (8, D(2026, 11, 16))
    assert receipt_content(after)["working_days"] == 8


def test_a_value_scheduled_later_the_same_day_does_not_move_an_accepted_case(staff, city_admin):
    with time_machine.travel(at(D(2026, 11, 2), 9), tick=False):
        case = open_case(staff.officer, sequence=13)
        upload_all(case, staff.officer)
        case = drive(case, "in_review", officer=staff.officer, supervisor=staff.supervisor)
    with time_machine.travel(at(D(2026, 11, 2), 15), tick=False):
        parameter_schedule(actor=city_admin, key=KEY, value=15, effective_from=D(2026, 11, 2), reason="当日生效")
        services.case_request_supplement(case_id=case.pk, actor=staff.officer, expected_version=None, comment="补照片")
    with time_machine.travel(at(D(2026, 11, 4)), tick=False):
        services.case_receive_supplement(case_id=case.pk, actor=staff.officer, expected_version=None)
    case = fresh(case)
    # Still 5 (the value when it was accepted at 09:00), plus the two working days waited.
    assert (case.deadline_working_days, case.paused_working_days) == (5, 2)
    assert case.deadline == D(2026, 11, 11)


def test_the_parameter_pages_read_the_kind_and_working_days(staff, city_admin):
    client = sign_in(Client(), city_admin)
    listing = client.get("/rules/parameters/").content.decode()
    label = zh("Processing deadline: {kind}").format(kind="测试业务")
    assert label in listing and zh("%(n)d working days") % {"n": 5} in listing
    assert "case_deadline_days" not in re.sub(r'href="[^"]*"', "", listing)  # no code shows, only in links
    page = client.get(f"/rules/parameters/{KEY}/")
    assert page.status_code == 200 and label in page.content.decode()
    refused = client.post(f"/rules/parameters/{KEY}/", {"value": "0", "effective_from": "2099-01-01", "reason": "x"})
    assert refused.status_code == 200
    assert not RuleParameterValue.objects.filter(key=KEY).exists()
    ok = client.post(f"/rules/parameters/{KEY}/", {"value": "7", "effective_from": "2099-01-01", "reason": "调整"})
    assert ok.status_code == 302
    assert RuleParameterValue.objects.get(key=KEY).value == 7


def test_out_of_range_values_are_refused(city_admin):
    for value in (0, 61, "五"):
        try:
            parameter_schedule(actor=city_admin, key=KEY, value=value, effective_from=D(2099, 1, 1), reason="x")
        except ApplicationError as error:
            assert error.field == "value"
        else:
            raise AssertionError(f"{value!r} was accepted")
