"""The settlement notices as documents (issue 9, part 6): numbered in the name of the county-level
bureau, kept for reprints, the refusal's remedies; and the supervisor's approve page."""

import re

import pytest
import time_machine
from django.test import Client

from hukou_portal.accounts.roles import Role
from hukou_portal.casework import services as case_services
from hukou_portal.casework.issued_documents import LAWSUIT_WITHIN_MONTHS, REVIEW_WITHIN_DAYS
from hukou_portal.casework.models import IssuedDocument
from hukou_portal.people.models import Town
from hukou_portal.people.services import person_create
from tests.helpers import make_user, sign_in, valid_id_number, zh
from tests.settlement.test_settlement_cases import NOW, open_rental_case, to_pending_approval


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def applicant(staff):
    return person_create(actor=staff.officer, id_number=valid_id_number(sequence=606), name="孙丽")


@pytest.fixture
def town(db):
    return Town.objects.get(area__code="330502", name="月河街道")


@pytest.fixture
def refused(staff, applicant, town):
    """A rental (S1.2) case whose lease was filed a month ago, refused."""
    case = open_rental_case(sign_in(Client(), staff.officer), applicant, town, filed_on="2026-11-01")
    case = to_pending_approval(case, staff)
    case_services.case_reject(
        case_id=case.pk, actor=staff.supervisor, expected_version=None, reason="租赁备案未满六个月"
    )
    return case


def test_the_remedies_are_the_laws_time_limits():
    # 行政复议法 第二十条 and 行政诉讼法 第四十六条: the notices and this test read the same constants.
    assert (REVIEW_WITHIN_DAYS, LAWSUIT_WITHIN_MONTHS) == (60, 6)


def test_the_refusal_notice_states_the_reason_the_failures_the_review_body_and_the_time_limits(staff, refused):
    client = sign_in(Client(), staff.officer)
    url = f"/settlement/cases/{refused.pk}/notice/"
    assert client.post(url).status_code == 302
    issued = IssuedDocument.objects.get(case=refused)
    assert issued.kind == IssuedDocument.Kind.SETTLEMENT_REFUSAL
    assert issued.number == "湖公（吴兴）不准字〔2026〕第000001号"
    assert issued.issuing_office.name == "吴兴分局"  # decisions are issued by the county-level bureau

    page = client.get(url).content.decode()
    assert zh("Notice of refusal of settlement (不予落户告知书)") in page
    assert issued.number in page and "湖州市公安局吴兴分局" in page
    assert "租赁备案未满六个月" in page
    assert 'data-testid="notice-clauses"' in page  # the failed conditions (the lead's partial)
    remedies = re.search(r'data-testid="notice-remedies">(.*?)</p>', page, re.S).group(1)
    assert "吴兴区人民政府" in remedies
    assert f"{REVIEW_WITHIN_DAYS}日内" in remedies and "行政复议" in remedies
    assert f"{LAWSUIT_WITHIN_MONTHS}个月内" in remedies and "行政诉讼" in remedies and "人民法院" in remedies
    assert 'data-testid="document-seal"' in page and "2026年12月1日" in page

    # A reprint shows the same number.
    client.post(url)
    assert re.findall(r"湖公[^<\s]*号", client.get(url).content.decode()) == [issued.number]
    assert IssuedDocument.objects.filter(case=refused).count() == 1


def test_the_approval_notice_has_its_own_series_and_no_remedies(staff, applicant, town):
    client = sign_in(Client(), staff.officer)
    case = to_pending_approval(open_rental_case(client, applicant, town), staff)
    case_services.case_approve(case_id=case.pk, actor=staff.supervisor, expected_version=None)
    client.post(f"/settlement/cases/{case.pk}/notice/")
    issued = IssuedDocument.objects.get(case=case)
    assert issued.number == "湖公（吴兴）准字〔2026〕第000001号"
    page = client.get(f"/settlement/cases/{case.pk}/notice/").content.decode()
    assert zh("Notice of approval of settlement (准予落户通知书)") in page and "S1.2" in page
    assert 'data-testid="notice-remedies"' not in page
    detail = client.get(f"/cases/{case.pk}/").content.decode()
    assert f"/settlement/cases/{case.pk}/notice/" in detail and 'data-testid="printed-documents"' in detail


def test_no_notice_before_the_decision(staff, applicant, town):
    client = sign_in(Client(), staff.officer)
    case = to_pending_approval(open_rental_case(client, applicant, town), staff)
    response = client.post(f"/settlement/cases/{case.pk}/notice/")
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert not IssuedDocument.objects.exists()


def test_another_office_gets_404_on_the_notice(staff, offices, refused):
    outsider = sign_in(Client(), make_user(offices.zhili, Role.COUNTER_OFFICER, username="outsider"))
    assert outsider.get(f"/settlement/cases/{refused.pk}/notice/").status_code == 404
    assert outsider.post(f"/settlement/cases/{refused.pk}/notice/").status_code == 404
    assert not IssuedDocument.objects.exists()


def test_the_approve_page_shows_the_engine_result_the_verdicts_and_the_settlement_label(staff, applicant, town):
    client = sign_in(Client(), staff.officer)
    case = to_pending_approval(open_rental_case(client, applicant, town, filed_on="2026-11-01"), staff)
    supervisor = sign_in(Client(), staff.supervisor)
    for action in ("approve", "reject"):
        page = supervisor.get(f"/cases/{case.pk}/actions/{action}/").content.decode()
        check = page[page.index('data-testid="decision-check"') : page.index('data-testid="decision-documents"')]
        assert 'data-testid="routes"' in check and "S1.2" in check  # engine_routes.html
        assert 'data-testid="category-ineligible"' in check
        rows = re.findall(r'data-testid="decision-document">(.*?)</tr>', page, re.S)
        labels = [str(requirement.label) for requirement in case.kind_spec.required_documents(case.category)]
        assert len(rows) == len(labels) >= 1
        for row, label in zip(rows, labels, strict=True):
            assert label in row and zh("Accepted", "document") in row
    approve = supervisor.get(f"/cases/{case.pk}/actions/approve/").content.decode()
    assert zh("Justification (required when approving against the pre-check)") in approve
