"""The whole matrix: every state × every action × every role.

Allowed moves change the state and write exactly one audit event; refused ones raise with a
message and change nothing — neither the case nor the trail.
"""

import pytest
from django.db import transaction

from hukou_portal.audit.models import AuditEvent
from hukou_portal.casework import services
from hukou_portal.casework.models import Status
from hukou_portal.casework.services import ActionRefused
from tests.casework.factories import drive, fresh, open_case, upload_all

ROLES = ["officer", "supervisor", "admin", "auditor"]
ALL_ACTIONS = [
    "submit",
    "start_review",
    "request_supplement",
    "receive_supplement",
    "forward",
    "approve",
    "reject",
    "send_back",
    "approve_at_counter",
    "reject_at_counter",
    "complete",
    "withdraw",
    "reassign",
    "transfer",
]
# What the test kind (supervisor approval needed) allows: state -> {action: role}.
ALLOWED = {
    "draft": {"submit": "officer", "withdraw": "officer", "reassign": "supervisor", "transfer": "officer"},
    "submitted": {"start_review": "officer", "withdraw": "officer", "reassign": "supervisor", "transfer": "officer"},
    "in_review": {
        "request_supplement": "officer",
        "forward": "officer",
        "withdraw": "officer",
        "reassign": "supervisor",
        "transfer": "officer",
    },
    "supplement_requested": {
        "receive_supplement": "officer",
        "withdraw": "officer",
        "reassign": "supervisor",
        "transfer": "officer",
    },
    "pending_approval": {
        "approve": "supervisor",
        "reject": "supervisor",
        "send_back": "supervisor",
        "withdraw": "officer",
        "reassign": "supervisor",
    },
    "approved": {"complete": "officer"},
    "rejected": {"complete": "officer"},
    "completed": {},
    "withdrawn": {},
}
TARGET = {
    "submit": Status.SUBMITTED,
    "start_review": Status.IN_REVIEW,
    "request_supplement": Status.SUPPLEMENT_REQUESTED,
    "receive_supplement": Status.IN_REVIEW,
    "forward": Status.PENDING_APPROVAL,
    "approve": Status.APPROVED,
    "reject": Status.REJECTED,
    "send_back": Status.IN_REVIEW,
    "complete": Status.COMPLETED,
    "withdraw": Status.WITHDRAWN,
}


class Rollback(Exception):
    pass


def attempt(action: str, case_id: int, actor, staff, offices, second_officer):  # type: ignore[no-untyped-def]
    extra = {
        "request_supplement": {"comment": "缺少照片"},
        "reject": {"reason": "不符合条件"},
        "reject_at_counter": {"reason": "不符合条件"},
        "send_back": {"comment": "请再核实"},
        "withdraw": {"reason": "申请人撤回"},
        "reassign": {"officer": second_officer},
        "transfer": {"office": offices.zhili},
    }.get(action, {})
    return getattr(services, f"case_{action}")(case_id=case_id, actor=actor, expected_version=None, **extra)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", list(ALLOWED))
def test_state_action_role_matrix(state, role, staff, offices, second_officer):
    case = open_case(staff.officer)
    upload_all(case, staff.officer)
    case = drive(case, state, officer=staff.officer, supervisor=staff.supervisor)
    assert case.status == state
    actor = getattr(staff, role)
    for action in ALL_ACTIONS:
        allowed = ALLOWED[state].get(action) == role
        events_before = AuditEvent.objects.count()
        try:
            with transaction.atomic():
                if allowed:
                    attempt(action, case.pk, actor, staff, offices, second_officer)
                    after = fresh(case)
                    assert after.status == TARGET.get(action, state), (state, action, role)
                    assert after.version == case.version + 1
                    new_events = list(AuditEvent.objects.filter(pk__gt=_last_event_id(events_before)))
                    assert [event.action for event in new_events] == [f"case.{action}"], (state, action, role)
                    assert new_events[0].actor == actor
                    assert new_events[0].case_id == case.pk
                else:
                    with pytest.raises(ActionRefused) as refused:
                        attempt(action, case.pk, actor, staff, offices, second_officer)
                    assert refused.value.message, (state, action, role)
                    after = fresh(case)
                    assert (after.status, after.version, after.office_id) == (case.status, case.version, case.office_id)
                    assert after.assigned_officer_id == case.assigned_officer_id
                    assert AuditEvent.objects.count() == events_before, (state, action, role)
                raise Rollback
        except Rollback:
            pass


def _last_event_id(count_before: int) -> int:
    ids = list(AuditEvent.objects.order_by("id").values_list("id", flat=True)[:count_before])
    return ids[-1] if ids else 0


def test_four_eyes_the_reviewer_never_decides(offices, staff):
    from hukou_portal.accounts.roles import Role
    from tests.helpers import make_user

    both = make_user(offices.yuehe, Role.COUNTER_OFFICER, Role.SUPERVISOR, username="both")
    case = open_case(both)
    upload_all(case, both)
    case = drive(case, "pending_approval", officer=both, supervisor=staff.supervisor)
    assert case.reviewed_by == both
    with pytest.raises(ActionRefused, match=r"four eyes|另一名"):
        services.case_approve(case_id=case.pk, actor=both, expected_version=None)
    with pytest.raises(ActionRefused):
        services.case_reject(case_id=case.pk, actor=both, expected_version=None, reason="x")
    assert fresh(case).status == Status.PENDING_APPROVAL
    services.case_approve(case_id=case.pk, actor=staff.supervisor, expected_version=None)
    assert fresh(case).decided_by == staff.supervisor


def test_supervisor_above_the_office_decides_and_a_sibling_does_not(offices, staff, other_supervisor):
    from hukou_portal.accounts.roles import Role
    from tests.helpers import make_user

    sibling = make_user(offices.zhili, Role.SUPERVISOR, username="sibling_supervisor")
    case = open_case(staff.officer)
    upload_all(case, staff.officer)
    case = drive(case, "pending_approval", officer=staff.officer, supervisor=staff.supervisor)
    with pytest.raises(ActionRefused):
        services.case_approve(case_id=case.pk, actor=sibling, expected_version=None)
    services.case_approve(case_id=case.pk, actor=other_supervisor, expected_version=None)
    assert fresh(case).status == Status.APPROVED
