"""Roll up the daily statistics on demand: ``stats_rollup`` catches up through yesterday and takes
today's pipeline snapshot, as the nightly job does; ``stats_rollup --from 2025-01-01`` rolls up
the history from that day through yesterday and counts it complete (first installation);
``stats_rollup --from 2025-01-01 --to 2025-12-31`` recomputes those days (idempotent). Neither
``--from`` form takes a pipeline snapshot: a snapshot is of the night it is taken, and a past
night's cannot be recomputed."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone


class Command(BaseCommand):
    help = "Recompute the daily statistics rollups (E1)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="from_day", type=dt.date.fromisoformat, help="first day (YYYY-MM-DD)")
        parser.add_argument("--to", dest="to_day", type=dt.date.fromisoformat, help="last day (YYYY-MM-DD)")

    def handle(self, *args: Any, from_day: dt.date | None, to_day: dt.date | None, **options: Any) -> None:
        from hukou_portal.stats.pipeline import N1, N2, snapshot_pipeline
        from hukou_portal.stats.rollups import rollup_catch_up, rollup_history, rollup_rebuild

        today = timezone.localdate()
        yesterday = today - dt.timedelta(days=1)
        if from_day is None and to_day is None:
            days = rollup_catch_up(through=yesterday)
            totals = snapshot_pipeline(day=today)
            self.stdout.write(f"Rolled up {days} day(s).")
            self.stdout.write(
                f"Pipeline snapshot of {today}: {totals[N1]} permit(s) (N1), {totals[N2]} lease filing(s) (N2)."
            )
            return
        if to_day is None:
            assert from_day is not None
            if from_day > yesterday:
                raise CommandError("--from must be before today.")
            days = rollup_history(from_day=from_day, through=yesterday)
        else:
            from_day = from_day or to_day
            if from_day > to_day:
                raise CommandError("--from must not be after --to.")
            days = rollup_rebuild(from_day=from_day, to_day=to_day)
        self.stdout.write(f"Rolled up {days} day(s).")
