"""Issue 11 ("The policy to the letter"), findings 3, 4, 5, 6 and 8 for settlement: each test is
the case that showed the finding, with the answer the Chinese text requires.

3. 「在房屋所在地落户」「在租赁住房所在地社区公共集体户内落户」: the town, not the county.
4. One hukou per person; settling ends the person's floating-population records in Huzhou.
5. 「上述人员办理落户时，其配偶、未成年子女和未婚子女可以随迁」 also on a justified approval.
6. The decision reads the records again; what changed since intake is shown.
8. 「配偶的直系亲属」: the spouse's children and grandchildren join under S2.2.
"""

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.test import Client
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from hukou_portal.audit.models import AuditEvent
from hukou_portal.casework import services as case_services
from hukou_portal.casework.models import Case, Decision, Status
from hukou_portal.core.exceptions import ApplicationError
from hukou_portal.people.models import Town
from hukou_portal.people.services import person_create, town_set_urban
from permits import services as permit_services
from permits.models import ResidencePermit
from registration.models import ResidenceRegistration
from registration.services import lease_filing_record
from settlement import eligibility as e
from settlement.facts import parse_facts
from settlement.forms import SettlementIntake
from settlement.models import HukouEntry, SettlementApplication
from tests.casework.factories import accept_all, fresh, upload_all
from tests.helpers import sign_in, valid_id_number, zh
from tests.permits.factories import at_ten, declare, issue_permit

D = dt.date
NOW = at_ten(D(2026, 12, 1))
CHILD = valid_id_number(birth_date=D(2015, 6, 1), sequence=222)
MARRIED_SON = valid_id_number(birth_date=D(1990, 6, 1), sequence=333)
SPOUSE = valid_id_number(birth_date=D(1989, 1, 9), sequence=444)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def applicant(staff):
    return person_create(actor=staff.officer, id_number=valid_id_number(birth_date=D(1985, 3, 2)), name="王小明")


# The host (被投靠人) of the S2 intakes: named by the ID number the intake asks for.
HOST = valid_id_number(birth_date=D(1960, 1, 1), sequence=991)


def town(name: str, area: str = "330502") -> Town:
    return Town.objects.get(area__code=area, name=name)


def intake_post(applicant, *, category="rental", settle_in="月河街道", family=(), **details):  # type: ignore[no-untyped-def]
    """What the intake page posts: the applicant, the town of settlement, and the facts."""
    data = {
        "category": category,
        "applicant_id_number": applicant.id_number,
        "details-town": town(settle_in).pk,
        "details-address": "红旗路 8 号",
        "details-community": "红旗社区",
        "details-marital_status": "married",
        "details-host_name": "王被投靠",
        "details-host_id_number": HOST,
        "details-education_level": "none",
        "details-home_right": "ownership",
        "details-host_family_household": "on",
        "details-social_insurance_months": "0",
        "details-family-TOTAL_FORMS": str(len(family)),
        "details-family-INITIAL_FORMS": "0",
    }
    for index, (name, number, relation, marital) in enumerate(family):
        data.update(
            {
                f"details-family-{index}-name": name,
                f"details-family-{index}-id_number": number,
                f"details-family-{index}-relation": relation,
                f"details-family-{index}-marital_status": marital,
            }
        )
    data.update({f"details-{name}": value for name, value in details.items()})
    return data


def rental(lease_town: str = "月河街道", filed_on: str = "2026-01-10") -> dict[str, str]:
    return {"lease_private_housing": "on", "lease_town": str(town(lease_town).pk), "lease_filed_on": filed_on}


def open_case(staff, applicant, **kwargs) -> Case:  # type: ignore[no-untyped-def]
    """Open a settlement case through the service, with the intake form's cleaned data."""
    data = intake_post(applicant, **kwargs)
    intake = SettlementIntake(data)
    assert intake.is_valid(), (intake.facts.errors, intake.family.errors)
    return case_services.case_create(
        actor=staff.officer, kind="settlement", category=data["category"], applicant=applicant,
        details=intake.cleaned_data,
    )  # fmt: skip


