"""A user's permissions and roles are read once and kept (accounts.authz), yet every change to
them holds from the user's next request: a role taken away by the service, from the group's side,
a role's permissions changed, a move to another office. Written as the requests a user keeps
sending after losing a role."""

from django.contrib.auth.models import Group, Permission
from django.test import Client

from hukou_portal.accounts import services
from hukou_portal.accounts.roles import Role
from tests.helpers import make_user, sign_in

STATS = "/stats/"  # supervisors read the statistics; counter officers do not


def status(client: Client, url: str) -> int:
    return client.get(url).status_code


def update(head, user, *, office, roles) -> None:  # type: ignore[no-untyped-def]
    """``head`` saves ``user``'s account with this office and these roles, through the service."""
    services.user_update(
        actor=head, user_id=user.pk, full_name=user.full_name, email="", office=office, roles=roles, is_active=True
    )


def test_a_role_taken_away_holds_from_the_next_request(staff, offices):
    head = make_user(offices.yuehe, Role.ADMINISTRATOR, username="head_admin")
    client = sign_in(Client(), staff.supervisor)
    assert status(client, STATS) == 200
    assert status(client, STATS) == 200  # now from the cache
    update(head, staff.supervisor, office=offices.yuehe, roles=[Role.COUNTER_OFFICER])
    assert status(client, STATS) == 403


def test_a_role_taken_away_from_the_groups_side_holds_too(staff):
    client = sign_in(Client(), staff.supervisor)
    assert status(client, STATS) == 200
    Group.objects.get(name=Role.SUPERVISOR).user_set.remove(staff.supervisor)
    assert status(client, STATS) == 403


def test_a_roles_permission_taken_away_holds_for_its_holders(staff):
    client = sign_in(Client(), staff.officer)
    assert status(client, "/people/") == 200
    view_person = Permission.objects.get(codename="view_person", content_type__app_label="people")
    Group.objects.get(name=Role.COUNTER_OFFICER).permissions.remove(view_person)
    assert status(client, "/people/") == 403
    # The same, from the permission's side: given back, it holds again.
    view_person.group_set.add(Group.objects.get(name=Role.COUNTER_OFFICER))
    assert status(client, "/people/") == 200


def test_a_move_to_another_office_changes_what_the_user_reads_at_once(staff, offices):
    from hukou_portal.people.models import Person
    from hukou_portal.people.services import person_create
    from tests.helpers import valid_id_number

    person = person_create(actor=staff.officer, id_number=valid_id_number(), name="王五")
    client = sign_in(Client(), staff.officer)
    assert status(client, f"/people/{person.pk}/") == 200
    head = make_user(offices.city, Role.ADMINISTRATOR, username="city_head")
    update(head, staff.officer, office=offices.nanxun_station, roles=[Role.COUNTER_OFFICER])
    assert status(client, f"/people/{person.pk}/") == 404
    assert Person.objects.filter(pk=person.pk).exists()


def test_what_a_user_may_do_costs_no_query_once_read(staff, django_assert_num_queries):
    from hukou_portal.accounts.models import User

    sign_in(Client(), staff.supervisor)  # reads and keeps them
    user = User.objects.get(pk=staff.supervisor.pk)
    with django_assert_num_queries(0):
        assert user.has_perm("casework.change_case")
        assert not user.has_perm("audit.view_auditevent")
        assert user.roles == {Role.SUPERVISOR}
