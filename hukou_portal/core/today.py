"""What the home page asks: the signed-in user's work for today, as capped counts.

A count never runs an exact ``COUNT(*)`` over a big table: each reads at most ``CAP + 1`` ids
with a LIMIT on an indexed filter, and shows "99+" beyond. Every count is taken from the same
queue selector as the list its tile links to, so the number and the list agree.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from hukou_portal.accounts.models import User
from hukou_portal.accounts.roles import Role

CAP = 99
DUE_SOON_WORKING_DAYS = 3


@dataclass(frozen=True)
class Tally:
    count: int  # at most CAP
    more: bool  # more than CAP

    def __str__(self) -> str:
        return f"{CAP}+" if self.more else str(self.count)


def capped_count(queryset: QuerySet, cap: int = CAP) -> Tally:
    """How many rows, read with a LIMIT of ``cap + 1`` (one small query, no COUNT)."""
    found = len(queryset.order_by().values_list("pk", flat=True)[: cap + 1])
    return Tally(min(found, cap), found > cap)


def due_soon_until(today: dt.date, working_days: int = DUE_SOON_WORKING_DAYS) -> dt.date:
    """The last day of the next ``working_days`` working days (holidays and 调休 counted); calendar
    days when the year's calendar is not published yet."""
    from hukou_portal.rules.calendar import CalendarMissing, WorkCalendar

    try:
        return WorkCalendar.load().add_working_days(today, working_days)
    except CalendarMissing:
        return today + dt.timedelta(days=working_days)


def today_for_user(*, user: User, today: dt.date | None = None) -> dict[str, Tally]:
    """The home page's counts for ``user``, keyed by tile; only the tiles of the user's roles:

    - mine: open cases assigned to the user (counter officers);
    - due_soon: of those, the clock runs and the deadline is within 3 working days (not overdue);
    - overdue: cases of the user's offices past their deadline while the clock runs;
    - supplement: cases of the user's offices waiting for 补正;
    - approval: cases waiting for a supervisor's decision (supervisors);
    - unread: the user's unread reminders.
    """
    from hukou_portal.casework.models import CLOCK_RUNNING_STATUSES, Status
    from hukou_portal.casework.selectors import case_queue
    from hukou_portal.notifications.selectors import inbox_for_user

    today = today or timezone.localdate()
    roles = user.roles
    tallies: dict[str, Tally] = {}
    if user.has_perm("casework.view_case"):
        if Role.COUNTER_OFFICER in roles:
            mine = case_queue(user=user, queue="mine", today=today)
            tallies["mine"] = capped_count(mine)
            tallies["due_soon"] = capped_count(
                mine.filter(status__in=CLOCK_RUNNING_STATUSES, deadline__gte=today, deadline__lte=due_soon_until(today))
            )
        if Role.SUPERVISOR in roles:
            tallies["approval"] = capped_count(case_queue(user=user, queue="approval", today=today))
        tallies["overdue"] = capped_count(case_queue(user=user, queue="overdue", today=today))
        tallies["supplement"] = capped_count(
            case_queue(user=user, queue="office", today=today).filter(status=Status.SUPPLEMENT_REQUESTED)
        )
    tallies["unread"] = capped_count(inbox_for_user(user=user).filter(read_at__isnull=True))
    return tallies
