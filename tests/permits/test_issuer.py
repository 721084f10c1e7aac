"""Issue 11, finding 10: the permit records who issued it — the office that completed the case,
and that office's area — not the area written on the application. S5.1 asks for a permit
「拟落户地公安机关签发」 and reads the issuer's area.
"""

import datetime as dt

import pytest
from django.test import Client

from hukou_portal.accounts.roles import Role
from hukou_portal.casework import services as case_services
from hukou_portal.casework.models import Status
from hukou_portal.core.exceptions import ApplicationError
from hukou_portal.people.models import Area, Town
from permits import services
from permits.models import ResidencePermit
from settlement.services import intake_initial
from tests.casework.factories import fresh
from tests.helpers import make_user, sign_in, zh
from tests.permits.factories import apply_for_permit, declare, issue_permit, move_registration

D = dt.date


@pytest.fixture
def nanxun(offices):
    officer = make_user(offices.nanxun_station, Role.COUNTER_OFFICER, username="nanxun_officer")
    supervisor = make_user(offices.nanxun, Role.SUPERVISOR, username="nanxun_supervisor")
    return officer, supervisor


@pytest.fixture
def applied_in_wuxing_for_nanxun(staff, holder):
    """The 月河 station (吴兴) takes an application for 南浔 (全域就近办): enrolled at a 南浔 school,
    registered in 南浔 for six months."""
    declare(staff.officer, holder, accepted_on=D(2026, 5, 1))
    move_registration(
        staff.officer, holder, town=Town.objects.get(area__code="330503", name="南浔镇"), on=D(2026, 6, 1)
    )
    return apply_for_permit(staff.officer, staff.supervisor, holder, area="330503", school="南浔中学")


def test_a_case_held_by_another_area_is_not_approved_and_says_to_transfer_it(staff, applied_in_wuxing_for_nanxun):
    """The case: 月河 completing a 南浔 application issued a permit recorded as 南浔's, though 吴兴
    issued it. Now the supervisor is told to have it transferred; nothing is decided."""
    case = applied_in_wuxing_for_nanxun
    wuxing_supervisor = make_user(staff.officer.office.parent, Role.SUPERVISOR, username="wuxing_supervisor")
    with pytest.raises(ApplicationError) as refused:
        case_services.case_approve(case_id=case.pk, actor=wuxing_supervisor, expected_version=None)
    assert "南浔区" in refused.value.message and "月河派出所" in refused.value.message
    assert fresh(case).status == Status.PENDING_APPROVAL
    body = sign_in(Client(), staff.officer).get(f"/cases/{case.pk}/").content.decode()
    start = body.index('data-testid="permit-issuer"')
    issuer = body[start : body.index("</dd>", start)]
    assert "text-danger" in issuer and "月河派出所" in issuer and "南浔区" in issuer and zh("Issued by") in body


def test_after_the_transfer_the_nanxun_station_issues_a_nanxun_permit(
    staff, holder, nanxun, applied_in_wuxing_for_nanxun
):
    officer, supervisor = nanxun
    case = applied_in_wuxing_for_nanxun
    wuxing_supervisor = make_user(staff.officer.office.parent, Role.SUPERVISOR, username="wuxing_supervisor")
    case_services.case_send_back(case_id=case.pk, actor=wuxing_supervisor, expected_version=None, comment="转南浔")
    case_services.case_transfer(case_id=case.pk, actor=staff.officer, expected_version=None, office=officer.office)
    case_services.case_forward(case_id=case.pk, actor=officer, expected_version=None)
    case_services.case_approve(case_id=case.pk, actor=supervisor, expected_version=None)
    case_services.case_complete(case_id=case.pk, actor=officer, expected_version=None)
    permit = ResidencePermit.objects.get(case=case)
    assert (permit.office, permit.area_code) == (officer.office, "330503")
    assert permit.number.startswith("ZJ330503")
    # S5.1 reads the issuer's area.
    assert intake_initial(holder)["permit_issuer_area"] == Area.objects.get(code="330503")
    page = sign_in(Client(), officer).get(f"/permits/{permit.pk}/").content.decode()
    assert "南浔派出所（南浔区）" in page


def test_completion_refuses_when_the_office_is_not_in_the_area(staff, holder):
    """Even an approved case does not issue another area's permit (a county moved a station)."""
    declare(staff.officer, holder, accepted_on=D(2026, 5, 1))
    case = apply_for_permit(staff.officer, staff.supervisor, holder)
    case_services.case_approve(case_id=case.pk, actor=staff.supervisor, expected_version=None)
    case.permit_application.area = Area.objects.get(code="330503")
    case.permit_application.save(update_fields=["area"])
    with pytest.raises(ApplicationError):
        case_services.case_complete(case_id=case.pk, actor=staff.officer, expected_version=None)
    assert not ResidencePermit.objects.exists()


def test_a_replacement_keeps_the_issuing_area_and_names_the_office_that_replaced_it(staff, holder, offices):
    permit = issue_permit(staff.officer, staff.supervisor, holder)
    county_officer = make_user(offices.wuxing, Role.COUNTER_OFFICER, username="wuxing_officer")
    new = services.permit_replace(actor=county_officer, permit_id=permit.pk, reason="遗失")
    assert (new.office, new.area_code, new.held_since) == (offices.wuxing, "330502", permit.held_since)
