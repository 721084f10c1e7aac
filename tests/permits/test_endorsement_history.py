"""Issue 13 (E1): the dated records the statistics read — each endorsement (签注) as a
``PermitEndorsement`` row, and the day a permit ended (``ended_on``) — written by the services,
on the Asia/Shanghai day, and filled for older permits from the audit trail by migration 0005."""

import datetime as dt
import importlib
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps

from hukou_portal.accounts.roles import Role
from hukou_portal.core.exceptions import ApplicationError
from permits import services
from permits.models import PermitEndorsement, ResidencePermit
from tests.helpers import make_user
from tests.permits.factories import issue_permit

D = dt.date
SHANGHAI = ZoneInfo("Asia/Shanghai")


def beijing(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


def rows(permit: ResidencePermit) -> list[tuple]:
    return list(
        PermitEndorsement.objects.filter(permit=permit)
        .order_by("id")
        .values_list("endorsed_on", "previous_until", "until", "office_id", "endorsed_by_id")
    )


def test_each_endorsement_is_kept_with_its_day_and_period(staff, holder, offices, _now):
    permit = issue_permit(staff.officer, staff.supervisor, holder)  # 1 Dec 2026, until 1 Dec 2027
    # On time, by an officer of the 吴兴 bureau (above the issuing station).
    county_officer = make_user(offices.wuxing, Role.COUNTER_OFFICER, username="county_officer")
    _now.move_to(beijing(D(2027, 11, 1), 10))
    services.permit_endorse(actor=county_officer, permit_id=permit.pk)
    # Late by ten minutes: at 00:10 on 2 December 2028 Beijing time (16:10 UTC on 1 December).
    _now.move_to(beijing(D(2028, 12, 2), 0, 10))
    services.permit_endorse(actor=staff.officer, permit_id=permit.pk)
    assert rows(permit) == [
        (D(2027, 11, 1), D(2027, 12, 1), D(2028, 12, 1), offices.wuxing.pk, county_officer.pk),
        (D(2028, 12, 2), D(2028, 12, 1), D(2029, 12, 2), offices.yuehe.pk, staff.officer.pk),
    ]


def test_a_refused_endorsement_leaves_no_row(staff, holder):
    permit = issue_permit(staff.officer, staff.supervisor, holder)
    with pytest.raises(ApplicationError):
        services.permit_endorse(actor=staff.officer, permit_id=permit.pk)  # opens 30 days before
    assert rows(permit) == []


def test_the_day_a_permit_ends_is_kept(staff, holder, _now):
    permit = issue_permit(staff.officer, staff.supervisor, holder)
    assert permit.ended_on is None
    _now.move_to(beijing(D(2027, 3, 31), 23, 30))  # 15:30 UTC: the same day either way
    replacement = services.permit_replace(actor=staff.officer, permit_id=permit.pk, reason="遗失")
    permit.refresh_from_db()
    assert (permit.status, permit.ended_on, replacement.ended_on) == (
        ResidencePermit.Status.REPLACED,
        D(2027, 3, 31),
        None,
    )
    _now.move_to(beijing(D(2027, 4, 1), 0, 10))  # 16:10 UTC on 31 March
    services.permits_cancel(person=holder, actor=staff.officer, case=permit.case, reason="settled")
    replacement.refresh_from_db()
    assert (replacement.status, replacement.ended_on) == (ResidencePermit.Status.CANCELLED, D(2027, 4, 1))


def test_the_migration_fills_both_from_the_trail(staff, holder, _now):
    permit = issue_permit(staff.officer, staff.supervisor, holder)
    _now.move_to(beijing(D(2027, 11, 1), 10))
    services.permit_endorse(actor=staff.officer, permit_id=permit.pk)
    _now.move_to(beijing(D(2029, 1, 5), 0, 10))  # late: the permit lapsed on 2 December 2028
    services.permit_endorse(actor=staff.officer, permit_id=permit.pk)
    _now.move_to(beijing(D(2029, 2, 1), 23, 30))
    replacement = services.permit_replace(actor=staff.officer, permit_id=permit.pk, reason="遗失")
    _now.move_to(beijing(D(2029, 3, 1), 0, 10))
    services.permits_cancel(person=holder, actor=staff.officer, case=permit.case, reason="settled")
    before = {
        "endorsements": rows(permit),
        "ended": sorted(ResidencePermit.objects.values_list("pk", "ended_on")),
    }
    assert len(before["endorsements"]) == 2
    assert before["ended"] == sorted([(permit.pk, D(2029, 2, 1)), (replacement.pk, D(2029, 3, 1))])

    # As the rows stood before migration 0005.
    PermitEndorsement.objects.all().delete()
    ResidencePermit.objects.update(ended_on=None)
    migration = importlib.import_module("permits.migrations.0005_permit_end_and_endorsements")
    migration.fill_from_the_trail(apps, None)
    assert {"endorsements": rows(permit), "ended": sorted(ResidencePermit.objects.values_list("pk", "ended_on"))} == (
        before
    )
