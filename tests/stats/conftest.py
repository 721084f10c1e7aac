"""The hand-counted fixtures of the statistics tests: supervisors at four levels, and the rows of
月河, 织里 and 南浔 around the end of March 2025 (cases, permits, settlements)."""

import datetime as dt

import pytest

from hukou_portal.accounts.roles import Role
from hukou_portal.casework.models import Decision
from hukou_portal.people.models import HouseholdMember, HouseholdType, JoinReason, Town
from permits.models import ResidencePermit
from tests.core.list_data import people
from tests.helpers import make_user

# The office tree and 月河's officer of the reminder tests, shared with the pipeline's tests.
from tests.notifications.conftest import world  # noqa: F401

from .data import (
    APRIL_1,
    MARCH_31,
    at,
    endorse,
    make_case,
    make_household,
    make_permit,
    make_registration,
    register_locally,
    settle,
)


@pytest.fixture
def users(offices):
    return {
        "yuehe": make_user(offices.yuehe, Role.SUPERVISOR, username="yuehe_sup"),
        "wuxing": make_user(offices.wuxing, Role.SUPERVISOR, username="wuxing_sup"),
        "nanxun": make_user(offices.nanxun_station, Role.SUPERVISOR, username="nanxun_sup"),
        "city": make_user(offices.city, Role.SUPERVISOR, username="city_sup"),
    }


@pytest.fixture
def march_data(offices):
    """Hand-counted rows around the end of March 2025 at 月河 (wuxing), 织里 (wuxing) and 南浔."""
    yuehe_town = Town.objects.get(area__code="330502", name="月河街道")
    # 月河, March: 4 received (one on 31 March; one decided in April, below), 2 decided (approved
    # in time at 23:30 on 31 March Beijing time = 15:30 UTC; rejected after its deadline).
    # Completed (办结): the approved one at 23:45 on 31 March (March's), the rejected one at 00:10 on
    # 1 April (April's). 补正: the approved one was asked for documents once, the rejected never.
    approved = make_case(
        offices.yuehe,
        accepted_on=dt.date(2025, 3, 24),  # Monday
        decided_at=at(MARCH_31, 23, 30),
        decision=Decision.APPROVED,
        deadline=dt.date(2025, 4, 10),
        completed_at=at(MARCH_31, 23, 45),
        supplement_requests=1,
    )
    rejected = make_case(
        offices.yuehe,
        accepted_on=dt.date(2025, 3, 3),
        decided_at=at(dt.date(2025, 3, 20), 9),
        decision=Decision.REJECTED,
        deadline=dt.date(2025, 3, 17),
        kind="residence_change",
        category="moved",
        completed_at=at(APRIL_1, 0, 10),
    )
    make_case(offices.yuehe, accepted_on=MARCH_31)
    # 月河, April: decided at 00:10 on 1 April Beijing time (16:10 UTC on 31 March): April's.
    april = make_case(
        offices.yuehe,
        accepted_on=dt.date(2025, 3, 28),
        decided_at=at(APRIL_1, 0, 10),
        decision=Decision.APPROVED,
        deadline=dt.date(2025, 4, 30),
        supplement_requests=2,
    )
    # 织里 (also under 吴兴): one received in March.
    zhili = make_case(offices.zhili, accepted_on=dt.date(2025, 3, 10))
    # 南浔: a decided case and a permit in March that no 吴兴 user may ever count.
    nanxun = make_case(
        offices.nanxun_station,
        accepted_on=dt.date(2025, 3, 3),
        decided_at=at(dt.date(2025, 3, 5), 10),
        decision=Decision.APPROVED,
        deadline=dt.date(2025, 3, 31),
        completed_at=at(dt.date(2025, 3, 6), 9),
        supplement_requests=1,
    )
    make_permit(offices.nanxun_station, issued_on=MARCH_31)
    # Registrations: 月河 opened two in March (one ended on 31 March), 南浔 one.
    make_registration(approved, yuehe_town, started_on=dt.date(2025, 3, 2), ended_on=MARCH_31)
    make_registration(rejected, yuehe_town, started_on=MARCH_31)
    make_registration(april, yuehe_town, started_on=APRIL_1)
    make_registration(nanxun, Town.objects.filter(area__code="330503").first(), started_on=dt.date(2025, 3, 6))
    # Permits: 月河 2 in March, 1 in April; 织里 1 in March.
    make_permit(offices.yuehe, issued_on=dt.date(2025, 3, 1))
    make_permit(offices.yuehe, issued_on=MARCH_31)
    make_permit(offices.yuehe, issued_on=APRIL_1)
    make_permit(offices.zhili, issued_on=dt.date(2025, 3, 15))
    return {"approved": approved, "rejected": rejected, "april": april, "zhili": zhili, "nanxun": nanxun}


@pytest.fixture
def yuehe_town(offices) -> Town:
    """月河街道, in the jurisdiction of the 月河 station (the others stay with their bureau)."""
    town = Town.objects.get(area__code="330502", name="月河街道")
    town.station = offices.yuehe
    town.save(update_fields=["station"])
    return town


