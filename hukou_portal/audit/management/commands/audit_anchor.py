"""Append the head of each lane of the audit chain to an append-only anchor file, and print it.

    python manage.py audit_anchor [FILE]

FILE defaults to AUDIT_ANCHOR_FILE. Runs daily (schedules.py: "anchor-audit-trail"). Copy the
printed line off the host (a ticket, a mail to the supervisory office, paper): an anchor kept
only next to the database can be rewritten together with it. ``audit_verify --anchor FILE``
then checks that every anchored event still has its anchored hash and lane.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from hukou_portal.audit.services import anchor_head


class Command(BaseCommand):
    help = "Append the heads of the audit chain's lanes (event id, hash, time) to an append-only file and print them."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("file", nargs="?", default="", help="the anchor file (default: AUDIT_ANCHOR_FILE)")

    def handle(self, *args, file: str, **options) -> None:  # type: ignore[no-untyped-def]
        path = Path(file or settings.AUDIT_ANCHOR_FILE)
        anchor = anchor_head(path)
        if anchor is None:
            self.stdout.write("The audit trail is empty: nothing to anchor.")
            return
        for head in anchor["heads"]:
            self.stdout.write(f"lane={head['lane']} event={head['event']} hash={head['hash']}")
        self.stdout.write(f"anchored_at={anchor['anchored_at']}")
        self.stdout.write(self.style.SUCCESS(f"Anchored in {path}."))