def forward(case: Case, staff) -> Case:  # type: ignore[no-untyped-def]
    for step in ("submit", "start_review"):
        getattr(case_services, f"case_{step}")(case_id=case.pk, actor=staff.officer, expected_version=None)
    upload_all(fresh(case), staff.officer)
    accept_all(fresh(case), staff.officer)
    case_services.case_forward(case_id=case.pk, actor=staff.officer, expected_version=None)
    return fresh(case)


def settle(staff, applicant, justification: str = "", **kwargs) -> Case:  # type: ignore[no-untyped-def]
    """Open, forward, approve and complete a settlement case."""
    case = forward(open_case(staff, applicant, **kwargs), staff)
    case_services.case_approve(
        case_id=case.pk, actor=staff.supervisor, expected_version=None, justification=justification
    )
    case_services.case_complete(case_id=case.pk, actor=staff.officer, expected_version=None)
    return fresh(case)


def route(decision: dict, clause: str) -> dict:  # type: ignore[type-arg]
    return next(r for r in decision["routes"] if r["clause"] == clause)


# --- finding 3: the town of the home, not the county --------------------------------------------


def test_engine_a_lease_or_home_in_zhili_does_not_settle_a_person_in_yuehe():
    """Both towns lie in 吴兴区 (330502): the county matches, the town does not."""
    document = {
        "as_of": "2026-12-01",
        "target": {"area": "330502", "town": "月河街道", "urban": True},
        "person": {
            "birth_date": "1985-03-02",
            "marital_status": "married",
            "homes": [{"holder": "self", "right": "ownership", "area": "330502", "town": "织里镇", "urban": True}],
            "lease": {
                "private_housing": True, "area": "330502", "town": "织里镇", "urban": True, "filed_on": "2026-01-10",
            },
        },
    }  # fmt: skip
    decision = e.decide(parse_facts(document), e.Parameters())
    s11, s12 = decision.routes[0], decision.routes[1]
    assert (s11.clause, s11.eligible, s12.clause, s12.eligible) == ("S1.1", False, "S1.2", False)
    assert [(c.name, c.value, c.required, c.ok) for c in s11.checks if c.name == "home_town"] == [
        ("home_town", ["织里镇"], "月河街道", False)
    ]
    assert [(c.name, c.ok) for c in s12.checks if c.name == "lease_town"] == [("lease_town", False)]
    assert s12.eligible_from is None  # time would not help: the town is wrong

    document["target"]["town"] = "织里镇"  # settling where the home and the rented home are
    decision = e.decide(parse_facts(document), e.Parameters())
    assert decision.routes[0].eligible and decision.routes[1].eligible
    # Without the towns the area codes decide, as in the first edition of the contract.
    for place in (document["target"], document["person"]["homes"][0], document["person"]["lease"]):
        place.pop("town")
    decision = e.decide(parse_facts(document), e.Parameters())
    assert decision.routes[0].eligible and decision.routes[1].eligible


