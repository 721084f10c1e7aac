"""Two completions that need the same community's household at the same moment: one creates it,
the other finds it — one household, two distinct 户号 never handed out for it, nothing doubled."""

import threading

import pytest
from django.db import connection, transaction

from hukou_portal.people.households import services as household_services
from hukou_portal.people.models import Household, HouseholdType, Town
from tests.helpers import make_office_tree

pytestmark = pytest.mark.django_db(transaction=True)


def _race(call) -> list:  # type: ignore[no-untyped-def]
    barrier = threading.Barrier(2)
    found: list = []
    errors: list = []

    def run() -> None:
        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                found.append(call())
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    return found


def test_two_completions_into_one_community_share_one_household(transactional_db):
    offices = make_office_tree()
    town = Town.objects.select_related("area").get(area__code="330502", name="月河街道")
    found = _race(
        lambda: household_services.household_collective(
            type=HouseholdType.COMMUNITY_COLLECTIVE,
            town=town,
            unit_name="红旗社区",
            case=None,
            actor=None,
            fallback_office=offices.yuehe,
        )
    )
    assert sorted(created for _household, created in found) == [False, True]
    assert len({household.pk for household, _created in found}) == 1
    assert Household.objects.count() == 1


def test_two_completions_at_one_home_share_one_family_household_and_numbers_never_repeat(transactional_db):
    from hukou_portal.people.services import person_create
    from tests.helpers import make_user, valid_id_number

    offices = make_office_tree()
    officer = make_user(offices.yuehe, "counter_officer", username="officer")
    head = person_create(actor=officer, id_number=valid_id_number(sequence=801), name="甲")
    town = Town.objects.select_related("area").get(area__code="330502", name="月河街道")
    found = _race(
        lambda: household_services.household_family_at(
            town=town, address="人民路 1 号", head=head, case=None, actor=None, fallback_office=offices.yuehe
        )
    )
    assert len({household.pk for household, _created in found}) == 1
    # Numbers drawn at the same moment for different households are distinct.
    numbers = _race(lambda: household_services.household_number("330502"))
    assert len(set(numbers)) == 2
