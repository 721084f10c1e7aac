"""Issue 11, "Wrong reminders": N2 only where S1.2 could be met, and to the office of the rental home.

S1.2: 「租赁城镇私有住房在建设部门办理房屋租赁登记备案满六个月…可以在租赁住房所在地社区公共集体户内落户」 —
private housing, in an urban town, a lease that is filed (and still running) for six months. N2
tells the tenant and 「the office of the rental home」 (RULES.md, Reminders): the police station
whose jurisdiction holds the lease's town."""

import datetime as dt

import time_machine
from django.test import Client

from hukou_portal.accounts.roles import Role
from hukou_portal.accounts.services import office_update
from hukou_portal.notifications.models import Notification
from hukou_portal.notifications.services import sweep
from hukou_portal.people.models import Town
from tests.helpers import make_user, sign_in
from tests.notifications.conftest import at
from tests.notifications.test_sweep_parameters import filing, tenant

D = dt.date
FILED = D(2026, 3, 5)  # six months: 2026-09-05


def town(area: str, name: str) -> Town:
    return Town.objects.get(area__code=area, name=name)


def n2_rows(channel: str) -> set[tuple[int, str]]:
    return set(Notification.objects.filter(kind="N2", channel=channel).values_list("subject_id", "recipient"))


def test_n2_only_for_a_running_private_lease_in_an_urban_town(world):
    """The case that showed it: public housing, a township (道场乡, not urban) and a lease that
    ended before its six months all got 「可按规定申请落户（S1.2）」."""
    offices, officer = world
    with time_machine.travel(at(D(2026, 9, 1)), tick=False):
        leases = {
            "private_urban": filing(officer, tenant(offices.yuehe, 800), FILED, "HZZL2026-0800"),
            "public_housing": filing(officer, tenant(offices.yuehe, 801), FILED, "HZZL2026-0801", housing="public"),
            "not_urban": filing(officer, tenant(offices.yuehe, 802), FILED, "HZZL2026-0802", town("330502", "道场乡")),
            "ended_before": filing(
                officer, tenant(offices.yuehe, 803), FILED, "HZZL2026-0803", term_end=D(2026, 8, 31)
            ),
            # The term's last day is the milestone day: the lease still holds then.
            "ends_that_day": filing(
                officer, tenant(offices.yuehe, 804), FILED, "HZZL2026-0804", term_end=D(2026, 9, 5)
            ),
            "starts_later": filing(
                officer,
                tenant(offices.yuehe, 805),
                FILED,
                "HZZL2026-0805",
                term_start=D(2026, 10, 1),
                term_end=D(2027, 10, 1),
            ),
        }
        worklist = sign_in(Client(), officer).get("/reminders/worklist/").context["filings"]
        sweep(as_of=D(2026, 8, 31))
    with time_machine.travel(at(D(2026, 9, 10)), tick=False):
        sweep(as_of=D(2026, 9, 10))
    told = {subject for subject, _recipient in n2_rows("sms")}
    assert told == {leases["private_urban"].pk, leases["ends_that_day"].pk}
    assert {subject for subject, _recipient in n2_rows("inbox")} == told  # nor is the office told of the others
    assert {f.pk for f, _day in worklist} == told  # the worklist says the same beforehand


def test_a_town_made_urban_before_the_milestone_is_told(world):
    """The town's flag as it stands when the milestone comes, not when the lease was recorded."""
    from hukou_portal.people.services import town_set_urban

    offices, officer = world
    city_admin = make_user(offices.city, Role.ADMINISTRATOR, username="city_admin")
    township = town("330502", "道场乡")
    with time_machine.travel(at(D(2026, 9, 1)), tick=False):
        lease = filing(officer, tenant(offices.yuehe, 810), FILED, "HZZL2026-0810", township)
        assert lease.is_urban is False
        town_set_urban(actor=city_admin, town_id=township.pk, is_urban=True, reason="撤乡设街道")
        sweep(as_of=D(2026, 9, 5))
    assert {subject for subject, _recipient in n2_rows("sms")} == {lease.pk}


def test_n2_goes_to_the_station_of_the_rental_home_not_the_office_that_recorded_it(world):
    """The case that showed it: a filing recorded at 南浔派出所 (全域就近办) for a home in 月河街道
    told 南浔's officers; 月河派出所, whose jurisdiction holds 月河街道, heard nothing."""
    offices, yuehe_officer = world
    nanxun_officer = make_user(offices.nanxun_station, Role.COUNTER_OFFICER, username="nanxun_officer")
    yuehe_supervisor = make_user(offices.yuehe, Role.SUPERVISOR, username="yuehe_supervisor")
    with time_machine.travel(at(D(2026, 9, 1)), tick=False):
        lease = filing(nanxun_officer, tenant(offices.nanxun_station, 820), FILED, "HZZL2026-0820")
        sweep(as_of=D(2026, 9, 5))
    assert n2_rows("inbox") == {(lease.pk, f"user:{yuehe_officer.pk}"), (lease.pk, f"user:{yuehe_supervisor.pk}")}
    sms = Notification.objects.get(kind="N2", channel="sms")
    assert "月河派出所" in sms.message and "南浔" not in sms.message  # 详询 the rental home's station


def test_a_town_without_a_station_is_answered_for_by_its_county_bureau(world):
    """织里镇 has no station yet: the county-level bureau of 吴兴 is told; once an administrator
    names 织里派出所, the next filing there goes to it; a closed station falls back again."""
    offices, officer = world
    city_admin = make_user(offices.city, Role.ADMINISTRATOR, username="city_admin")
    bureau_supervisor = make_user(offices.wuxing, Role.SUPERVISOR, username="wuxing_supervisor")
    zhili_officer = make_user(offices.zhili, Role.COUNTER_OFFICER, username="zhili_officer")
    zhili = town("330502", "织里镇")
    with time_machine.travel(at(D(2026, 9, 1)), tick=False):
        first = filing(officer, tenant(offices.yuehe, 830), FILED, "HZZL2026-0830", zhili)
        second = filing(officer, tenant(offices.yuehe, 831), D(2026, 3, 10), "HZZL2026-0831", zhili)
        third = filing(officer, tenant(offices.yuehe, 832), D(2026, 3, 15), "HZZL2026-0832", zhili)
        sweep(as_of=D(2026, 9, 5))
        client = sign_in(Client(), city_admin)
        response = client.post(
            f"/people/towns/{zhili.pk}/", {"is_urban": "on", "station": offices.zhili.pk, "reason": "辖区划定"}
        )
        assert response.status_code == 302
        sweep(as_of=D(2026, 9, 10))
        office_update(
            actor=city_admin, office_id=offices.zhili.pk, name="织里派出所", area_code="330502", is_active=False
        )
        sweep(as_of=D(2026, 9, 15))
    assert n2_rows("inbox") == {
        (first.pk, f"user:{bureau_supervisor.pk}"),
        (second.pk, f"user:{zhili_officer.pk}"),
        (third.pk, f"user:{bureau_supervisor.pk}"),
    }
    assert "吴兴分局" in Notification.objects.get(kind="N2", channel="sms", subject_id=first.pk).message