def test_a_filed_lease_in_zhili_does_not_settle_the_tenant_in_yuehe(staff, applicant, officer_client):
    """The case of the finding through the pages: the filing is recorded, the intake loads it
    (its town comes with it), and the pre-check and the case refuse S1.2 at 月河街道."""
    lease_filing_record(
        actor=staff.officer, filing_number="HZZL-2026-0001", filed_on=D(2026, 1, 10), town=town("织里镇"),
        address="织里镇中华路 1 号", housing="private", landlord="李四", tenant=applicant,
        term_start=D(2026, 1, 10), term_end=D(2028, 1, 9),
    )  # fmt: skip
    loaded = officer_client.post(
        "/settlement/intake/facts/",
        {"category": "rental", "applicant_id_number": applicant.id_number, "load_records": "1"},
    )
    assert f'<option value="{town("织里镇").pk}" selected>' in loaded.content.decode()
    data = intake_post(applicant, **rental("织里镇"))
    precheck = officer_client.post("/settlement/precheck/", data).content.decode()
    assert '<li class="check text-danger" data-check="lease_town">' in precheck
    line = precheck.split('data-check="lease_town">')[1].split("</li>")[0]
    assert zh("Town of the rented home") in line and "织里镇" in line and "月河街道" in line
    assert officer_client.post("/cases/new/settlement/", data).status_code == 302
    application = SettlementApplication.objects.get()
    assert application.facts["target"]["town"] == "月河街道"
    assert application.facts["person"]["lease"]["town"] == "织里镇"
    assert application.lease_filing is not None and application.lease_filing.filing_number == "HZZL-2026-0001"
    page = officer_client.get(f"/cases/{application.case_id}/").content.decode()
    assert 'data-testid="category-ineligible"' in page
    # Filed and settling in the same town: eligible.
    other = person_create(actor=staff.officer, id_number=valid_id_number(sequence=901), name="赵六")
    case = open_case(staff, other, settle_in="织里镇", **rental("织里镇"))
    assert 'data-testid="category-eligible"' in officer_client.get(f"/cases/{case.pk}/").content.decode()


def test_a_home_in_zhili_does_not_settle_its_owner_in_yuehe(staff, applicant, officer_client):
    case = open_case(
        staff, applicant, category="own_home", home_holder="self", home_right="ownership",
        home_town=str(town("织里镇").pk),
    )  # fmt: skip
    assert case.settlement.facts["person"]["homes"][0]["town"] == "织里镇"
    page = officer_client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="category-ineligible"' in page
    assert zh("Town of the legal stable residence") in page


def test_the_intake_loads_the_home_town_of_an_approved_permit_application(staff, applicant, officer_client):
    """A real estate certificate shown for a permit (R3.*) is a home the portal knows: its town
    comes with it to the settlement intake."""
    from tests.permits.factories import apply_for_permit

    case = apply_for_permit(
        staff.officer, staff.supervisor, applicant, category="stable_residence", school="",
        home_certificate="浙(2025)湖州市不动产权第0001号", home_town=town("织里镇"),
    )  # fmt: skip
    case_services.case_approve(case_id=case.pk, actor=staff.supervisor, expected_version=None, justification="测试")
    loaded = officer_client.post(
        "/settlement/intake/facts/",
        {"category": "own_home", "applicant_id_number": applicant.id_number, "load_records": "1"},
    ).content.decode()
    assert f'<option value="{town("织里镇").pk}" selected>' in loaded
    assert '<option value="self" selected>' in loaded


# --- finding 4: one hukou per person; settling ends floating-population records -----------------


def test_a_person_with_a_hukou_in_huzhou_cannot_open_a_settlement_case(staff, applicant, officer_client):
    first = settle(staff, applicant, **rental())
    assert HukouEntry.objects.filter(person=applicant).count() == 1
    # The counter: a clear Chinese error, no case written.
    cases = Case.objects.count()
    response = officer_client.post("/cases/new/settlement/", intake_post(applicant, category="talent"))
    assert response.status_code == 200
    body = response.content.decode()
    expected = zh(
        "%(who)s already has a hukou in Huzhou (registered on %(day)s in %(town)s, case %(case)s): "
        "a person settles only once."
    ) % {"who": "王小明", "day": "2026年12月1日", "town": "吴兴区月河街道", "case": first.reference}
    assert expected in body
    assert Case.objects.count() == cases
    # The pre-check says it as the officer types.
    precheck = officer_client.post("/settlement/precheck/", intake_post(applicant, category="talent"))
    assert 'data-testid="applicant-settled"' in precheck.content.decode()
    # The service refuses whoever calls it.
    with pytest.raises(ApplicationError):
        open_case(staff, applicant, category="talent")
    assert Case.objects.count() == cases


