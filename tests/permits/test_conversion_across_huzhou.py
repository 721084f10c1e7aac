"""Issue 11, finding 2: conversions across Huzhou (R3.1, R3.3).

「凡持有有效《浙江省居住证》的流动人口，符合合法稳定居住、就业和连续就读条件之一，并在当地办理居住
登记的，即可在湖州市各区(县)申请居住证互认转换」: a valid permit of any *other* county-level area of a
recognised region converts — a 吴兴 holder who moves to 南浔 gets a 南浔 permit (and can then use
S5.1 there); the 吴兴 permit ends on conversion. Within one county there is nothing to convert.
"""

import datetime as dt

import pytest
from django.test import Client

from hukou_portal.accounts.roles import Role
from hukou_portal.audit.models import AuditEvent
from hukou_portal.casework import services as case_services
from hukou_portal.casework.models import Case
from hukou_portal.core.exceptions import ApplicationError
from hukou_portal.people.models import Town
from hukou_portal.rules.services import parameter_schedule
from permits import services
from permits.models import PermitApplication, ResidencePermit
from settlement.services import intake_initial
from tests.casework.factories import fresh
from tests.helpers import make_user, sign_in, zh
from tests.permits.factories import convert, declare, issue_permit, move_registration

D = dt.date


@pytest.fixture
def nanxun(offices):
    officer = make_user(offices.nanxun_station, Role.COUNTER_OFFICER, username="nanxun_officer")
    supervisor = make_user(offices.nanxun, Role.SUPERVISOR, username="nanxun_supervisor")
    return officer, supervisor


@pytest.fixture
def wuxing_holder(staff, holder):
    """陈小红 holds a 吴兴 permit (issued by the 月河 station) and has moved to 南浔镇."""
    declare(staff.officer, holder, accepted_on=D(2026, 5, 1))
    permit = issue_permit(staff.officer, staff.supervisor, holder)
    move_registration(
        staff.officer, holder, town=Town.objects.get(area__code="330503", name="南浔镇"), on=D(2026, 12, 1)
    )
    return permit


def test_a_wuxing_holder_who_moves_to_nanxun_converts_to_a_nanxun_permit(staff, holder, nanxun, wuxing_holder):
    """The case that showed it: R3.1 refused any 3305xx issuer and intake refused anyone with an
    active permit, so this person could never get a 南浔 permit nor use S5.1 there."""
    officer, supervisor = nanxun
    case = convert(
        officer,
        holder,
        area="330503",
        other_permit_number=wuxing_holder.number,
        other_permit_region="330502",
        other_permit_valid_until=wuxing_holder.endorsed_until,
    )
    checks = services.application_checks(case)
    assert checks["clause"] == "R3.1" and checks["eligible"] is True
    issued_elsewhere = checks["checks"][0]
    assert issued_elsewhere["name"] == "permit_issued_in_another_area" and issued_elsewhere["ok"] is True

    case_services.case_approve(case_id=case.pk, actor=supervisor, expected_version=None)  # no justification needed
    case_services.case_complete(case_id=case.pk, actor=officer, expected_version=None)

    new = ResidencePermit.objects.get(case=case)
    assert (new.area_code, new.office.name, new.status) == ("330503", "南浔派出所", ResidencePermit.Status.ACTIVE)
    assert new.held_since == D(2026, 12, 1)  # holding time in 南浔 counts from the new permit
    old = ResidencePermit.objects.get(pk=wuxing_holder.pk)
    assert old.status == ResidencePermit.Status.CONVERTED
    assert (old.ended_on, new.issued_on) == (D(2026, 12, 1), D(2026, 12, 1))  # one ends the day the other begins
    event = AuditEvent.objects.get(action="permit.converted")
    assert (event.case, event.object_id, event.actor) == (fresh(case), str(old.pk), officer)
    assert event.new_values == {"state": "converted", "number": new.number, "area": "330503"}
    # The old token no longer verifies; S5.1 in 南浔 now reads a 南浔 permit.
    old_page = Client().get(f"/verify/{old.token}")
    assert old_page.context["valid"] is False
    assert zh("The permit has been converted to a permit of another area; this code is no longer valid.") in (
        old_page.content.decode()
    )
    assert intake_initial(holder)["permit_issuer_area"].code == "330503"


def test_the_converted_permit_page_links_to_what_replaced_it(staff, holder, nanxun, wuxing_holder):
    officer, supervisor = nanxun
    case = convert(
        officer,
        holder,
        area="330503",
        other_permit_number=wuxing_holder.number,
        other_permit_region="330502",
        other_permit_valid_until=wuxing_holder.endorsed_until,
    )
    case_services.case_approve(case_id=case.pk, actor=supervisor, expected_version=None)
    case_services.case_complete(case_id=case.pk, actor=officer, expected_version=None)
    new = ResidencePermit.objects.get(case=case)
    body = sign_in(Client(), staff.officer).get(f"/permits/{wuxing_holder.pk}/").content.decode()
    assert zh("Converted to a permit of another area") in body and new.number in body
    assert f"/permits/{new.pk}/" not in body  # 南浔's permit: 吴兴 may not open it


