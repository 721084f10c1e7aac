"""Insert the reminders due up to a day, and print how many per kind (N1–N4).

python manage.py sweep_reminders [--as-of YYYY-MM-DD] [--deliver]
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hukou_portal.notifications.models import Kind
from hukou_portal.notifications.services import deliver_pending, sweep


class Command(BaseCommand):
    help = "Sweep the reminders due up to --as-of (default today); --deliver also sends them now."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD")
        parser.add_argument("--deliver", action="store_true", help="deliver pending reminders in this process")

    def handle(self, *args, as_of: str | None, deliver: bool, **options) -> None:  # type: ignore[no-untyped-def]
        try:
            day = dt.date.fromisoformat(as_of) if as_of else timezone.localdate()
        except ValueError:
            raise CommandError("--as-of: not a date (YYYY-MM-DD)") from None
        created = sweep(as_of=day)
        for kind in Kind:
            self.stdout.write(f"{kind.value}: {created.get(kind, 0)} created  ({kind.label})")
        if deliver:
            self.stdout.write(f"delivered: {deliver_pending(limit=10_000)}")
