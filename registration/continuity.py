"""R3.2: cumulative *continuous* registration time, across recognised regions. Pure.

Periods are merged in start order; two are continuous when the days strictly between one's end
and the next one's start are at most ``tolerance_days`` (0: the next starts the day after, or
earlier — overlaps merge). The chain counts only if it reaches ``on``: a registration that ended
more than ``tolerance_days`` before ``on`` has broken it. Months as ELIGIBILITY.md counts them.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from settlement.eligibility import months_reached

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    region_code: str
    started_on: dt.date
    ended_on: dt.date | None  # None: still registered


def is_recognised(region_code: str, recognised_regions: Iterable[str]) -> bool:
    """A region counts when it lies in a recognised province (330000 covers 3301xx, 3305xx …)."""
    return any(region_code[:2] == region[:2] for region in recognised_regions)


def _chain(
    periods: Iterable[Period], on: dt.date, *, recognised_regions: Iterable[str], tolerance_days: int
) -> tuple[dt.date, dt.date] | None:
    """(first day, last day) of the continuous chain of recognised registrations reaching ``on``."""
    recognised = sorted(
        (p for p in periods if is_recognised(p.region_code, recognised_regions) and p.started_on <= on),
        key=lambda p: p.started_on,
    )
    chain_start: dt.date | None = None
    chain_end: dt.date | None = None
    for period in recognised:
        end = min(period.ended_on or on, on)
        if chain_end is not None and (period.started_on - chain_end).days - 1 <= tolerance_days:
            chain_end = max(chain_end, end)
        else:
            chain_start, chain_end = period.started_on, end
    if chain_start is None or chain_end is None or (on - chain_end).days - 1 > tolerance_days:
        return None
    return chain_start, chain_end


def continuous_since(
    periods: Iterable[Period], on: dt.date, *, recognised_regions: Iterable[str], tolerance_days: int
) -> dt.date | None:
    """The first day of the continuous chain of recognised registrations that reaches ``on``."""
    chain = _chain(periods, on, recognised_regions=recognised_regions, tolerance_days=tolerance_days)
    return chain[0] if chain else None


def continuous_months(
    periods: Iterable[Period], on: dt.date, *, recognised_regions: Iterable[str], tolerance_days: int
) -> int:
    """Whole months registered in the chain: up to ``on``, or to the end of its last day when it
    ended just before ``on`` (an end date is the last registered day)."""
    chain = _chain(periods, on, recognised_regions=recognised_regions, tolerance_days=tolerance_days)
    if chain is None:
        return 0
    start, end = chain
    return months_reached(start, min(on, end + ONE_DAY))
