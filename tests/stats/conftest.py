# The office tree and 月河's officer of the reminder tests, shared with the pipeline's tests.
from tests.notifications.conftest import world  # noqa: F401

# The hand-counted March 2025 fixture of the rollup tests, shared with the dashboard's tests.
from tests.stats.test_rollups import march_data, permit_data, settlement_data, users, yuehe_town  # noqa: F401
