"""bootstrap_offices: the first system administrator and the first security administrator,
two different accounts, each with the one role; idempotent."""

import pytest
from django.core.management import CommandError, call_command

from hukou_portal.accounts.models import Office, User
from hukou_portal.accounts.roles import Role
from tests.helpers import TEST_PASSWORD

ARGS = [
    "--admin-username",
    "zhangsan",
    "--admin-name",
    "张三",
    "--security-username",
    "lisi",
    "--security-name",
    "李四",
]


def run(*args: str) -> None:
    call_command("bootstrap_offices", *args, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_creates_both_administrators_once(db, monkeypatch):
    monkeypatch.setenv("HUKOU_ADMIN_PASSWORD", TEST_PASSWORD)
    monkeypatch.setenv("HUKOU_SECURITY_PASSWORD", "Another-Password-2026")
    run(*ARGS)
    run(*ARGS)
    city = Office.objects.get(level=Office.Level.CITY)
    assert User.objects.get(username="zhangsan").roles == {Role.ADMINISTRATOR}
    assert User.objects.get(username="lisi").roles == {Role.SECURITY_ADMINISTRATOR}
    assert User.objects.get(username="lisi").office == city
    assert User.objects.count() == 2


def test_one_person_cannot_be_both(db, monkeypatch):
    monkeypatch.setenv("HUKOU_ADMIN_PASSWORD", TEST_PASSWORD)
    monkeypatch.setenv("HUKOU_SECURITY_PASSWORD", TEST_PASSWORD)
    with pytest.raises(CommandError, match="two different accounts"):
        run(
            "--admin-username",
            "zhangsan",
            "--admin-name",
            "张三",
            "--security-username",
            "ZhangSan",
            "--security-name",
            "张三",
        )
    assert not User.objects.exists()


def test_a_weak_password_writes_nothing(db, monkeypatch):
    monkeypatch.setenv("HUKOU_ADMIN_PASSWORD", TEST_PASSWORD)
    monkeypatch.setenv("HUKOU_SECURITY_PASSWORD", "12345678")
    with pytest.raises(CommandError, match="lisi"):
        run(*ARGS)
    assert not User.objects.exists()


def test_accounts_from_before_the_rules_are_listed(offices):
    """An officer made an auditor before the rules tightened is found after the upgrade."""
    from io import StringIO

    from django.contrib.auth.models import Group

    from tests.helpers import make_user

    make_user(offices.yuehe, Role.COUNTER_OFFICER, username="fine")
    both = make_user(offices.yuehe, Role.COUNTER_OFFICER, username="both")
    both.groups.add(Group.objects.get(name=Role.AUDITOR))  # as an older version allowed
    out = StringIO()
    with pytest.raises(CommandError, match="1 account"):
        call_command("check_separation_of_duties", stdout=out)
    assert out.getvalue().startswith("both\t月河派出所\tauditor,counter_officer\t")
    both.groups.remove(Group.objects.get(name=Role.AUDITOR))
    call_command("check_separation_of_duties", stdout=StringIO())