def test_a_family_member_with_a_hukou_in_huzhou_cannot_be_listed_to_move(staff, applicant, officer_client):
    spouse = person_create(actor=staff.officer, id_number=SPOUSE, name="李梅")
    settle(staff, spouse, **rental())
    response = officer_client.post(
        "/cases/new/settlement/", intake_post(applicant, family=[("李梅", SPOUSE, "spouse", "married")], **rental())
    )
    assert response.status_code == 200
    settled = zh(
        "%(who)s already has a hukou in Huzhou (registered on %(day)s in %(town)s, case %(case)s): "
        "a person settles only once."
    ) % {"who": "李梅", "day": "2026年12月1日", "town": "吴兴区月河街道", "case": Case.objects.get().reference}
    message = zh("%(message)s They cannot move with the applicant (随迁).") % {"message": settled}
    assert message in response.content.decode()
    assert not Case.objects.filter(applicant=applicant).exists()


def test_two_approved_cases_never_give_two_hukou_entries(staff, applicant):
    """The case of the finding: three cases for one person, taken in before any was decided.
    The second approval is refused while the first waits for completion, and after it; a case
    approved before this rule (its status written directly) cannot be completed; and the
    database refuses a second entry whatever a service does."""
    first, second, third = (
        forward(open_case(staff, applicant, **rental()), staff),
        forward(open_case(staff, applicant, category="talent", education_level="bachelor"), staff),
        forward(open_case(staff, applicant, category="talent", education_level="bachelor"), staff),
    )
    case_services.case_approve(case_id=first.pk, actor=staff.supervisor, expected_version=None)
    with pytest.raises(ApplicationError, match=first.reference):
        case_services.case_approve(case_id=second.pk, actor=staff.supervisor, expected_version=None)
    assert fresh(second).status == Status.PENDING_APPROVAL
    case_services.case_complete(case_id=first.pk, actor=staff.officer, expected_version=None)
    with pytest.raises(ApplicationError, match=first.reference):
        case_services.case_approve(case_id=second.pk, actor=staff.supervisor, expected_version=None)
    # It may still be rejected.
    case_services.case_reject(case_id=second.pk, actor=staff.supervisor, expected_version=None, reason="已落户")

    # A case approved before the rule existed.
    Case.objects.filter(pk=third.pk).update(status=Status.APPROVED, decision=Decision.APPROVED)
    SettlementApplication.objects.filter(case=third).update(decision=fresh(first).settlement.decision)
    with pytest.raises(ApplicationError):
        case_services.case_complete(case_id=third.pk, actor=staff.officer, expected_version=None)
    assert fresh(third).status == Status.APPROVED
    assert HukouEntry.objects.filter(person=applicant).count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        HukouEntry.objects.create(
            person=applicant, household_type="community_collective", town=town("月河街道"), address="x",
            clause="S3.1", registered_on=D(2026, 12, 1), case=third,
        )  # fmt: skip


