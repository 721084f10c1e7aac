"""The audit trail as a list: filtered by case number (full or tail), office, actor; scoped."""

from django.test import Client

from hukou_portal.accounts.roles import Role
from hukou_portal.audit.services import record
from hukou_portal.casework.models import Case
from tests.core import list_data
from tests.helpers import make_user, sign_in


def _pks(response) -> list[int]:  # type: ignore[no-untyped-def]
    return [row.pk for row in response.context["page"]]


def test_filter_by_case_number_tail_and_office(staff, offices):
    list_data.populate(offices.yuehe, staff.officer, 3)
    case = Case.objects.order_by("pk").first()
    event = record(action="case.note_added", actor=staff.officer, case=case, target=case)
    auditor = sign_in(Client(), staff.auditor)
    assert _pks(auditor.get("/audit/", {"case": case.reference[-6:]})) == [event.pk]
    assert _pks(auditor.get("/audit/", {"case": case.reference})) == [event.pk]
    by_office = auditor.get("/audit/", {"office": offices.yuehe.pk, "action": "case.note_added"})
    assert _pks(by_office) == [event.pk]
    body = auditor.get("/audit/").content.decode()
    assert 'class="text-nowrap">月河派出所' in body  # the office column never wraps per character


def test_another_stations_auditor_sees_none_of_it(staff, offices):
    list_data.populate(offices.yuehe, staff.officer, 3)
    outsider = sign_in(Client(), make_user(offices.zhili, Role.AUDITOR, username="zhili_auditor"))
    assert _pks(outsider.get("/audit/", {"action": "person.viewed"})) == []
