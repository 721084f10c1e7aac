"""The printable permit card with its 签注 validity, and the permit approve page (issue 9, part 6)."""

import datetime as dt
import re

from django.test import Client

from hukou_portal.accounts.roles import Role
from hukou_portal.rules.selectors import parameters_in_force
from permits import services
from settlement.eligibility import add_months
from tests.helpers import make_user, sign_in, zh
from tests.permits.factories import apply_for_permit, declare, issue_permit

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def card_value(page: str, testid: str) -> str:
    return re.sub(r"<[^>]+>", "", re.search(rf'data-testid="{testid}">(.*?)</', page, re.S).group(1)).strip()


def test_the_card_shows_the_endorsement_validity_from_the_last_endorsement(staff, holder, _now):
    permit = issue_permit(staff.officer, staff.supervisor, holder)
    client = sign_in(Client(), staff.officer)
    page = client.get(f"/permits/{permit.pk}/card/").content.decode()
    interval = parameters_in_force(permit.issued_on)["endorsement_interval_months"]
    assert card_value(page, "permit-valid-until") == chinese_date(add_months(permit.issued_on, interval))
    assert card_value(page, "permit-last-endorsement") == zh("none since issue")

    # Endorsed on time, a month before: the next period runs on from the date the last one ended.
    _now.move_to(dt.datetime(2027, 11, 10, 9, tzinfo=SHANGHAI))
    previous_end = permit.endorsed_until
    services.permit_endorse(actor=staff.officer, permit_id=permit.pk)
    client = sign_in(Client(), staff.officer)
    page = client.get(f"/permits/{permit.pk}/card/").content.decode()
    interval = parameters_in_force(dt.date(2027, 11, 10))["endorsement_interval_months"]
    assert card_value(page, "permit-valid-until") == chinese_date(add_months(previous_end, interval))
    assert card_value(page, "permit-last-endorsement") == "2027年11月10日"
    assert zh("Endorsement valid until") in page

    # The QR code and its verification address stay on the card, in the document frame.
    assert f"/permits/{permit.pk}/qr.svg" in page
    assert f"/verify/{permit.token}" in card_value(page, "permit-verify-url")
    assert 'data-testid="document-seal"' in page and 'data-testid="print-button"' in page
    assert "湖州市公安局吴兴分局月河派出所" in page


def test_a_lapsed_permit_says_so_on_the_card(staff, holder, _now):
    permit = issue_permit(staff.officer, staff.supervisor, holder)
    _now.move_to(dt.datetime(2028, 1, 5, 9, tzinfo=SHANGHAI))
    page = sign_in(Client(), staff.officer).get(f"/permits/{permit.pk}/card/").content.decode()
    assert card_value(page, "permit-card-state") == zh("Lapsed: endorsement overdue")
    assert card_value(page, "permit-valid-until") == chinese_date(permit.endorsed_until)


def test_another_office_gets_404_on_the_card(staff, holder, offices):
    permit = issue_permit(staff.officer, staff.supervisor, holder)
    outsider = sign_in(Client(), make_user(offices.zhili, Role.COUNTER_OFFICER, username="outsider"))
    assert outsider.get(f"/permits/{permit.pk}/card/").status_code == 404


def test_the_permit_approve_page_shows_the_conditions_the_verdicts_and_its_own_label(staff, holder):
    declare(staff.officer, holder, accepted_on=dt.date(2026, 6, 2))  # five months: R3.2 not met
    case = apply_for_permit(staff.officer, staff.supervisor, holder)
    supervisor = sign_in(Client(), staff.supervisor)
    page = supervisor.get(f"/cases/{case.pk}/actions/approve/").content.decode()
    check = page[page.index('data-testid="decision-check"') : page.index('data-testid="decision-documents"')]
    assert 'data-testid="conditions"' in check and 'data-testid="conditions-not-met"' in check
    rows = re.findall(r'data-testid="decision-document">(.*?)</tr>', page, re.S)
    labels = [str(r.label) for r in case.kind_spec.required_documents(case.category)]
    assert len(rows) == len(labels)
    assert all(label in row and zh("Accepted", "document") in row for row, label in zip(rows, labels, strict=True))
    label = zh("Justification (required when approving although the permit conditions are not met)")
    assert label in page
    assert zh("Justification (required when approving against the pre-check)") not in page  # not settlement's
    assert "落户" not in re.search(r'<label[^>]*for="id_justification"[^>]*>(.*?)</label>', page, re.S).group(1)
