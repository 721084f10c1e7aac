import pytest

from hukou_portal.accounts.roles import Role
from hukou_portal.casework.kinds import register, unregister
from tests.casework.factories import TEST_KIND
from tests.helpers import make_user


@pytest.fixture(autouse=True)
def test_kind():
    register(TEST_KIND)
    yield TEST_KIND
    unregister(TEST_KIND.code)


@pytest.fixture
def second_officer(offices):
    return make_user(offices.yuehe, Role.COUNTER_OFFICER, username="officer2")


@pytest.fixture
def other_supervisor(offices):
    """A supervisor at the county-level bureau above the station: may decide its cases."""
    return make_user(offices.wuxing, Role.SUPERVISOR, username="county_supervisor")
