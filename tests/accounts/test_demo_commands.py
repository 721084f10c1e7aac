"""seed_demo builds the demo tree and accounts, twice without harm; demo_otp_code is demo-only."""

import pytest
from django.core.management import CommandError, call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from hukou_portal.accounts.management.commands.seed_demo import CITY_ROLES, DEMO_PASSWORD, STATION_ROLES
from hukou_portal.accounts.models import Office, User
from hukou_portal.accounts.roles import Role
from tests.helpers import make_user


def seed() -> None:
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_seed_demo_builds_offices_and_one_user_per_role_per_station(db):
    seed()
    assert Office.objects.filter(level=Office.Level.CITY).count() == 1
    assert Office.objects.filter(level=Office.Level.COUNTY).count() == 5
    for county in Office.objects.filter(level=Office.Level.COUNTY):
        assert county.children.count() >= 2
    for station in Office.objects.filter(level=Office.Level.STATION):
        roles = sorted(role for user in station.users.all() for role in user.roles)
        assert roles == sorted(STATION_ROLES), station.name
    city = Office.objects.get(level=Office.Level.CITY)
    assert sorted(role for user in city.users.all() for role in user.roles) == sorted(CITY_ROLES)
    # Every role is somewhere in the demo; the one who grants administrative roles is at the city.
    assert set(STATION_ROLES) | set(CITY_ROLES) == set(Role.values)
    assert User.objects.get(username="city_secadmin").roles == {Role.SECURITY_ADMINISTRATOR}
    # Statistics analysts at the city and at one county-level bureau, none at a station.
    assert User.objects.get(username="city_analyst").roles == {Role.STATISTICIAN}
    county_analyst = User.objects.get(username="wuxing_analyst")
    assert (county_analyst.office.code, county_analyst.roles) == ("330502", {Role.STATISTICIAN})
    assert county_analyst.is_demo and county_analyst.check_password(DEMO_PASSWORD)
    assert not User.objects.filter(groups__name=Role.STATISTICIAN, office__level=Office.Level.STATION).exists()
    user = User.objects.get(username="yuehe_officer")
    assert user.is_demo and user.check_password(DEMO_PASSWORD)


def test_seed_demo_twice_changes_nothing(db):
    seed()
    counts = (Office.objects.count(), User.objects.count(), TOTPDevice.objects.count())
    seed()
    assert (Office.objects.count(), User.objects.count(), TOTPDevice.objects.count()) == counts


def test_every_demo_account_comes_enrolled_with_no_tolerance(db, capsys):
    seed()
    demo_users = User.objects.filter(is_demo=True)
    assert demo_users.count() > 40
    for user in demo_users:
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        assert device.tolerance == 0, user.username
    call_command("demo_otp_code", "yuehe_officer")
    code = capsys.readouterr().out.strip()
    device = TOTPDevice.objects.get(user__username="yuehe_officer")
    assert len(code) == 6 and code.isdigit()
    assert device.verify_token(code)


def test_demo_otp_code_refuses_accounts_seed_demo_did_not_create(offices):
    real = make_user(offices.yuehe, Role.SUPERVISOR, username="real_supervisor")
    TOTPDevice.objects.create(user=real, name="phone", confirmed=True)
    with pytest.raises(CommandError, match="not a demo account"):
        call_command("demo_otp_code", "real_supervisor")


def test_demo_commands_refuse_where_demo_data_are_not_allowed(db, settings):
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="not allowed"):
        call_command("seed_demo")
    with pytest.raises(CommandError, match="not allowed"):
        call_command("demo_otp_code", "yuehe_supervisor")
    assert not User.objects.exists()


def test_seed_demo_builds_cases_with_real_histories(db, capsys):
    from hukou_portal.audit.services import verify_chain
    from hukou_portal.casework.demo import DEMO_PATHS
    from hukou_portal.casework.models import Case

    seed()
    statuses = sorted(Case.objects.filter(kind="residence_declaration").values_list("status", flat=True))
    assert statuses == sorted(DEMO_PATHS)
    assert Case.objects.get(kind="settlement", status="pending_approval").applicant.name == "李华"
    assert set(Case.objects.values_list("status", flat=True)) >= {
        "draft", "submitted", "in_review", "supplement_requested", "pending_approval",
        "approved", "rejected", "completed", "withdrawn",
    }  # fmt: skip
    for case in Case.objects.all():
        assert case.audit_events.filter(action="case.created").count() == 1
    _checked, bad, _why = verify_chain()
    assert bad is None


def test_seed_demo_gives_each_station_its_town_and_keeps_an_administrators_choice(db):
    from hukou_portal.people.models import Town

    seed()
    stations = dict(Town.objects.filter(station__isnull=False).values_list("name", "station__name"))
    assert stations["月河街道"] == "月河派出所" and stations["织里镇"] == "织里派出所"
    assert len(stations) == Office.objects.filter(level=Office.Level.STATION).count() == 10
    # An administrator moved 织里镇 to 月河派出所: a second seed leaves it there.
    Town.objects.filter(name="织里镇").update(station=Office.objects.get(code="33050201"))
    seed()
    assert Town.objects.get(name="织里镇").station.code == "33050201"


def test_seed_demo_leaves_households_to_open(db):
    from hukou_portal.people.models import Household, HouseholdMember, MoveInPermit

    seed()
    family = Household.objects.get(type="family")
    assert family.head.name == "赵敏" and family.office.code == "33050201"
    assert sorted(HouseholdMember.objects.filter(household=family).values_list("relation", flat=True)) == [
        "daughter",
        "head",
        "spouse",
    ]
    community = Household.objects.get(type="community_collective", unit_name="红旗社区")
    assert community.members.count() == 2  # two settlements, one household
    permit = MoveInPermit.objects.get()
    assert permit.household.unit_name == "飞英社区" and not permit.household.members.exists()
    seed()  # a second run adds nothing
    assert Household.objects.count() == 3
