"""Issue 10, finding 11: a catch-up sweep across a parameter change misses nobody and reminds
nobody twice, and nobody who has settled, or is settling, is told they may apply."""

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.test import Client

from hukou_portal.accounts.roles import Role
from hukou_portal.casework.models import Case, Status
from hukou_portal.notifications.models import Notification
from hukou_portal.notifications.services import sweep
from hukou_portal.people.models import Person, Town
from hukou_portal.rules.services import parameter_schedule
from registration import services as registration_services
from settlement.models import HukouEntry
from tests.helpers import make_user, sign_in, valid_id_number
from tests.notifications.conftest import at, make_permit
from tests.settlement.test_settlement_cases import rental_intake

D = dt.date


def tenant(office, sequence: int) -> Person:  # type: ignore[no-untyped-def]
    return Person.objects.create(
        id_number=valid_id_number(sequence=sequence), name=f"租户{sequence}", mobile="13900000002", office=office
    )


def filing(officer, person: Person, filed_on: dt.date, number: str, town: Town | None = None, **lease):  # type: ignore[no-untyped-def]
    """A private lease in 月河街道 (unless ``town``) for a year from its filing; ``lease`` overrides."""
    values = {
        "housing": "private",
        "term_start": filed_on,
        "term_end": filed_on + dt.timedelta(days=365),
        **lease,
    }
    return registration_services.lease_filing_record(
        actor=officer,
        filing_number=number,
        filed_on=filed_on,
        town=town or Town.objects.get(area__code="330502", name="月河街道"),
        address="红旗路 9 号",
        landlord="房东戊",
        tenant=person,
        **values,
    )


def n2_sms() -> dict[int, list[str]]:
    """The SMS milestones of each lease filing."""
    sent: dict[int, list[str]] = {}
    for subject_id, milestone in Notification.objects.filter(kind="N2", channel="sms").values_list(
        "subject_id", "milestone"
    ):
        sent.setdefault(subject_id, []).append(milestone)
    return sent


def test_a_catch_up_across_6_to_3_months_reminds_everyone_once_on_their_own_day(world):
    offices, officer = world
    admin = make_user(offices.city, Role.ADMINISTRATOR, username="city_admin")
    with time_machine.travel(at(D(2026, 9, 1)), tick=False):
        filings = {
            name: filing(officer, tenant(offices.yuehe, 500 + index), filed_on, f"HZZL2026-05{index:02d}")
            for index, (name, filed_on) in enumerate(
                [
                    ("reached_on_the_last_sweep", D(2026, 3, 1)),  # 6 months: 09-01
                    ("old_value_a", D(2026, 3, 5)),  # 6 months: 09-05, before the change
                    ("old_value_b", D(2026, 3, 8)),  # 6 months: 09-08
                    ("made_eligible", D(2026, 4, 20)),  # 3 months passed on 07-20, 6 not until 10-20
                    ("new_value", D(2026, 6, 15)),  # 3 months: 09-15, after the change
                    ("not_yet", D(2026, 6, 25)),  # 3 months: 09-25, after the catch-up
                ]
            )
        }
        parameter_schedule(
            actor=admin, key="lease_filing_min_months", value=3, effective_from=D(2026, 9, 10), reason="新政策"
        )
        sweep(as_of=D(2026, 9, 1))  # the last night the sweep ran
    with time_machine.travel(at(D(2026, 9, 20)), tick=False):
        created = sweep(as_of=D(2026, 9, 20))  # down for almost three weeks, across the change
        again = sweep(as_of=D(2026, 9, 20))
    with time_machine.travel(at(D(2026, 10, 25)), tick=False):
        later = sweep(as_of=D(2026, 10, 25))

    sent = n2_sms()
    ids = {name: f.pk for name, f in filings.items()}
    assert sent[ids["reached_on_the_last_sweep"]] == ["2026-09-01"]
    assert sent[ids["old_value_a"]] == ["2026-09-05"]
    assert sent[ids["old_value_b"]] == ["2026-09-08"]
    assert sent[ids["made_eligible"]] == ["2026-09-10"]  # the change's effective day, once
    assert sent[ids["new_value"]] == ["2026-09-15"]
    assert sent[ids["not_yet"]] == ["2026-09-25"]  # the next sweep, on its own day
    # SMS and one inbox row per filing: four in the catch-up, nothing on the rerun, one later.
    assert created["N2"] == 8 and again["N2"] == 0 and later["N2"] == 2
    message = Notification.objects.get(kind="N2", channel="sms", subject_id=ids["made_eligible"]).message
    assert "2026-09-10" in message