def test_settling_ends_the_residence_registration_and_permit_that_day(staff, applicant, _now):
    """The person is no longer floating population: on the completion day their registration
    ends and their permit is cancelled — the accompanying child's too — audited with the case."""
    declare(staff.officer, applicant, accepted_on=D(2025, 6, 2))
    permit = issue_permit(staff.officer, staff.supervisor, applicant)
    child = person_create(actor=staff.officer, id_number=CHILD, name="王小宝")
    declare(staff.officer, child, accepted_on=D(2025, 6, 2))
    _now.move_to(at_ten(D(2027, 3, 1)))
    case = settle(staff, applicant, family=[("王小宝", CHILD, "child", "unmarried")], **rental())

    registration = ResidenceRegistration.objects.get(person=applicant, source="local")
    assert registration.ended_on == D(2027, 3, 1)
    assert ResidenceRegistration.objects.get(person=child, source="local").ended_on == D(2027, 3, 1)
    permit.refresh_from_db()
    assert permit.status == ResidencePermit.Status.CANCELLED
    entry = HukouEntry.objects.get(person=applicant)
    assert (entry.ended_registration, entry.cancelled_permit) == (registration, permit)
    ended = AuditEvent.objects.get(action="registration.ended", case=case, object_id=str(registration.pk))
    assert ended.new_values == {"ended_on": "2027-03-01", "reason": "settled"}
    cancelled = AuditEvent.objects.get(action="permit.cancelled", case=case)
    assert cancelled.new_values == {"reason": "settled"}

    words = zh("Residence registration at %(place)s ended on %(day)s") % {
        "place": str(registration),
        "day": "2027年3月1日",
    }
    officer_client = sign_in(Client(), staff.officer)
    page = officer_client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="hukou-entries"' in page and words in page
    assert zh("residence permit %(number)s cancelled") % {"number": permit.number} in page
    person_file = officer_client.get(f"/people/{applicant.pk}/").content.decode()
    assert words in person_file
    from hukou_portal.core.vocabulary import describe  # how the audit trail reads the two events

    assert zh("Settled in Huzhou: no longer floating population") in describe("registration", ended.new_values)
    assert zh("Settled in Huzhou: no longer floating population") in describe("permit", cancelled.new_values)


# --- finding 5: a justified approval keeps the family ---------------------------------------------


def test_a_justified_approval_lets_the_spouse_and_minor_child_move_but_not_the_married_son(
    staff, applicant, officer_client
):
    """The case of the finding: the lease filed a month ago (S1.2 not met, nothing else), the
    supervisor approves with a justification. The applicant, the spouse and the minor child get
    an entry (S6.1 by relation); the married adult son does not."""
    family = [
        ("李梅", SPOUSE, "spouse", "married"),
        ("王小宝", CHILD, "child", "unmarried"),
        ("王大", MARRIED_SON, "child", "married"),
    ]
    case = forward(open_case(staff, applicant, family=family, **rental(filed_on="2026-11-01")), staff)
    supervisor = sign_in(Client(), staff.supervisor)
    page = supervisor.get(f"/cases/{case.pk}/actions/approve/").content.decode()
    assert 'data-testid="category-ineligible"' in page
    # Before deciding, the supervisor reads what an approval on justification does for the family.
    family = page.split('data-testid="family-on-justification"')[1].split("</div>")[0]
    assert "王小宝：" + zh("Minor child: may move with the applicant.") in family
    assert "李梅：" + zh("Spouse: may move with the applicant.") in family
    assert "王大：" in family and "text-danger" in family
    case_services.case_approve(
        case_id=case.pk, actor=staff.supervisor, expected_version=None, justification="县政府特批：重点企业引进"
    )
    verdicts = {v["ref"]: v for v in fresh(case).settlement.decision["family"]}
    assert {ref: v["may_accompany"] for ref, v in verdicts.items()} == {"m1": True, "m2": True, "m3": False}
    case_services.case_complete(case_id=case.pk, actor=staff.officer, expected_version=None)
    entries = {entry.person.id_number: entry.clause for entry in HukouEntry.objects.filter(case=case)}
    assert entries == {applicant.id_number: "S1.2", SPOUSE: "S6.1", CHILD: "S6.1"}
    detail = officer_client.get(f"/cases/{case.pk}/").content.decode()
    assert zh("Minor child: may move with the applicant.") in detail
    assert zh("Spouse: may move with the applicant.") in detail


# --- finding 6: facts read again at the decision ---------------------------------------------------


