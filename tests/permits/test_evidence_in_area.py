"""Issue 11, finding 9: the R3.1/R3.2 conditions are tied to the area applied to.

「符合合法稳定居住、就业和连续就读条件之一」 in the county where the person applies: stable
employment needs a labour contract or business licence with an employer in that county, stable
residence a filed lease in force or a home there, schooling an enrolment at a school there. Any
employer name plus a tick box used to pass, any school name too, and a lease after its term.
The check names which evidence met the condition, in Chinese, on the case page.
"""

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import Client

from hukou_portal.casework.models import Case
from hukou_portal.people.models import Area, Town
from permits import services
from permits.models import PermitApplication
from registration.services import lease_filing_record
from tests.helpers import sign_in, zh
from tests.permits.factories import apply_for_permit, declare

D = dt.date


@pytest.fixture
def registered(staff, holder):
    declare(staff.officer, holder, accepted_on=D(2026, 6, 1))  # six months on 2026-12-01
    return holder


def condition(case, name):  # type: ignore[no-untyped-def]
    return next(check for check in services.application_checks(case)["checks"] if check["name"] == name)


def test_an_employer_in_another_area_does_not_make_stable_employment(staff, registered):
    """The case: an application to 吴兴 naming an employer in 南浔 with a labour contract passed."""
    case = apply_for_permit(
        staff.officer,
        staff.supervisor,
        registered,
        school="",
        category="stable_employment",
        employment_evidence="labour_contract",
        employer="南浔某某纺织有限公司",
        employer_area=Area.objects.get(code="330503"),
    )
    employment = condition(case, "stable_employment")
    assert employment["ok"] is False
    assert employment["value"] == [
        {
            "kind": "labour_contract",
            "reference": "南浔某某纺织有限公司",
            "area": "330503",
            "used": False,
            "problem": "not_in_area",
        }
    ]
    assert services.application_checks(case)["eligible"] is False


def test_an_employer_in_the_area_makes_stable_employment_and_is_named(staff, registered):
    case = apply_for_permit(
        staff.officer,
        staff.supervisor,
        registered,
        school="",
        category="stable_employment",
        employment_evidence="business_licence",
        employer="吴兴某某小吃店",
        employer_area=Area.objects.get(code="330502"),
    )
    employment = condition(case, "stable_employment")
    assert employment["ok"] is True and employment["value"][0]["used"] is True
    assert services.application_checks(case)["eligible"] is True


def test_a_school_in_another_area_does_not_make_continuous_schooling(staff, registered):
    case = apply_for_permit(
        staff.officer, staff.supervisor, registered, school="南浔中学", school_area=Area.objects.get(code="330503")
    )
    assert condition(case, "continuous_schooling")["ok"] is False
    assert services.application_checks(case)["eligible"] is False


TERM_END = D(2027, 5, 31)


def file_lease(staff, holder, number, *, town="月河街道", area="330502", term_end=TERM_END):  # type: ignore[no-untyped-def]
    return lease_filing_record(
        actor=staff.officer,
        filing_number=number,
        filed_on=D(2025, 6, 1),
        town=Town.objects.get(area__code=area, name=town),
        address="红旗路 3 号",
        housing="private",
        landlord="房东",
        tenant=holder,
        term_start=D(2025, 6, 1),
        term_end=term_end,
    )


def test_a_lease_after_its_term_is_not_stable_residence(staff, registered):
    """The case: a lease filing whose term ended on 2026-05-31 still counted on 2026-12-01."""
    file_lease(staff, registered, "HZZL-ENDED", term_end=D(2026, 5, 31))
    case = apply_for_permit(
        staff.officer,
        staff.supervisor,
        registered,
        school="",
        category="stable_residence",
        lease_filing_number="HZZL-ENDED",
    )
    residence = condition(case, "stable_residence")
    assert residence["ok"] is False and residence["value"][0]["problem"] == "ended"


def test_a_lease_in_another_area_is_not_stable_residence(staff, registered):
    file_lease(staff, registered, "HZZL-NANXUN", town="南浔镇", area="330503")
    case = apply_for_permit(
        staff.officer,
        staff.supervisor,
        registered,
        school="",
        category="stable_residence",
        lease_filing_number="HZZL-NANXUN",
    )
    assert condition(case, "stable_residence")["value"][0]["problem"] == "not_in_area"


def test_a_home_counts_only_in_the_area(staff, registered):
    in_nanxun = apply_for_permit(
        staff.officer,
        staff.supervisor,
        registered,
        school="",
        category="stable_residence",
        home_certificate="浙(2021)湖州市(南浔)不动产权第0000123号",
        home_town=Town.objects.get(area__code="330503", name="南浔镇"),
    )
    assert condition(in_nanxun, "stable_residence")["ok"] is False


