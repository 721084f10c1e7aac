"""Two supervisors approve one case at the same moment: exactly one wins, the other is told
to reload, and nothing is overwritten."""

import threading

import pytest
from django.db import connection

from hukou_portal.accounts.roles import Role
from hukou_portal.audit.models import AuditEvent
from hukou_portal.casework import services
from hukou_portal.casework.models import Case, Status
from hukou_portal.core.exceptions import ApplicationError
from tests.casework.factories import drive, open_case, upload_all
from tests.helpers import make_office_tree, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_threads_approving_one_case(transactional_db):
    offices = make_office_tree()
    officer = make_user(offices.yuehe, Role.COUNTER_OFFICER, username="officer")
    first = make_user(offices.yuehe, Role.SUPERVISOR, username="first")
    second = make_user(offices.wuxing, Role.SUPERVISOR, username="second")
    case = open_case(officer)
    upload_all(case, officer)
    case = drive(case, "pending_approval", officer=officer, supervisor=first)
    version = case.version

    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def approve(supervisor) -> None:  # type: ignore[no-untyped-def]
        try:
            barrier.wait(timeout=10)
            services.case_approve(case_id=case.pk, actor=supervisor, expected_version=version)
            outcomes[supervisor.username] = "approved"
        except ApplicationError as error:
            outcomes[supervisor.username] = error.message
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(user,)) for user in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["first", "second"]
    winners = [name for name, outcome in outcomes.items() if outcome == "approved"]
    assert len(winners) == 1, outcomes
    loser = "second" if winners == ["first"] else "first"
    assert outcomes[loser] == services.CaseConflict().message
    case = Case.objects.get(pk=case.pk)
    assert case.status == Status.APPROVED
    assert case.version == version + 1
    assert case.decided_by.username == winners[0]
    assert AuditEvent.objects.filter(action="case.approve", case=case).count() == 1