def permit_case(staff, applicant, officer_client):  # type: ignore[no-untyped-def]
    """An S5.1 case whose permit facts were loaded from the records (as the intake page does)."""
    records = officer_client.post(
        "/settlement/intake/facts/",
        {"category": "permit", "applicant_id_number": applicant.id_number, "load_records": "1"},
    )
    assert records.context["records"] == "filled"
    initial = records.context["facts"].initial
    return open_case(
        staff, applicant, category="permit",
        permit_issuer_area=initial["permit_issuer_area"], permit_issued_on=initial["permit_issued_on"],
        permit_held_since=initial["permit_held_since"], permit_valid="on",
    )  # fmt: skip


def test_a_permit_cancelled_between_intake_and_decision_is_seen(staff, applicant, officer_client, _now):
    """The case of the finding: an S5.1 case taken in with a valid permit held 7 months; the
    registration is cancelled (and the permit with it) before the supervisor decides. The
    decision sees the cancelled permit: approving needs a justification, and the pages say what
    changed since intake, in Chinese."""
    _now.move_to(at_ten(D(2026, 4, 1)))
    declare(staff.officer, applicant, accepted_on=D(2026, 4, 1))
    permit = issue_permit(staff.officer, staff.supervisor, applicant)
    _now.move_to(at_ten(D(2026, 11, 2)))
    case = forward(permit_case(staff, applicant, officer_client), staff)
    assert case.settlement.permit == permit
    supervisor = sign_in(Client(), staff.supervisor)
    assert 'data-testid="category-eligible"' in supervisor.get(f"/cases/{case.pk}/actions/approve/").content.decode()

    permit_services.permits_cancel_for_registration(person=applicant, actor=staff.officer, case=case)
    page = supervisor.get(f"/cases/{case.pk}/actions/approve/").content.decode()
    assert 'data-testid="category-ineligible"' in page
    assert 'data-testid="facts-changed"' in page
    assert zh("Residence permit") in page and zh("Cancelled") in page
    refused = supervisor.post(f"/cases/{case.pk}/actions/approve/", {"version": fresh(case).version})
    assert refused.status_code == 200 and "justification" in refused.context["form"].errors
    case_services.case_reject(case_id=case.pk, actor=staff.supervisor, expected_version=None, reason="居住证已注销")
    application = fresh(case).settlement
    assert application.decision_facts["person"]["permits"][0]["valid"] is False
    assert application.facts["person"]["permits"][0]["valid"] is True  # intake stays as it was
    assert {"name": "permit", "before": "valid", "after": "cancelled"} in application.facts_changes
    event = AuditEvent.objects.get(action="case.reject", case=case)
    assert "permit" in event.new_values["facts_changed"]
    detail = officer_client.get(f"/cases/{case.pk}/").content.decode()
    assert zh("Changed since intake") in detail and zh("Cancelled") in detail


def test_a_lapsed_permit_re_endorsed_after_intake_counts_from_the_re_endorsement(
    staff, applicant, officer_client, _now
):
    """Intake while the permit had lapsed (its holding time then counting from issue); it is
    re-endorsed before the decision, so the holding time restarts (居住证暂行条例 第十三条)."""
    _now.move_to(at_ten(D(2025, 1, 10)))
    declare(staff.officer, applicant, accepted_on=D(2025, 1, 10))
    permit = issue_permit(staff.officer, staff.supervisor, applicant)
    _now.move_to(at_ten(D(2026, 2, 1)))  # endorsement overdue since 2026-01-10
    case = forward(permit_case(staff, applicant, officer_client), staff)
    _now.move_to(at_ten(D(2026, 2, 3)))
    permit_services.permit_endorse(actor=staff.officer, permit_id=permit.pk)
    page = sign_in(Client(), staff.supervisor).get(f"/cases/{case.pk}/actions/approve/").content.decode()
    assert zh("Permit holding time counts from") in page and "2026年2月3日" in page
    s51 = route(fresh(case).settlement.case.kind_spec.detail_context(fresh(case))["engine"], "S5.1")
    assert s51["eligible"] is False and s51["eligible_from"] == "2026-08-03"


