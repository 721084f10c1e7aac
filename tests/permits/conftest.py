import datetime as dt

import pytest
import time_machine

NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def holder(staff):
    from hukou_portal.people.services import person_create
    from tests.helpers import valid_id_number

    return person_create(actor=staff.officer, id_number=valid_id_number(sequence=515), name="陈小红")
