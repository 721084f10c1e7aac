"""The home page says what to do today: capped counts per role, each linking to the filtered
list; administrators and auditors get the pages of their work."""

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hukou_portal.casework import services as case_services
from hukou_portal.casework.kinds import register, unregister
from hukou_portal.core.today import CAP, capped_count
from hukou_portal.notifications.models import Notification
from hukou_portal.people.services import person_create
from tests.casework.factories import TEST_KIND, drive, upload_all
from tests.helpers import sign_in, valid_id_number, zh

TZ = dt.timezone(dt.timedelta(hours=8))
TODAY = dt.datetime(2026, 12, 1, 10, 0, tzinfo=TZ)  # a Tuesday


@pytest.fixture(autouse=True)
def test_kind():
    register(TEST_KIND)
    yield TEST_KIND
    unregister(TEST_KIND.code)


def case_opened_on(day: dt.datetime, staff, status: str, sequence: int):  # type: ignore[no-untyped-def]
    """A test-kind case (deadline: five working days after acceptance) brought to ``status`` on ``day``."""
    with time_machine.travel(day, tick=False):
        person = person_create(actor=staff.officer, id_number=valid_id_number(sequence=sequence), name="钱九")
        case = case_services.case_create(actor=staff.officer, kind=TEST_KIND.code, category="basic", applicant=person)
        upload_all(case, staff.officer)
        return drive(case, status, officer=staff.officer, supervisor=staff.supervisor)


@pytest.fixture
def workload(staff):
    """Open cases of the officer: one due later, one due within 3 working days, one overdue,
    one waiting for 补正, one waiting for approval; and a completed one that counts nowhere."""
    cases = {
        "later": case_opened_on(TODAY, staff, "in_review", 901),
        "due_soon": case_opened_on(TODAY - dt.timedelta(days=6), staff, "in_review", 902),
        "overdue": case_opened_on(TODAY - dt.timedelta(days=21), staff, "submitted", 903),
        "supplement": case_opened_on(TODAY, staff, "supplement_requested", 904),
        "approval": case_opened_on(TODAY, staff, "pending_approval", 905),
        "completed": case_opened_on(TODAY, staff, "completed", 906),
    }
    today = TODAY.date()
    assert cases["due_soon"].deadline is not None and today <= cases["due_soon"].deadline <= today + dt.timedelta(
        days=3
    )
    assert cases["overdue"].deadline is not None and cases["overdue"].deadline < today
    assert cases["later"].deadline is not None and cases["later"].deadline > today + dt.timedelta(days=5)
    return cases


def home(user) -> str:  # type: ignore[no-untyped-def]
    with time_machine.travel(TODAY, tick=False):
        response = sign_in(Client(), user).get("/")
    assert response.status_code == 200
    return response.content.decode()


def tile(body: str, code: str) -> tuple[str, str]:
    """(count shown, link) of a tile."""
    match = re.search(
        rf'href="([^"]*)" data-testid="today-{code}">.*?data-testid="today-{code}-count">([^<]*)<', body, re.S
    )
    assert match, f"no tile {code}"
    return match.group(2), match.group(1).replace("&amp;", "&")


def test_officer_sees_counts_of_today_linking_to_the_filtered_lists(staff, workload):
    body = home(staff.officer)
    mine = reverse("casework:case_queue", args=["mine"])
    # Open and assigned to the officer: later, due_soon, overdue, supplement, approval.
    assert tile(body, "mine") == ("5", mine)
    assert tile(body, "due_soon") == ("1", f"{mine}?due_within=3")
    assert tile(body, "overdue") == ("1", reverse("casework:case_queue", args=["overdue"]))
    office = reverse("casework:case_queue", args=["office"])
    assert tile(body, "supplement") == ("1", f"{office}?status=supplement_requested")
    assert tile(body, "unread") == ("0", reverse("notifications:inbox"))
    assert 'data-testid="today-approval"' not in body  # officers do not approve
    assert zh("My open cases") in body and zh("Due within 3 working days") in body


def test_supervisor_sees_what_waits_for_their_approval(staff, workload):
    body = home(staff.supervisor)
    assert tile(body, "approval") == ("1", reverse("casework:case_queue", args=["approval"]))
    assert tile(body, "overdue")[0] == "1" and tile(body, "supplement")[0] == "1"
    assert 'data-testid="today-mine"' not in body and 'data-testid="today-due_soon"' not in body


def test_a_case_of_another_office_counts_nowhere(staff, workload, offices):
    from hukou_portal.accounts.roles import Role
    from tests.helpers import make_user

    outsider = make_user(offices.zhili, Role.SUPERVISOR, username="zhili_supervisor")
    body = home(outsider)
    assert tile(body, "approval")[0] == "0" and tile(body, "overdue")[0] == "0" and tile(body, "supplement")[0] == "0"


def test_administrators_and_auditors_get_the_pages_of_their_work(staff):
    admin = home(staff.admin)
    assert 'data-testid="today"' not in admin  # no case work
    for name in ("accounts:user_list", "accounts:office_list", "rules:parameter_list", "notifications:schedules"):
        assert f'href="{reverse(name)}"' in admin
    assert f'href="{reverse("audit:event_list")}"' not in admin
    assert zh("Staff accounts, roles and second factors.") in admin
    auditor = home(staff.auditor)
    assert f'href="{reverse("audit:event_list")}"' in auditor
    assert zh("Every action and every view of personal data.") in auditor
    assert f'href="{reverse("accounts:user_list")}"' not in auditor


def test_counts_are_capped_and_never_an_exact_count(staff):
    Notification.objects.bulk_create(
        [
            Notification(
                kind="N4",
                subject_type="case",
                subject_id=index,
                milestone="near:2026-12-04",
                channel="inbox",
                recipient=f"user:{staff.officer.pk}",
                user=staff.officer,
                message=f"提醒 {index}",
            )
            for index in range(CAP + 5)
        ]
    )
    client = sign_in(Client(), staff.officer)
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/").content.decode()
    assert tile(body, "unread")[0] == f"{CAP}+"
    assert f'data-testid="unread-count">{CAP}+<' in body  # the header's badge too
    assert not [q["sql"] for q in queries if "COUNT(" in q["sql"].upper()]
    assert str(capped_count(Notification.objects.filter(pk__lt=0))) == "0"