def test_raising_the_months_does_not_remind_a_filing_twice(world):
    offices, officer = world
    admin = make_user(offices.city, Role.ADMINISTRATOR, username="city_admin")
    with time_machine.travel(at(D(2026, 9, 1)), tick=False):
        parameter_schedule(
            actor=admin, key="lease_filing_min_months", value=3, effective_from=D(2026, 9, 1), reason="新政策"
        )
        early = filing(officer, tenant(offices.yuehe, 520), D(2026, 6, 5), "HZZL2026-0520")  # 3 months: 09-05
        sweep(as_of=D(2026, 9, 1))
    with time_machine.travel(at(D(2026, 9, 6)), tick=False):
        parameter_schedule(
            actor=admin, key="lease_filing_min_months", value=6, effective_from=D(2026, 9, 7), reason="恢复"
        )
        sweep(as_of=D(2026, 9, 6))
    with time_machine.travel(at(D(2026, 12, 10)), tick=False):
        assert sweep(as_of=D(2026, 12, 10))["N2"] == 0  # its 6 months (12-05) is not a second milestone
    assert n2_sms() == {early.pk: ["2026-09-05"]}


def test_the_database_refuses_a_second_n2_for_the_same_filing(world):
    offices, officer = world
    with time_machine.travel(at(D(2026, 9, 1)), tick=False):
        lease = filing(officer, tenant(offices.yuehe, 530), D(2026, 3, 5), "HZZL2026-0530")
        sweep(as_of=D(2026, 9, 1))
        sweep(as_of=D(2026, 9, 5))
    row = Notification.objects.get(kind="N2", channel="sms", subject_id=lease.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            kind="N2",
            subject_type="lease_filing",
            subject_id=lease.pk,
            milestone="2026-06-05",  # the same filing at another date
            channel="sms",
            recipient=row.recipient,
            address=row.address,
            message="again",
        )


def test_settled_and_settling_people_are_not_told_they_may_apply(world):
    offices, officer = world
    with time_machine.travel(at(D(2026, 11, 30)), tick=False):
        people = {}
        for index, name in enumerate(["settled", "settling", "closed_case", "other"]):
            permit = make_permit(offices.yuehe, issued_on=D(2026, 6, 15), sequence=540 + index)
            filing(officer, permit.holder, D(2026, 6, 15), f"HZZL2026-054{index}")
            people[name] = permit.holder
        client = sign_in(Client(), officer)
        town = Town.objects.get(area__code="330502", name="月河街道")
        cases = {}
        for name in ("settled", "settling", "closed_case"):
            response = client.post("/cases/new/settlement/", rental_intake(people[name], town))
            assert response.status_code == 302
            cases[name] = Case.objects.get(kind="settlement", applicant=people[name])
        HukouEntry.objects.create(
            person=people["settled"],
            household_type="collective",
            town=town,
            address="红旗路 9 号",
            clause="S1.2",
            registered_on=D(2026, 11, 1),
            case=cases["settled"],
        )
        # Closed cases: the settled one completed, the other withdrawn; "settling" stays open.
        Case.objects.filter(pk=cases["settled"].pk).update(status=Status.COMPLETED)
        Case.objects.filter(pk=cases["closed_case"].pk).update(status=Status.WITHDRAWN)
        sweep(as_of=D(2026, 12, 20))
    told = set(Notification.objects.filter(kind__in=["N1", "N2"], channel="sms").values_list("recipient", flat=True))
    assert told == {f"person:{people['closed_case'].pk}", f"person:{people['other'].pk}"}
    inbox = Notification.objects.filter(kind__in=["N1", "N2"], channel="inbox")
    assert inbox.count() == 4  # the office hears of the two who may apply, not of the others
