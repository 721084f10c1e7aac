"""Issue 11, "Proven, not assumed": two properties of the sweep, over generated histories.

- A parameter change never loses a milestone: whatever values of ``lease_filing_min_months``,
  ``permit_holding_min_months`` and ``endorsement_notice_days`` take effect on whatever days,
  and on whichever nights the sweep runs (a night missed is a catch-up), every permit and lease
  filing that becomes due is reminded exactly once, by the first sweep on or after the day it
  became due — the first day it is due under the value in force *on that day* — and nothing
  that never became due is reminded.
- A settled person never receives N1, N2 or N3: from the night a person has a hukou in Huzhou,
  or an open settlement case, no reminder about their permit or lease filing is made, to them
  or to an office; people without either get theirs.

Each generated example runs in a transaction that is rolled back, so examples never see each
other's rows; the sweep's own state starts on ``START`` for every reminder kind.
"""

import datetime as dt
import itertools
from collections.abc import Callable

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hukou_portal.casework.models import OPEN_STATUSES, Case, Status
from hukou_portal.notifications.models import Kind, Notification, SweepState
from hukou_portal.notifications.services import sweep
from hukou_portal.people.models import Person, Town
from hukou_portal.rules.models import RuleParameterValue
from permits.services import permit_issue
from registration.models import LeaseFiling
from settlement.eligibility import add_months
from settlement.models import HukouEntry
from tests.helpers import valid_id_number

D = dt.date
ONE_DAY = dt.timedelta(days=1)
WINDOW = 45  # days swept after START
PROPERTY_SETTINGS = settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
serials = itertools.count(1)


def in_rolled_back_transaction(body: Callable[[], None]) -> None:
    with transaction.atomic():
        body()
        transaction.set_rollback(True)


def start_sweeping_from(start: dt.date) -> None:
    for kind in Kind.values:
        SweepState.objects.update_or_create(kind=kind, defaults={"swept_to": start})


def schedule(key: str, base: int, changes: dict[int, int], start: dt.date) -> Callable[[dt.date], int]:
    """Rows for ``key``: ``base`` in force before START, each change from START + its offset; the
    value in force on a day, as the oracle reads it."""
    values = {start - dt.timedelta(days=100): base} | {start + dt.timedelta(days=o): v for o, v in changes.items()}
    for effective_from, value in values.items():
        RuleParameterValue.objects.create(key=key, value=value, effective_from=effective_from, reason="test")
    timeline = sorted(values.items())
    return lambda day: [value for effective_from, value in timeline if effective_from <= day][-1]


def first_due(start: dt.date, end: dt.date, due: Callable[[dt.date], bool]) -> dt.date | None:
    day = start + ONE_DAY
    while day <= end:
        if due(day):
            return day
        day += ONE_DAY
    return None


def person(office) -> Person:  # type: ignore[no-untyped-def]
    serial = next(serials)
    return Person.objects.create(
        id_number=valid_id_number(sequence=serial % 999 + 1, birth_date=D(1980, 1, 1) + dt.timedelta(days=serial)),
        name=f"人{serial}",
        mobile="13900000009",
        office=office,
    )


def lease_filing(officer, tenant: Person, filed_on: dt.date) -> LeaseFiling:  # type: ignore[no-untyped-def]
    """A private lease in an urban town for a year, stored directly: filed on any generated day."""
    return LeaseFiling.objects.create(
        filing_number=f"HZZL-P-{next(serials)}",
        filed_on=filed_on,
        town=Town.objects.get(area__code="330502", name="月河街道"),
        address="红旗路 1 号",
        is_urban=True,
        housing=LeaseFiling.Housing.PRIVATE,
        landlord="房东",
        tenant=tenant,
        term_start=filed_on,
        term_end=filed_on + dt.timedelta(days=365),
        office=officer.office,
        recorded_by=officer,
    )


def run_nights(start: dt.date, nights: list[dt.date]) -> dict[tuple[str, int], list[tuple[str, dt.date]]]:
    """Sweep on each night; the SMS milestones each (kind, subject) got, with the night made."""
    made: dict[tuple[str, int], list[tuple[str, dt.date]]] = {}
    for night in nights:
        before = set(Notification.objects.values_list("pk", flat=True))
        sweep(as_of=night)
        for row in Notification.objects.filter(channel="sms").exclude(pk__in=before):
            made.setdefault((row.kind, row.subject_id), []).append((row.milestone, night))
    return made


def night_after(nights: list[dt.date], day: dt.date) -> dt.date:
    return next(night for night in nights if night >= day)


months = st.integers(min_value=1, max_value=3)
notice_days = st.sampled_from([10, 20, 40, 60])
changes_of = lambda values: st.dictionaries(st.integers(min_value=1, max_value=WINDOW), values, max_size=3)  # noqa: E731


