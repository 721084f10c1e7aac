"""Which offices a user may see: their own and every office below, never a sibling or parent."""

import pytest
from django.test import Client

from hukou_portal.accounts.roles import Role
from hukou_portal.accounts.selectors import office_visible_list
from hukou_portal.people.services import person_create
from tests.helpers import make_user, sign_in, valid_id_number, zh

# (user's office, offices they see) over the tree city → {wuxing → {yuehe, zhili}, nanxun → {nanxun_station}}
MATRIX = {
    "city": {"city", "wuxing", "nanxun", "yuehe", "zhili", "nanxun_station"},
    "wuxing": {"wuxing", "yuehe", "zhili"},
    "nanxun": {"nanxun", "nanxun_station"},
    "yuehe": {"yuehe"},
    "zhili": {"zhili"},
    "nanxun_station": {"nanxun_station"},
}


@pytest.mark.parametrize("own", sorted(MATRIX))
def test_visibility_matrix(offices, own):
    user = make_user(getattr(offices, own), Role.COUNTER_OFFICER, username=f"u_{own}")
    visible = set(office_visible_list(user=user).values_list("code", flat=True))
    assert visible == {getattr(offices, name).code for name in MATRIX[own]}


def test_user_without_office_sees_nothing(offices):
    user = make_user(offices.city, Role.COUNTER_OFFICER, username="drifter")
    user.office = None
    assert not office_visible_list(user=user).exists()


def test_inactive_office_sees_nothing(offices):
    user = make_user(offices.yuehe, Role.COUNTER_OFFICER, username="closed")
    offices.yuehe.is_active = False
    offices.yuehe.save(update_fields=["is_active"])
    user.refresh_from_db()
    assert not office_visible_list(user=user).exists()


@pytest.mark.parametrize(
    ("viewer_office", "record_office", "status"),
    [
        ("yuehe", "yuehe", 200),
        ("wuxing", "yuehe", 200),
        ("city", "yuehe", 200),
        ("zhili", "yuehe", 404),  # sibling station
        ("nanxun", "yuehe", 404),  # another county
        ("yuehe", "wuxing", 404),  # parent office
    ],
)
def test_person_page_follows_the_matrix(offices, viewer_office, record_office, status):
    recorder = make_user(getattr(offices, record_office), Role.COUNTER_OFFICER, username="recorder")
    person = person_create(actor=recorder, id_number=valid_id_number(), name="王小明")
    viewer = make_user(getattr(offices, viewer_office), Role.COUNTER_OFFICER, username="viewer")
    response = sign_in(Client(), viewer).get(f"/people/{person.pk}/")
    assert response.status_code == status
    if status == 404:
        assert zh("Not found") in response.content.decode()
        assert person.id_number not in response.content.decode()


@pytest.mark.parametrize(
    ("admin_office", "target_office", "status"),
    [("wuxing", "yuehe", 200), ("wuxing", "nanxun_station", 404), ("yuehe", "wuxing", 404), ("city", "zhili", 200)],
)
def test_office_page_follows_the_matrix(offices, admin_office, target_office, status):
    admin = make_user(getattr(offices, admin_office), Role.ADMINISTRATOR, username="admin_x")
    response = sign_in(Client(), admin).get(f"/accounts/offices/{getattr(offices, target_office).pk}/")
    assert response.status_code == status
