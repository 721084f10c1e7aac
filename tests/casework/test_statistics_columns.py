"""Issue 13 (E1): the workflow stamps the completion time (办结) and counts the requests for
documents (补正) on the case, which the statistics read; migration 0009 fills both for older
cases from the audit trail."""

import datetime as dt
import importlib
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps

from hukou_portal.audit.models import AuditEvent
from hukou_portal.casework import services
from hukou_portal.casework.models import Case, Status
from hukou_portal.casework.services import ActionRefused
from tests.casework.factories import drive, fresh, open_case, upload_all

SHANGHAI = ZoneInfo("Asia/Shanghai")


def beijing(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


def supplemented_twice_and_completed(staff, *, sequence: int) -> Case:  # type: ignore[no-untyped-def]
    """Asked for documents twice on 31 March 2025 (answered the same day: no working day paused),
    approved, and completed at 00:10 on 1 April Beijing time (16:10 UTC on 31 March)."""
    case = open_case(staff.officer, sequence=sequence)
    upload_all(case, staff.officer)
    with time_machine.travel(beijing(dt.date(2025, 3, 31), 10), tick=False):
        case = drive(case, "supplement_requested", officer=staff.officer, supervisor=staff.supervisor)
        services.case_receive_supplement(case_id=case.pk, actor=staff.officer, expected_version=None)
        services.case_request_supplement(case_id=case.pk, actor=staff.officer, expected_version=None, comment="再补")
        services.case_receive_supplement(case_id=case.pk, actor=staff.officer, expected_version=None)
        services.case_forward(case_id=case.pk, actor=staff.officer, expected_version=None)
        services.case_approve(case_id=case.pk, actor=staff.supervisor, expected_version=None)
    with time_machine.travel(beijing(dt.date(2025, 4, 1), 0, 10), tick=False):
        services.case_complete(case_id=case.pk, actor=staff.officer, expected_version=None)
    return fresh(case)


def test_completion_is_stamped_and_each_supplement_request_counted(staff):
    case = supplemented_twice_and_completed(staff, sequence=301)
    assert case.status == Status.COMPLETED
    assert (case.supplement_requests, case.paused_working_days) == (2, 0)  # the pause alone would say "none"
    assert case.completed_at == beijing(dt.date(2025, 4, 1), 0, 10)
    assert case.completed_at.astimezone(dt.UTC).date() == dt.date(2025, 3, 31)

    rejected = open_case(staff.officer, sequence=302)
    upload_all(rejected, staff.officer)
    rejected = drive(rejected, "rejected", officer=staff.officer, supervisor=staff.supervisor)
    assert (rejected.completed_at, rejected.supplement_requests) == (None, 0)
    services.case_complete(case_id=rejected.pk, actor=staff.officer, expected_version=None)
    assert fresh(rejected).completed_at is not None  # 办结 of a rejection counts as completed too


def test_a_refused_request_counts_nothing(staff):
    case = open_case(staff.officer, sequence=303)
    upload_all(case, staff.officer)
    case = drive(case, "pending_approval", officer=staff.officer, supervisor=staff.supervisor)
    with pytest.raises(ActionRefused):
        services.case_request_supplement(case_id=case.pk, actor=staff.officer, expected_version=None, comment="补")
    with pytest.raises(ActionRefused):
        services.case_complete(case_id=case.pk, actor=staff.officer, expected_version=None)
    case = fresh(case)
    assert (case.supplement_requests, case.completed_at, case.status) == (0, None, Status.PENDING_APPROVAL)


def test_the_migration_fills_both_from_the_trail(staff):
    completed = supplemented_twice_and_completed(staff, sequence=304)
    waiting = open_case(staff.officer, sequence=305)
    upload_all(waiting, staff.officer)
    waiting = drive(waiting, "supplement_requested", officer=staff.officer, supervisor=staff.supervisor)
    untouched = drive(open_case(staff.officer, sequence=306), "submitted", officer=staff.officer, supervisor=None)
    assert AuditEvent.objects.filter(action="case.complete", case=completed).count() == 1

    Case.objects.update(completed_at=None, supplement_requests=0)  # as the rows stood before 0009
    migration = importlib.import_module("hukou_portal.casework.migrations.0009_case_completion_and_supplement_requests")
    migration.fill_from_the_trail(apps, None)

    assert (fresh(completed).completed_at, fresh(completed).supplement_requests) == (completed.completed_at, 2)
    assert (fresh(waiting).completed_at, fresh(waiting).supplement_requests) == (None, 1)
    assert (fresh(untouched).completed_at, fresh(untouched).supplement_requests) == (None, 0)