def test_a_replaced_permit_carries_the_fact_on(staff, applicant, officer_client, _now):
    _now.move_to(at_ten(D(2026, 4, 1)))
    declare(staff.officer, applicant, accepted_on=D(2026, 4, 1))
    permit = issue_permit(staff.officer, staff.supervisor, applicant)
    _now.move_to(at_ten(D(2026, 11, 2)))
    case = forward(permit_case(staff, applicant, officer_client), staff)
    new = permit_services.permit_replace(actor=staff.officer, permit_id=permit.pk, reason="遗失")
    case_services.case_approve(case_id=case.pk, actor=staff.supervisor, expected_version=None)
    application = fresh(case).settlement
    assert route(application.decision, "S5.1")["eligible"] is True
    assert {"name": "permit_replaced", "before": permit.number, "after": new.number} in application.facts_changes


def test_a_lease_whose_term_ended_before_the_decision_no_longer_counts(staff, applicant, _now):
    lease_filing_record(
        actor=staff.officer, filing_number="HZZL-2026-0002", filed_on=D(2026, 1, 10), town=town("月河街道"),
        address="红旗路 8 号", housing="private", landlord="李四", tenant=applicant,
        term_start=D(2026, 1, 10), term_end=D(2026, 12, 15),
    )  # fmt: skip
    case = forward(open_case(staff, applicant, **rental()), staff)
    assert case.kind_spec.detail_context(case)["category_route"]["clause"] == "S1.2"  # the lease in force
    _now.move_to(at_ten(D(2026, 12, 16)))
    with pytest.raises(ApplicationError):
        case_services.case_approve(case_id=case.pk, actor=staff.supervisor, expected_version=None)
    case_services.case_reject(case_id=case.pk, actor=staff.supervisor, expected_version=None, reason="租期已满")
    application = fresh(case).settlement
    assert application.decision_facts["person"]["lease"] is None
    assert {"name": "lease_term_ended", "before": None, "after": "2026-12-15"} in application.facts_changes


def test_a_town_no_longer_urban_at_the_decision_is_refused_by_s0(staff, applicant, city_admin, officer_client):
    case = forward(open_case(staff, applicant, **rental()), staff)
    town_set_urban(actor=city_admin, town_id=town("月河街道").pk, is_urban=False, reason="区划调整")
    page = officer_client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="refusal-s0"' in page
    assert zh("The town of settlement is urban") in page
    case_services.case_reject(case_id=case.pk, actor=staff.supervisor, expected_version=None, reason="非城镇地区")
    application = fresh(case).settlement
    assert application.decision["refusal"] == "S0"
    assert {"name": "target_urban", "before": True, "after": False} in application.facts_changes


def test_nothing_changed_says_so(staff, applicant, officer_client):
    case = open_case(staff, applicant, **rental())
    assert 'data-testid="facts-unchanged"' in officer_client.get(f"/cases/{case.pk}/").content.decode()


# --- finding 8: the spouse's lineal relatives --------------------------------------------------


@pytest.mark.parametrize("relation", ["spouse_child", "spouse_grandchild"])
def test_the_host_s_spouse_s_child_or_grandchild_joins_under_s22(staff, applicant, officer_client, relation):
    """「被投靠人在城镇地区有合法稳定住所的，其直系亲属、配偶的直系亲属…可以在被投靠人所在家庭户内落户，
    不受年龄及婚姻状况限制」: a married 41-year-old, the child (or grandchild) of the host's spouse."""
    data = intake_post(
        applicant, category="relatives", host_relation=relation, host_area="330502",
        host_has_urban_stable_residence="on",
    )  # fmt: skip
    form = officer_client.get("/cases/new/settlement/?category=relatives").content.decode()
    label = {"spouse_child": "Child of the host's spouse", "spouse_grandchild": "Grandchild of the host's spouse"}
    assert f'<option value="{relation}">{zh(label[relation])}</option>' in form
    assert officer_client.post("/cases/new/settlement/", data).status_code == 302
    case = Case.objects.get(kind="settlement")
    context = case.kind_spec.detail_context(case)
    assert context["category_route"]["clause"] == "S2.2"
    page = officer_client.get(f"/cases/{case.pk}/").content.decode()
    words = {"spouse_child": "Spouse's child", "spouse_grandchild": "Spouse's grandchild"}
    assert zh(words[relation]) in page


