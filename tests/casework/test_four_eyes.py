"""Four eyes, written as the attack: an account holding both the officer and the supervisor role
takes any part in handling a case and then tries to decide it itself."""

import pytest
from django.test import Client

from hukou_portal.accounts.roles import Role
from hukou_portal.audit.models import AuditEvent
from hukou_portal.casework import documents, services
from hukou_portal.casework.models import Case, Status
from hukou_portal.casework.services import ActionRefused
from hukou_portal.casework.workflow import ACTIONS, available_actions
from tests.casework.factories import accept_all, fresh, open_case, upload_all
from tests.helpers import make_user, sign_in, zh

FOUR_EYES = "You created, accepted, reviewed or forwarded this case, so another supervisor must decide it (four eyes)."
HANDLING_STEPS = ["create", "upload", "submit", "start_review", "verdict", "supplement", "forward"]


@pytest.fixture
def both(offices):
    return make_user(offices.yuehe, Role.COUNTER_OFFICER, Role.SUPERVISOR, username="both")


def _pending(step: str, *, both, colleague) -> Case:  # type: ignore[no-untyped-def]
    """A case brought to pending approval by ``colleague``, with ``both`` doing ``step`` only."""

    def who(name: str):  # type: ignore[no-untyped-def]
        return both if name == step else colleague

    case = open_case(who("create"))
    upload_all(case, who("upload"))
    services.case_submit(case_id=case.pk, actor=who("submit"), expected_version=None)
    services.case_start_review(case_id=case.pk, actor=who("start_review"), expected_version=None)
    if step == "supplement":
        services.case_request_supplement(case_id=case.pk, actor=both, expected_version=None, comment="请补充照片")
        services.case_receive_supplement(case_id=case.pk, actor=colleague, expected_version=None)
    accept_all(fresh(case), colleague)
    if step == "verdict":
        document = case.documents.first()
        documents.document_set_verdict(document_id=document.pk, actor=both, expected_version=None, accepted=True)
    services.case_forward(case_id=case.pk, actor=who("forward"), expected_version=None)
    return fresh(case)


@pytest.mark.parametrize("step", HANDLING_STEPS)
def test_whoever_handled_the_case_never_decides_it(step, both, staff):
    case = _pending(step, both=both, colleague=staff.officer)
    assert case.status == Status.PENDING_APPROVAL
    events_before = AuditEvent.objects.count()
    with pytest.raises(ActionRefused, match=r"four eyes|双人复核"):
        services.case_approve(case_id=case.pk, actor=both, expected_version=None, justification="情况特殊")
    with pytest.raises(ActionRefused, match=r"four eyes|双人复核"):
        services.case_reject(case_id=case.pk, actor=both, expected_version=None, reason="不符合条件")
    after = fresh(case)
    assert (after.status, after.version, after.decided_by_id) == (Status.PENDING_APPROVAL, case.version, None)
    assert AuditEvent.objects.count() == events_before
    offered = {action.code for action in available_actions(case=after, user=both)}
    assert not offered & {"approve", "reject"}
    # Sending back is not a decision: the handler may still return it to review.
    assert "send_back" in offered
    # A supervisor who took no part decides.
    services.case_approve(case_id=case.pk, actor=staff.supervisor, expected_version=None)
    assert fresh(case).decided_by == staff.supervisor


def test_the_attack_over_http_is_refused_and_changes_nothing(both, staff):
    """Opened and accepted by ``both``, reviewed and forwarded by a colleague, then ``both``
    posts an approval overriding the kind's check."""
    case = open_case(both)
    upload_all(case, both)
    services.case_submit(case_id=case.pk, actor=both, expected_version=None)
    services.case_start_review(case_id=case.pk, actor=staff.officer, expected_version=None)
    accept_all(fresh(case), staff.officer)
    case = services.case_forward(case_id=case.pk, actor=staff.officer, expected_version=None)
    assert case.reviewed_by == staff.officer  # the old check (the forwarder only) would let ``both`` through
    client = sign_in(Client(), both)
    reason = zh(FOUR_EYES)

    page = client.get(f"/cases/{case.pk}/")
    assert page.status_code == 200
    assert f"/cases/{case.pk}/actions/approve/" not in page.content.decode()
    assert f"/cases/{case.pk}/actions/reject/" not in page.content.decode()
    confirm = client.get(f"/cases/{case.pk}/actions/approve/")
    assert confirm.status_code == 200
    assert reason in confirm.content.decode()

    events_before = AuditEvent.objects.count()
    for action, extra in [("approve", {"justification": "情况特殊"}), ("reject", {"reason": "不符合条件"})]:
        response = client.post(
            f"/cases/{case.pk}/actions/{action}/",
            {"version": case.version, **extra},
            HTTP_ACCEPT="application/json",
        )
        assert response.status_code == 403, action
        assert response.json()["error"] == reason
    after = fresh(case)
    assert (after.status, after.version, after.decision, after.decided_by_id) == (
        Status.PENDING_APPROVAL,
        case.version,
        "",
        None,
    )
    # Each refused post is audited once, as a refusal with the reason shown; nothing else is.
    refusals = AuditEvent.objects.filter(action="action.refused", actor=both).order_by("id")
    assert [(e.outcome, e.new_values["path"], e.new_values["reason"]) for e in refusals] == [
        ("denied", f"/cases/{case.pk}/actions/{action}/", reason) for action in ("approve", "reject")
    ]
    assert AuditEvent.objects.count() == events_before + 2
    assert not AuditEvent.objects.filter(case=case, action__in=["case.approve", "case.reject"]).exists()


def test_counter_decisions_are_not_four_eyes_decisions():
    """Kinds without supervisor approval are decided by the reviewing officer by design."""
    assert not ACTIONS["approve_at_counter"].four_eyes and not ACTIONS["reject_at_counter"].four_eyes
    assert ACTIONS["approve"].four_eyes and ACTIONS["reject"].four_eyes
