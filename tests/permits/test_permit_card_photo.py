"""The e-permit card shows the holder's photo taken once (一窗通拍, D2): the current one, served
only to those who may see the holder."""

import re

from django.test import Client

from hukou_portal.accounts.roles import Role
from hukou_portal.people.services import person_photo_take
from tests.helpers import make_user, sign_in, zh
from tests.people import photo_files
from tests.permits.factories import issue_permit


def card_photo(page: str) -> str:
    return re.search(r'data-testid="permit-card-photo">(.*?)</figure>', page, re.S).group(1)


def take(officer, person, replacing=None):  # type: ignore[no-untyped-def]
    return person_photo_take(
        actor=officer,
        person_id=person.pk,
        upload=photo_files.upload(photo_files.jpeg((800, 1000))),
        source="upload",
        replacing=replacing,
    )


def test_the_card_shows_the_holders_current_photo(staff, holder):
    permit = issue_permit(staff.officer, staff.supervisor, holder)
    client = sign_in(Client(), staff.officer)
    assert zh("No photo yet") in card_photo(client.get(f"/permits/{permit.pk}/card/").content.decode())

    first = take(staff.officer, holder)
    photo = card_photo(client.get(f"/permits/{permit.pk}/card/").content.decode())
    assert f'src="/people/{holder.pk}/photos/{first.pk}.jpg"' in photo and zh("No photo yet") not in photo
    served = client.get(f"/people/{holder.pk}/photos/{first.pk}.jpg")
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"

    second = take(staff.officer, holder, replacing=first.pk)
    photo = card_photo(client.get(f"/permits/{permit.pk}/card/").content.decode())
    assert f"/photos/{second.pk}.jpg" in photo and f"/photos/{first.pk}.jpg" not in photo


def test_another_office_sees_neither_the_card_nor_the_photo(staff, holder, offices):
    permit = issue_permit(staff.officer, staff.supervisor, holder)
    photo = take(staff.officer, holder)
    outsider = sign_in(Client(), make_user(offices.nanxun_station, Role.COUNTER_OFFICER, username="nanxun"))
    assert outsider.get(f"/permits/{permit.pk}/card/").status_code == 404
    assert outsider.get(f"/people/{holder.pk}/photos/{photo.pk}.jpg").status_code == 404


def test_the_public_verification_page_shows_no_photo(staff, holder):
    permit = issue_permit(staff.officer, staff.supervisor, holder)
    photo = take(staff.officer, holder)
    page = Client().get(f"/verify/{permit.token}").content.decode()
    assert "/photos/" not in page and f"{photo.pk}.jpg" not in page