# --- the property: a settled person never settles again ---------------------------------------

PEOPLE = 3
ACTIONS = {
    "approve": lambda case, staff: case_services.case_approve(
        case_id=case.pk, actor=staff.supervisor, expected_version=None
    ),
    "reject": lambda case, staff: case_services.case_reject(
        case_id=case.pk, actor=staff.supervisor, expected_version=None, reason="不予落户"
    ),
    "complete": lambda case, staff: case_services.case_complete(
        case_id=case.pk, actor=staff.officer, expected_version=None
    ),
}
# An intake (applicant, perhaps another of the people as the spouse, and what is then done with
# the new case), or a later action on one of the cases taken in before.
operation = st.one_of(
    st.tuples(
        st.just("open"),
        st.integers(0, PEOPLE - 1),
        st.none() | st.integers(0, PEOPLE - 1),
        st.sampled_from([(), ("approve",), ("approve", "complete"), ("approve", "complete"), ("reject",)]),
    ),
    st.tuples(st.sampled_from(sorted(ACTIONS)), st.integers(0, 5)),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(operation, min_size=2, max_size=7))
def test_a_settled_person_never_opens_or_completes_a_second_settlement(staff, operations):
    """Through the services, any order of intakes (with or without a family member who is
    another of the people), approvals, rejections and completions: nobody ever holds two hukou
    entries nor completes two settlements; an intake for a person who holds one — as applicant
    or as family member — is refused and writes nothing; an approval or a completion for an
    applicant who holds one from another case is refused."""
    with transaction.atomic():
        people = [
            person_create(actor=staff.officer, id_number=valid_id_number(sequence=700 + i), name=f"甲乙{i}")
            for i in range(PEOPLE)
        ]
        cases: list[Case] = []

        def act(case: Case, action: str) -> None:
            settled_elsewhere = HukouEntry.objects.filter(person=case.applicant).exclude(case=case).exists()
            try:
                with transaction.atomic():
                    ACTIONS[action](fresh(case), staff)
            except ApplicationError:
                return
            if action == "approve" or (action == "complete" and fresh(case).decision == Decision.APPROVED):
                assert not settled_elsewhere
                event(f"{action}d")

        for op in operations:
            if op[0] == "open":
                applicant = people[op[1]]
                member = people[op[2]] if op[2] is not None and op[2] != op[1] else None
                settled = HukouEntry.objects.filter(person__in=[p for p in (applicant, member) if p]).exists()
                family = [(member.name, member.id_number, "spouse", "married")] if member else []
                before = Case.objects.count()
                try:
                    with transaction.atomic():
                        case = forward(open_case(staff, applicant, family=family, **rental()), staff)
                except ApplicationError:
                    assert settled, "an intake refused for a person who holds no hukou"
                    assert Case.objects.count() == before
                    assert SettlementApplication.objects.count() == len(cases)
                    event("an intake refused: already settled")
                    continue
                assert not settled, "an intake taken for a person who holds a hukou"
                cases.append(case)
                for action in op[3]:
                    act(case, action)
            elif cases:
                act(cases[op[1] % len(cases)], op[0])
            for person in people:
                assert HukouEntry.objects.filter(person=person).count() <= 1
                completed = Case.objects.filter(
                    kind="settlement", applicant=person, status=Status.COMPLETED, decision=Decision.APPROVED
                )
                assert completed.count() <= 1
        transaction.set_rollback(True)
