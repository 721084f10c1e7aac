# The hand-counted March 2025 fixture of the rollup tests, shared with the dashboard's tests.
from tests.stats.test_rollups import march_data, users  # noqa: F401