@pytest.fixture
def permit_data(offices, yuehe_town):
    """Hand-counted permits of the 月河 station around the end of March 2025, each holder with a
    local registration in 月河街道 unless said otherwise. In March: one issued, by a conversion
    (31 March); a replacement (补领) that issues nothing; endorsements at 月河 (late, 25 March)
    and 织里 (on time, 15 March); lapses on 13, 21 and 31 March; one lapse on 1 April."""
    conversion = make_case(offices.yuehe, accepted_on=dt.date(2025, 3, 20), kind="permit_conversion")
    converted = make_permit(offices.yuehe, issued_on=MARCH_31, case=conversion)  # no registration
    lost = make_permit(
        offices.yuehe,
        issued_on=dt.date(2025, 2, 10),
        endorsed_until=dt.date(2025, 12, 31),
        status=ResidencePermit.Status.REPLACED,
        ended_on=dt.date(2025, 3, 20),
    )
    replacement = make_permit(
        offices.yuehe,
        issued_on=dt.date(2025, 2, 10),  # a replacement keeps the issue day: not a new permit
        endorsed_until=dt.date(2025, 12, 31),
        holder=lost.holder,
        replaces=lost,
    )
    ResidencePermit.objects.filter(pk=replacement.pk).update(created_at=at(dt.date(2025, 3, 20), 15))
    permits = {
        "converted": converted,
        "lost": lost,
        "replacement": replacement,
        # Endorsed until 30 March, never again: lapses on 31 March.
        "lapses_31": make_permit(offices.yuehe, issued_on=dt.date(2025, 1, 5), endorsed_until=dt.date(2025, 3, 30)),
        # Endorsed until 31 March: lapses on 1 April (April's).
        "lapses_april": make_permit(offices.yuehe, issued_on=dt.date(2025, 1, 5), endorsed_until=MARCH_31),
        # Endorsed until 20 March, endorsed late on 25 March: lapsed on 21 March all the same.
        "late": make_permit(offices.yuehe, issued_on=dt.date(2024, 3, 20), endorsed_until=dt.date(2025, 3, 20)),
        # Endorsed until 10 March and cancelled that day: ended before it could lapse.
        "cancelled": make_permit(
            offices.yuehe,
            issued_on=dt.date(2024, 3, 10),
            endorsed_until=dt.date(2025, 3, 10),
            status=ResidencePermit.Status.CANCELLED,
            ended_on=dt.date(2025, 3, 10),
        ),
        # Endorsed until 12 March, cancelled on 13 March: it lapsed on the 13th first.
        "lapsed_then_cancelled": make_permit(
            offices.yuehe,
            issued_on=dt.date(2024, 3, 12),
            endorsed_until=dt.date(2025, 3, 12),
            status=ResidencePermit.Status.CANCELLED,
            ended_on=dt.date(2025, 3, 13),
        ),
        # Endorsed on time at 织里 on 15 March (until 28 March → 28 March 2026): never lapsed.
        "on_time": make_permit(offices.yuehe, issued_on=dt.date(2024, 3, 28), endorsed_until=dt.date(2025, 3, 28)),
    }
    endorse(permits["late"], on=dt.date(2025, 3, 25), until=dt.date(2026, 3, 25))
    endorse(permits["on_time"], on=dt.date(2025, 3, 15), until=dt.date(2026, 3, 28), office=offices.zhili)
    for name in ("lapses_31", "lapses_april", "late", "cancelled"):
        register_locally(permits[name].holder, yuehe_town, started_on=dt.date(2025, 3, 1))
    register_locally(permits["on_time"].holder, yuehe_town, started_on=dt.date(2024, 1, 1))
    # Residents without a permit: one in force, one ended on 31 March, one from 1 April.
    register_locally(people(offices.yuehe, 1)[0], yuehe_town, started_on=dt.date(2025, 2, 1))
    register_locally(people(offices.yuehe, 1)[0], yuehe_town, started_on=dt.date(2025, 2, 1), ended_on=MARCH_31)
    register_locally(people(offices.yuehe, 1)[0], yuehe_town, started_on=APRIL_1)
    # A holder registered in 南浔镇 (its county-level bureau answers for it) with a 南浔 permit.
    nanxun_holder = make_permit(offices.nanxun_station, issued_on=dt.date(2025, 1, 2))
    register_locally(
        nanxun_holder.holder, Town.objects.get(area__code="330503", name="南浔镇"), started_on=dt.date(2025, 1, 2)
    )
    return permits


@pytest.fixture
def settlement_data(offices, yuehe_town):
    """Settlements (落户) of 月河 and 南浔 around the end of March: 月河 placed two people in a family
    household on 31 March (the host recorded there with them is no settlement) and one person from
    outside Huzhou in an employer collective household on 1 April; 南浔 one person in a community
    collective household on 15 March. Someone moving in without a settlement case is not counted."""
    family = make_household(offices.yuehe, yuehe_town, HouseholdType.FAMILY)
    employer = make_household(offices.yuehe, yuehe_town, HouseholdType.EMPLOYER_COLLECTIVE)
    community = make_household(offices.nanxun_station, yuehe_town, HouseholdType.COMMUNITY_COLLECTIVE)
    yuehe_case = make_case(offices.yuehe, accepted_on=dt.date(2025, 3, 3), kind="settlement", category="own_home")
    nanxun_case = make_case(
        offices.nanxun_station, accepted_on=dt.date(2025, 3, 3), kind="settlement", category="rental"
    )
    settle(yuehe_case, family, on=MARCH_31, count=2)
    settle(yuehe_case, family, on=MARCH_31, reason=JoinReason.RECORDED)
    settle(yuehe_case, employer, on=APRIL_1, reason=JoinReason.MOVED_IN_FROM_ELSEWHERE)
    settle(nanxun_case, community, on=dt.date(2025, 3, 15))
    HouseholdMember.objects.create(
        household=family,
        person=people(offices.yuehe, 1)[0],
        relation="other",
        joined_on=MARCH_31,
        join_reason=JoinReason.MOVED_IN,
    )
    return {"family": family, "employer": employer, "community": community}
