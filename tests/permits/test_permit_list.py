"""The residence-permit list: search by number or holder, filter, sort, scoped by office."""

from django.test import Client

from hukou_portal.accounts.roles import Role
from permits.models import ResidencePermit
from tests.core import list_data
from tests.helpers import get_with_id_number_refused, make_user, sign_in, zh


def _pks(response) -> list[int]:  # type: ignore[no-untyped-def]
    return [row.pk for row in response.context["page"]]


def test_search_filter_and_sort(officer_client, staff, offices):
    list_data.populate(offices.yuehe, staff.officer, 4)
    permit = ResidencePermit.objects.order_by("pk").first()
    assert _pks(officer_client.get("/permits/", {"q": permit.number.lower()})) == [permit.pk]
    assert _pks(officer_client.get("/permits/", {"q": permit.holder.name})) == [permit.pk]
    ResidencePermit.objects.filter(pk=permit.pk).update(status="cancelled")
    cancelled = officer_client.get("/permits/", {"status": "cancelled"})
    assert _pks(cancelled) == [permit.pk]
    assert zh("Cancelled") in cancelled.content.decode()
    by_endorsement = officer_client.get("/permits/", {"sort": "endorsed"})
    days = [p.endorsed_until for p in by_endorsement.context["page"]]
    assert days == sorted(days)
    number = permit.holder.id_number
    hyphenated = f"{number[:6]}-{number[6:10]}-{number[10:14]}-{number[14:]}"
    refused = get_with_id_number_refused(officer_client, "/permits/", {"q": hyphenated}, number)
    assert len(_pks(refused)) == 4  # the list unfiltered: the number was never used


def test_another_station_sees_no_permit(staff, offices):
    list_data.populate(offices.yuehe, staff.officer, 3)
    outsider = sign_in(Client(), make_user(offices.zhili, Role.COUNTER_OFFICER, username="zhili_officer"))
    response = outsider.get("/permits/")
    assert _pks(response) == []
    assert all(p.number not in response.content.decode() for p in ResidencePermit.objects.all())