def test_the_case_page_names_the_evidence_used_in_chinese(staff, registered):
    file_lease(staff, registered, "HZZL-IN-FORCE")
    case = apply_for_permit(
        staff.officer,
        staff.supervisor,
        registered,
        school="南浔中学",
        school_area=Area.objects.get(code="330503"),
        category="stable_residence",
        lease_filing_number="HZZL-IN-FORCE",
    )
    body = sign_in(Client(), staff.officer).get(f"/cases/{case.pk}/").content.decode()
    used = zh("%(evidence)s — used") % {
        "evidence": f"{zh('Lease filing')} HZZL-IN-FORCE（吴兴区，"
        + zh("term until %(day)s") % {"day": "2027年5月31日"}
        + "）"
    }
    assert used in body
    refused = zh("%(evidence)s — does not count: %(why)s") % {
        "evidence": f"{zh('Enrolment')} 南浔中学（南浔区）",
        "why": zh("not in the area applied to"),
    }
    assert refused in body
    assert zh("a filed lease in force or a home in %(area)s") % {"area": "吴兴区"} in body
    for leak in ("lease_filing", "not_in_area", "330502", "True", "None", "[{"):
        assert leak not in _conditions_html(body), leak


def _conditions_html(body: str) -> str:
    start = body.index('data-testid="conditions"')
    return body[start : body.index("</ul>", start)]


def test_a_decision_recorded_before_issue_11_still_reads_in_words():
    checks = {
        "clause": "R3.2",
        "eligible": True,
        "checks": [
            {"name": "registration_months", "value": 7, "required": 6, "ok": True},
            {"name": "stable_residence", "value": True, "required": True, "ok": True},
            {"name": "stable_employment", "value": False, "required": True, "ok": False},
            {"name": "continuous_schooling", "value": False, "required": True, "ok": False},
        ],
    }
    html = Template('{% include "permits/partials/conditions.html" %}').render(Context({"checks": checks}))
    assert "True" not in html and "False" not in html and zh("Yes") in html


# --- the intake form, as a counter officer uses it ------------------------------------------------


def post_intake(client, holder, **details):  # type: ignore[no-untyped-def]
    data = {
        "category": "stable_employment",
        "applicant_id_number": holder.id_number,
        "details-area": Area.objects.get(code="330502").pk,
    }
    data.update({f"details-{name}": value for name, value in details.items()})
    return client.post("/cases/new/permit_application/", data)


@pytest.mark.parametrize(
    ("details", "field", "message"),
    [
        (
            {"employer": "吴兴某某有限公司", "employment_evidence": "labour_contract"},
            "employer_area",
            "Choose the county-level area where the employer or business is.",
        ),
        (
            {"employer": "吴兴某某有限公司", "employer_area": "AREA"},
            "employment_evidence",
            "Choose the proof of employment: labour contract or business licence.",
        ),
        ({"school": "湖州中学"}, "school_area", "Choose the county-level area of the school."),
        (
            {"home_certificate": "浙(2020)湖州市不动产权第1号"},
            "home_town",
            "Choose the town or sub-district of the home.",
        ),
        (
            {"lease_filing_number": "HZZL-NOT-RECORDED"},
            None,
            "No lease filing with this number is recorded for the applicant.",
        ),
    ],
)
def test_incomplete_evidence_is_refused_clearly_and_nothing_is_written(staff, holder, details, field, message):
    details = {k: (Area.objects.get(code="330502").pk if v == "AREA" else v) for k, v in details.items()}
    response = post_intake(sign_in(Client(), staff.officer), holder, **details)
    assert response.status_code == 200
    assert zh(message) in response.content.decode()
    if field:
        assert field in response.context["details"].errors
    assert not Case.objects.exists() and not PermitApplication.objects.exists()


def test_the_intake_form_groups_the_evidence_in_chinese(staff, holder):
    body = sign_in(Client(), staff.officer).get("/cases/new/permit_application/").content.decode()
    for words in (
        "Legal stable residence",
        "Legal stable employment",
        "Continuous schooling",
        "County-level area of the employer or business",
        "County-level area of the school",
        "Town or sub-district of the home",
        "Real estate certificate number",
    ):
        assert zh(words) in body, words


def test_a_complete_intake_through_the_form_is_checked_against_the_area(staff, registered):
    response = post_intake(
        sign_in(Client(), staff.officer),
        registered,
        employment_evidence="labour_contract",
        employer="吴兴某某有限公司",
        employer_area=Area.objects.get(code="330502").pk,
    )
    assert response.status_code == 302
    case = Case.objects.get(kind="permit_application")
    assert condition(case, "stable_employment")["ok"] is True