def test_converting_within_the_same_county_is_refused_with_a_clear_reason(staff, holder):
    """A 吴兴 holder asking 吴兴 to convert their 吴兴 permit: refused at intake, in Chinese, nothing written."""
    permit = issue_permit(staff.officer, staff.supervisor, holder)
    client = sign_in(Client(), staff.officer)
    response = client.post(
        "/cases/new/permit_conversion/",
        {
            "category": "stable_employment",
            "applicant_id_number": holder.id_number,
            "details-area": _area_pk("330502"),
            "details-employment_evidence": "labour_contract",
            "details-employer": "湖州某某有限公司",
            "details-employer_area": _area_pk("330502"),
            "details-other_permit_number": permit.number,
            "details-other_permit_region": "330502",
            "details-other_permit_valid_until": permit.endorsed_until.isoformat(),
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    expected = zh(
        "The person already holds residence permit %(number)s of %(area)s: within one county-level "
        "area nothing is converted or applied for again — endorse or replace that permit instead."
    ) % {"number": permit.number, "area": "吴兴区"}
    assert expected in body
    assert not Case.objects.filter(kind="permit_conversion").exists()
    assert not PermitApplication.objects.filter(case__kind="permit_conversion").exists()


def _area_pk(code: str) -> int:
    from hukou_portal.people.models import Area

    return Area.objects.get(code=code).pk


def test_a_permit_typed_from_the_card_of_the_same_county_is_refused(staff, holder):
    with pytest.raises(ApplicationError) as refused:
        convert(
            staff.officer,
            holder,
            area="330502",
            other_permit_number="ZJ3305022025000001",
            other_permit_region="330502",
            other_permit_valid_until=D(2027, 6, 1),
        )
    assert refused.value.field == "other_permit_region"
    assert "吴兴区" in refused.value.message
    assert not Case.objects.filter(kind="permit_conversion").exists()


def test_a_huzhou_permit_is_converted_only_as_recorded(staff, holder, nanxun, wuxing_holder):
    officer, _supervisor = nanxun
    with pytest.raises(ApplicationError) as refused:
        convert(
            officer,
            holder,
            area="330503",
            other_permit_number="ZJ3305022026999999",
            other_permit_region="330502",
            other_permit_valid_until=D(2027, 12, 1),
        )
    assert refused.value.field == "other_permit_number" and wuxing_holder.number in refused.value.message


def test_a_lapsed_huzhou_permit_is_not_converted(staff, holder, nanxun, wuxing_holder, _now):
    officer, _supervisor = nanxun
    _now.move_to(dt.datetime(2027, 12, 5, 10, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    with pytest.raises(ApplicationError, match=wuxing_holder.number) as refused:
        convert(
            officer,
            holder,
            area="330503",
            other_permit_number=wuxing_holder.number,
            other_permit_region="330502",
            other_permit_valid_until=D(2027, 12, 31),
        )
    assert refused.value.field == "other_permit_number"


def test_an_application_in_another_area_points_to_the_conversion(staff, holder, nanxun, wuxing_holder):
    from tests.permits.factories import apply_for_permit

    officer, supervisor = nanxun
    with pytest.raises(ApplicationError, match="互认转换") as refused:
        apply_for_permit(officer, supervisor, holder, area="330503")
    assert refused.value.field == "applicant_id_number"


def test_a_conversion_between_the_same_areas_cannot_issue_a_second_permit(staff, holder, nanxun, wuxing_holder):
    """Approved, then the holder got another 南浔 permit meanwhile: completion refuses, not two permits."""
    officer, supervisor = nanxun
    case = convert(
        officer,
        holder,
        area="330503",
        other_permit_number=wuxing_holder.number,
        other_permit_region="330502",
        other_permit_valid_until=wuxing_holder.endorsed_until,
    )
    case_services.case_approve(case_id=case.pk, actor=supervisor, expected_version=None)
    ResidencePermit.objects.filter(pk=wuxing_holder.pk).update(area_code="330503")
    with pytest.raises(ApplicationError):
        case_services.case_complete(case_id=case.pk, actor=officer, expected_version=None)
    assert ResidencePermit.objects.filter(holder=holder, status=ResidencePermit.Status.ACTIVE).count() == 1


@pytest.mark.parametrize(("regions", "accepted"), [(None, False), (["330000", "310000"], True)])
def test_r31_reads_the_recognised_regions_parameter(staff, holder, city_admin, regions, accepted):
    """R3.3: a Shanghai permit converts only once the Yangtze River Delta is recognised."""
    declare(staff.officer, holder, accepted_on=D(2026, 11, 1))
    if regions:
        parameter_schedule(
            actor=city_admin, key="recognised_regions", value=regions, effective_from=D(2026, 12, 1), reason="长三角"
        )
    arguments = {
        "area": "330502",
        "employer": "湖州某某有限公司",
        "other_permit_number": "SH2026000123",
        "other_permit_region": "310104",
        "other_permit_valid_until": D(2027, 6, 1),
    }
    if not accepted:
        with pytest.raises(ApplicationError) as refused:
            convert(staff.officer, holder, **arguments)
        assert refused.value.field == "other_permit_region" and "上海市徐汇区" in refused.value.message
        return
    case = convert(staff.officer, holder, **arguments)
    assert services.application_checks(case)["eligible"] is True
