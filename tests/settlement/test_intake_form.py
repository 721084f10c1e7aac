"""The settlement intake form: only the chosen category's facts are shown and checked, the
fragment htmx swaps in when the category changes keeps what was typed, the applicant's records
fill the facts in, and a category's missing fact is a clear Chinese error with nothing written."""

import datetime as dt
from html.parser import HTMLParser

import pytest
import time_machine
from django.test import Client

from hukou_portal.accounts.roles import Role
from hukou_portal.audit.models import AuditEvent
from hukou_portal.casework.models import Case
from hukou_portal.people.models import Town
from hukou_portal.people.services import person_create
from registration import services as registration_services
from settlement.models import SettlementApplication
from tests.helpers import make_user, sign_in, valid_id_number, zh
from tests.permits.factories import issue_permit

NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
FRAGMENT = "/settlement/intake/facts/"

# What an officer sees for each category: the fieldsets (data-group) under the shared facts.
GROUPS = {
    "own_home": ["home"],
    "rental": ["lease"],
    "relatives": ["host"],
    "talent": ["talent", "household"],
    "employment": ["employment", "household"],
    "investment": ["investment", "household"],
    "permit": ["permit", "household"],
}


class Page(HTMLParser):
    """The inputs (name → attributes), selected options and fieldset groups of a page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.inputs: dict[str, dict[str, str | None]] = {}
        self.selected: dict[str, str] = {}
        self.groups: list[str] = []
        self._select: str | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "input" and found.get("name"):
            self.inputs[str(found["name"])] = found
        elif tag == "select":
            self._select = found.get("name")
            self.inputs[str(self._select)] = {"type": "select", **found}
        elif tag == "option" and self._select and "selected" in found:
            self.selected[self._select] = str(found.get("value"))
        elif tag == "fieldset" and found.get("data-group"):
            self.groups.append(str(found["data-group"]))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None

    def kind(self, name: str) -> str | None:
        field = self.inputs.get(f"details-{name}")
        return None if field is None else field.get("type")

    def value(self, name: str) -> str | None:
        return self.inputs[f"details-{name}"].get("value")

    def submission(self) -> dict[str, str]:
        """What the browser posts from these inputs (a checkbox only when checked)."""
        sent = {}
        for name, field in self.inputs.items():
            if field.get("type") == "checkbox":
                if "checked" in field:
                    sent[name] = "on"
            elif field.get("type") != "select":
                sent[name] = str(field.get("value") or "")
        return {**sent, **self.selected}


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def town(db):
    return Town.objects.get(area__code="330502", name="月河街道")


@pytest.fixture
def applicant(staff):
    return person_create(actor=staff.officer, id_number=valid_id_number(birth_date=dt.date(1988, 3, 2)), name="王小明")


def shared(applicant, town, category: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """The applicant, the shared facts and an empty family: nothing of any category."""
    return {
        "category": category,
        "applicant_id_number": applicant.id_number,
        "details-town": str(town.pk),
        "details-address": "红旗路 8 号",
        "details-community": "红旗社区",
        "details-marital_status": "married",
        "details-family-TOTAL_FORMS": "0",
        "details-family-INITIAL_FORMS": "0",
    }


@pytest.mark.parametrize("category", sorted(GROUPS))
def test_the_fragment_shows_only_the_chosen_category(officer_client, applicant, town, category):
    response = officer_client.post(FRAGMENT, shared(applicant, town, category))
    assert response.status_code == 200
    page = Page(response.content.decode())
    assert page.groups == GROUPS[category]
    # Every fact still travels with the form, the other categories' as hidden inputs.
    assert page.kind("lease_filed_on") == ("date" if category == "rental" else "hidden")
    assert page.kind("permit_issued_on") == ("date" if category == "permit" else "hidden")
    assert page.kind("education_level") == ("select" if category == "talent" else "hidden")
    assert page.kind("host_relation") == ("select" if category == "relatives" else "hidden")
    # An unfinished form is not scolded while the officer is still choosing.
    assert "invalid-feedback" not in response.content.decode()
    assert response.headers["HX-Trigger-After-Settle"] == '{"settlement-intake-changed": {}}'


def test_the_page_starts_with_the_category_asked_for(officer_client):
    page = Page(officer_client.get("/cases/new/settlement/", {"category": "talent"}).content.decode())
    assert page.groups == ["talent", "household"]
    assert page.selected["category"] == "talent"
    # Without one, the select's first category (S1.1).
    assert Page(officer_client.get("/cases/new/settlement/").content.decode()).groups == ["home"]


def test_values_survive_switching_the_category_there_and_back(officer_client, applicant, town):
    typed = {
        **shared(applicant, town, "talent"),
        # what the officer typed while the category was S1.2, now carried
        "details-lease_private_housing": "on",
        "details-lease_town": str(town.pk),
        "details-lease_filed_on": "2026-01-10",
        "details-education_level": "bachelor",
    }
    as_talent = Page(officer_client.post(FRAGMENT, typed).content.decode())
    assert as_talent.kind("lease_filed_on") == "hidden" and as_talent.value("lease_filed_on") == "2026-01-10"
    assert as_talent.value("lease_private_housing") == "on"
    assert as_talent.selected["details-education_level"] == "bachelor"

    # The browser posts the hidden inputs back with the category switched to S1.2.
    carried = {**as_talent.submission(), **shared(applicant, town, "rental")}
    as_rental = Page(officer_client.post(FRAGMENT, carried).content.decode())
    assert as_rental.kind("lease_filed_on") == "date" and as_rental.value("lease_filed_on") == "2026-01-10"
    assert "checked" in as_rental.inputs["details-lease_private_housing"]
    assert as_rental.selected["details-lease_town"] == str(town.pk)
    assert as_rental.value("education_level") == "bachelor"  # now carried in its turn


def test_a_case_needs_only_its_category_facts_and_keeps_no_others(officer_client, applicant, town):
    data = {
        **shared(applicant, town, "rental"),
        "details-lease_private_housing": "on",
        "details-lease_town": str(town.pk),
        "details-lease_filed_on": "2026-01-10",
        # facts of other categories, left behind when the officer switched: neither checked nor kept
        "details-permit_issued_on": "2030-01-01",
        "details-qualification_kind": "skill",
    }
    response = officer_client.post("/cases/new/settlement/", data)
    assert response.status_code == 302, Page(response.content.decode()).groups
    facts = SettlementApplication.objects.get().facts["person"]
    assert facts["lease"]["filed_on"] == "2026-01-10"
    assert "permits" not in facts and "qualifications" not in facts and "host" not in facts
    assert facts["education"] == {"level": "none", "full_time": False}


@pytest.mark.parametrize(
    ("category", "missing", "message"),
    [
        ("rental", {"details-lease_town": "", "details-lease_filed_on": ""}, "Enter the date the lease was filed."),
        ("permit", {"details-permit_issuer_area": "330502"}, "Enter the date the permit was issued."),
        ("relatives", {"details-host_area": "330502"}, "Choose what the applicant is to the host."),
        ("own_home", {"details-home_holder": "self"}, "Choose the town of the home."),
        ("employment", {"details-employment_area": "330502"}, "Enter the months of social insurance paid in Huzhou."),
        ("investment", {"details-investment_area": "330502"}, "Choose the kind of investment."),
    ],
)
def test_a_missing_fact_of_the_category_is_refused_in_chinese(
    officer_client, applicant, town, category, missing, message
):
    events = AuditEvent.objects.count()
    response = officer_client.post("/cases/new/settlement/", {**shared(applicant, town, category), **missing})
    assert response.status_code == 200
    assert zh(message) in response.content.decode()
    assert not Case.objects.exists() and not SettlementApplication.objects.exists()
    assert AuditEvent.objects.count() == events


def test_the_precheck_names_what_the_category_still_needs(officer_client, applicant, town):
    body = officer_client.post("/settlement/precheck/", shared(applicant, town, "permit")).content.decode()
    assert zh("Still missing for the pre-check") in body
    assert zh("Residence permit issued on") in body
    assert zh("Lease filed on (租赁登记备案)") not in body


def _record_lease(staff, applicant, town, filed_on: dt.date) -> None:  # type: ignore[no-untyped-def]
    registration_services.lease_filing_record(
        actor=staff.officer,
        filing_number="HZZL-INTAKE-1",
        filed_on=filed_on,
        town=town,
        address="红旗路 3 号",
        housing="private",
        landlord="房东",
        tenant=applicant,
        term_start=filed_on,
        term_end=filed_on.replace(year=filed_on.year + 1),
    )


def test_loading_the_records_fills_the_facts_in_iso_under_chinese(officer_client, staff, applicant, town):
    _record_lease(staff, applicant, town, dt.date(2026, 5, 19))
    with time_machine.travel(dt.datetime(2026, 5, 24, 10, 0, tzinfo=NOW.tzinfo), tick=False):
        permit = issue_permit(staff.officer, staff.supervisor, applicant)
    assert permit.issued_on == dt.date(2026, 5, 24)
    response = officer_client.post(
        FRAGMENT, {**shared(applicant, town, "rental"), "load_records": "1"}, HTTP_ACCEPT_LANGUAGE="zh-CN"
    )
    page = Page(response.content.decode())
    assert 'data-testid="prefilled"' in response.content.decode()
    assert page.kind("lease_filed_on") == "date" and page.value("lease_filed_on") == "2026-05-19"
    assert "checked" in page.inputs["details-lease_private_housing"]
    assert page.selected["details-lease_town"] == str(town.pk)
    # The permit is carried for S5.1, in the form a date input takes back.
    assert page.kind("permit_issued_on") == "hidden" and page.value("permit_issued_on") == "2026-05-24"
    assert page.value("permit_issuer_area") == "330502" and page.value("permit_valid") == "on"


def test_the_page_opened_for_an_applicant_shows_iso_dates_under_chinese(officer_client, staff, applicant, town):
    """?applicant=: the records arrive as dates, which zh-hans would write 2026/05/19."""
    _record_lease(staff, applicant, town, dt.date(2026, 5, 19))
    with time_machine.travel(dt.datetime(2026, 5, 24, 10, 0, tzinfo=NOW.tzinfo), tick=False):
        issue_permit(staff.officer, staff.supervisor, applicant)
    for category, shown, carried in (
        ("rental", "lease_filed_on", "permit_issued_on"),
        ("permit", "permit_issued_on", "lease_filed_on"),
    ):
        response = officer_client.post(
            "/cases/new/settlement/applicant/",
            {"applicant": applicant.id_number, "category": category},
            HTTP_ACCEPT_LANGUAGE="zh-CN",
            follow=True,
        )
        assert response.headers["Content-Language"] == "zh-hans"
        page = Page(response.content.decode())
        assert page.kind(shown) == "date" and page.kind(carried) == "hidden"
        assert page.value("lease_filed_on") == "2026-05-19"
        assert page.value("permit_issued_on") == "2026-05-24"


def test_the_records_reach_the_precheck_as_months(officer_client, staff, applicant, town):
    """The regression of issue 9: a pre-filled date the browser kept counts its months."""
    with time_machine.travel(dt.datetime(2026, 5, 24, 10, 0, tzinfo=NOW.tzinfo), tick=False):
        issue_permit(staff.officer, staff.supervisor, applicant)
    loaded = Page(
        officer_client.post(FRAGMENT, {**shared(applicant, town, "permit"), "load_records": "1"}).content.decode()
    )
    sent = {**shared(applicant, town, "permit"), **loaded.submission()}
    body = officer_client.post("/settlement/precheck/", sent).content.decode()
    assert "S5.1" in body
    # 2026-05-24 to 2026-12-01: six months held, six required
    assert '持有居住证时长：6个月<span class="text-muted">（要求：满6个月）' in body


def test_records_of_a_person_recorded_elsewhere_load_and_the_lookup_is_accounted(staff, applicant, town, offices):
    """全域就近办: 织里 takes the settlement of a person 月河 recorded. Loading their records is a
    lookup for business in the city register, written to the audit trail (D3)."""
    from hukou_portal.audit.models import AuditEvent

    _record_lease(staff, applicant, town, dt.date(2026, 5, 19))
    zhili_officer = make_user(offices.zhili, Role.COUNTER_OFFICER, username="outsider")
    outsider = sign_in(Client(), zhili_officer)
    response = outsider.post(FRAGMENT, {**shared(applicant, town, "rental"), "load_records": "1"})
    assert response.status_code == 200
    assert 'data-testid="prefilled"' in response.content.decode()
    assert "2026-05-19" in response.content.decode()
    lookup = AuditEvent.objects.get(action="person.lookup")
    assert (lookup.actor, lookup.object_id, lookup.new_values) == (
        zhili_officer,
        str(applicant.pk),
        {"reason": "business", "found": True},
    )


def test_a_number_nobody_holds_loads_nothing_and_says_so(officer_client, applicant, town):
    from hukou_portal.audit.models import AuditEvent

    nobody = valid_id_number(sequence=991)
    response = officer_client.post(
        FRAGMENT, {**shared(applicant, town, "rental"), "applicant_id_number": nobody, "load_records": "1"}
    )
    body = response.content.decode()
    assert 'data-testid="no-records"' in body
    assert zh("Nobody with this citizen ID number is in the city register: record the person first.") in body
    assert AuditEvent.objects.get(action="person.lookup").new_values == {"reason": "business", "found": False}


def test_only_intake_officers_reach_the_fragment(staff, applicant, town):
    auditor = sign_in(Client(), staff.auditor)
    assert auditor.post(FRAGMENT, shared(applicant, town, "rental")).status_code == 403
    assert Client().post(FRAGMENT, shared(applicant, town, "rental")).status_code in (302, 403)


def test_family_labels_read_as_a_person_s_details(officer_client):
    body = officer_client.get("/cases/new/settlement/").content.decode()
    for label in ("Full name", "Citizen ID number", "Relation", "Marital status"):
        assert f">{zh(label)}</th>" in body
    assert ">名称<" not in body
