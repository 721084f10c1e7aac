"""R3.2's continuous-time rule: gaps, overlaps, regions not recognised, tolerance, month ends."""

import datetime as dt

import pytest

from registration.continuity import Period, continuous_months, continuous_since

D = dt.date
ZJ = ["330000"]


def months(periods, on, regions=ZJ, tolerance=0):  # type: ignore[no-untyped-def]
    return continuous_months(periods, on, recognised_regions=regions, tolerance_days=tolerance)


def test_one_ongoing_registration():
    assert months([Period("330502", D(2026, 1, 15), None)], D(2026, 7, 15)) == 6
    assert months([Period("330502", D(2026, 1, 15), None)], D(2026, 7, 14)) == 5


def test_back_to_back_registrations_in_zhejiang_add_up():
    periods = [Period("330106", D(2025, 10, 1), D(2026, 2, 28)), Period("330502", D(2026, 3, 1), None)]
    assert months(periods, D(2026, 4, 1)) == 6


def test_a_one_day_gap_breaks_the_chain_unless_tolerated():
    periods = [Period("330106", D(2025, 10, 1), D(2026, 2, 27)), Period("330502", D(2026, 3, 1), None)]
    assert continuous_since(periods, D(2026, 4, 1), recognised_regions=ZJ, tolerance_days=0) == D(2026, 3, 1)
    assert months(periods, D(2026, 4, 1)) == 1
    assert months(periods, D(2026, 4, 1), tolerance=1) == 6


def test_overlapping_registrations_merge():
    periods = [Period("330106", D(2025, 10, 1), D(2026, 3, 10)), Period("330502", D(2026, 3, 1), None)]
    assert months(periods, D(2026, 4, 1)) == 6


def test_a_change_on_the_same_day_is_continuous():
    periods = [Period("330502", D(2025, 10, 1), D(2026, 3, 1)), Period("330502", D(2026, 3, 1), None)]
    assert months(periods, D(2026, 4, 1)) == 6


def test_a_region_that_is_not_recognised_does_not_count_and_breaks_the_chain():
    periods = [
        Period("330106", D(2025, 1, 1), D(2025, 6, 30)),
        Period("320102", D(2025, 7, 1), D(2025, 12, 31)),  # Jiangsu: not recognised by default
        Period("330502", D(2026, 1, 1), None),
    ]
    assert months(periods, D(2026, 4, 1)) == 3
    assert months(periods, D(2026, 4, 1), regions=["330000", "320000"]) == 15


def test_a_registration_that_ended_before_the_day_does_not_count():
    assert months([Period("330502", D(2025, 1, 1), D(2026, 3, 31))], D(2026, 4, 2)) == 0
    assert months([Period("330502", D(2025, 1, 1), D(2026, 3, 31))], D(2026, 4, 2), tolerance=1) == 15


@pytest.mark.parametrize(("on", "expected"), [(D(2027, 2, 27), 5), (D(2027, 2, 28), 6)])
def test_month_end_start(on, expected):
    assert months([Period("330502", D(2026, 8, 31), None)], on) == expected


def test_registration_starting_after_the_day_is_ignored():
    assert months([Period("330502", D(2026, 5, 1), None)], D(2026, 4, 1)) == 0