@PROPERTY_SETTINGS
@given(
    start=st.dates(min_value=D(2025, 1, 1), max_value=D(2027, 12, 31)),
    lease_months=st.tuples(months, changes_of(months)),
    holding_months=st.tuples(months, changes_of(months)),
    notice=st.tuples(notice_days, changes_of(notice_days)),
    # Origins from 27 days before START: nothing is due on START under any value generated.
    filings=st.lists(st.integers(min_value=-27, max_value=WINDOW), max_size=4),
    permits=st.lists(
        st.tuples(st.integers(min_value=-27, max_value=WINDOW), st.integers(min_value=61, max_value=WINDOW + 60)),
        max_size=3,
    ),
    nights=st.sets(st.integers(min_value=1, max_value=WINDOW - 1), max_size=6),
)
def test_a_parameter_change_never_loses_a_milestone(
    world, start, lease_months, holding_months, notice, filings, permits, nights
):
    offices, officer = world
    end = start + dt.timedelta(days=WINDOW)

    def example() -> None:
        start_sweeping_from(start)
        lease_value = schedule("lease_filing_min_months", *lease_months, start)
        holding_value = schedule("permit_holding_min_months", *holding_months, start)
        notice_value = schedule("endorsement_notice_days", *notice, start)
        expected: dict[tuple[str, int], tuple[str, dt.date]] = {}
        for offset in filings:
            filed_on = start + dt.timedelta(days=offset)
            filing = lease_filing(officer, person(offices.yuehe), filed_on)
            day = first_due(start, end, lambda d, o=filed_on: add_months(o, lease_value(d)) <= d)
            if day is not None:
                expected["N2", filing.pk] = (day.isoformat(), day)
        for issued, endorsed in permits:
            issued_on, until = start + dt.timedelta(days=issued), start + dt.timedelta(days=endorsed)
            permit = permit_issue(
                holder=person(offices.yuehe),
                office=offices.yuehe,
                area_code="330502",
                issued_on=issued_on,
                endorsed_until=until,
                case=None,
            )
            day = first_due(start, end, lambda d, o=issued_on: add_months(o, holding_value(d)) <= d)
            if day is not None:
                expected["N1", permit.pk] = (day.isoformat(), day)
            day = first_due(start, end, lambda d, u=until: u - dt.timedelta(days=notice_value(d)) <= d)
            if day is not None:
                expected["N3", permit.pk] = (until.isoformat(), day)
        swept = sorted({start + dt.timedelta(days=n) for n in nights} | {end})
        made = run_nights(start, swept)
        assert made == {
            subject: [(milestone, night_after(swept, day))] for subject, (milestone, day) in expected.items()
        }

    in_rolled_back_transaction(example)


STATES = st.sampled_from(["settled", "settling", "withdrawn", "none"])


@PROPERTY_SETTINGS
@given(
    start=st.dates(min_value=D(2025, 1, 1), max_value=D(2027, 12, 31)),
    # Per person: what becomes of them, and on which night (index) it has happened; the days
    # (after START) their permit reaches six months, their lease six months, their 签注 falls due.
    people=st.lists(
        st.tuples(
            STATES,
            st.sampled_from(OPEN_STATUSES),
            st.integers(min_value=0, max_value=8),
            st.tuples(*[st.integers(min_value=4, max_value=WINDOW)] * 3),  # month-end clamping moves ≤ 3 days
        ),
        min_size=1,
        max_size=4,
    ),
    nights=st.sets(st.integers(min_value=1, max_value=WINDOW - 1), min_size=1, max_size=6),
)
def test_a_settled_person_never_receives_n1_n2_or_n3(world, start, people, nights):
    offices, officer = world
    end = start + dt.timedelta(days=WINDOW)
    town = Town.objects.get(area__code="330502", name="月河街道")

    def example() -> None:
        start_sweeping_from(start)  # the defaults are in force: 6 months, 30 days' notice
        swept = sorted({start + dt.timedelta(days=n) for n in nights} | {end})
        subjects = []
        for state, open_status, from_night, (n1, n2, n3) in people:
            holder = person(offices.yuehe)
            permit = permit_issue(
                holder=holder,
                office=offices.yuehe,
                area_code="330502",
                issued_on=add_months(start + dt.timedelta(days=n1), -6),
                # Valid on its N1 day (an overdue permit's holder is not told: its use is suspended).
                endorsed_until=start + dt.timedelta(days=max(n3 + 30, n1)),
                case=None,
            )
            filing = lease_filing(officer, holder, add_months(start + dt.timedelta(days=n2), -6))
            subjects.append((state, open_status, min(from_night, len(swept) - 1), holder, permit, filing))
        made_while: dict[int, set[tuple[str, int]]] = {}  # holder → (kind, subject) made once settled
        made_ever: set[tuple[str, int]] = set()
        for index, night in enumerate(swept):
            for state, open_status, from_night, holder, _permit, _filing in subjects:
                if from_night == index and state != "none":
                    case = Case.objects.create(
                        reference=f"HZ-P-{next(serials)}",
                        kind="settlement",
                        category="rental",
                        applicant=holder,
                        office=offices.yuehe,
                        status={"settled": Status.COMPLETED, "withdrawn": Status.WITHDRAWN}.get(state, open_status),
                    )
                    if state == "settled":
                        HukouEntry.objects.create(
                            person=holder,
                            household_type="collective",
                            town=town,
                            address="红旗路 1 号",
                            clause="S1.2",
                            registered_on=night,
                            case=case,
                        )
            before = set(Notification.objects.values_list("pk", flat=True))
            sweep(as_of=night)
            new = Notification.objects.exclude(pk__in=before)
            for state, _status, from_night, holder, permit, filing in subjects:
                mine = {
                    (kind, subject)
                    for kind, subject in new.values_list("kind", "subject_id")
                    if (kind in ("N1", "N3") and subject == permit.pk) or (kind == "N2" and subject == filing.pk)
                }
                made_ever |= mine
                if state in ("settled", "settling") and index >= from_night:
                    made_while.setdefault(holder.pk, set()).update(mine)
        assert all(not made for made in made_while.values()), made_while
        for state, _status, _from_night, _holder, permit, filing in subjects:
            if state in ("withdrawn", "none"):  # not settling: every reminder due in the window
                assert {("N1", permit.pk), ("N2", filing.pk), ("N3", permit.pk)} <= made_ever

    in_rolled_back_transaction(example)
