"""Re-seal citizen ID numbers under the current key (key rotation).

    python manage.py rotate_id_number_key [--all] [--batch-size N]

How to rotate (docs/personal-data.md): put the new secret in ID_NUMBER_KEY and the old one in
ID_NUMBER_RETIRED_KEYS, restart the portal (new numbers are sealed under the new key, old ones
still open), run this command, then drop the old key from ID_NUMBER_RETIRED_KEYS. It exits 1 if
a row did not open (naming the rows): keep the retired keys until they are accounted for.

``--all`` re-seals every row and recomputes its blind index: run it after changing
ID_NUMBER_INDEX_KEY (lookups by number of rows not yet recomputed fail until it ends).
"""

from django.core.management.base import BaseCommand, CommandError

from hukou_portal.people.services import id_numbers_reseal


class Command(BaseCommand):
    help = "Re-encrypt citizen ID numbers sealed under a retired key with the current ID_NUMBER_KEY."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--all",
            action="store_true",
            dest="everything",
            help="every row, and recompute the blind index (after changing ID_NUMBER_INDEX_KEY)",
        )
        parser.add_argument("--batch-size", type=int, default=1000, help="rows per transaction (default 1000)")

    def handle(self, *args, everything: bool, batch_size: int, **options) -> None:  # type: ignore[no-untyped-def]
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        report = id_numbers_reseal(everything=everything, batch_size=batch_size)
        for label, count in report.resealed.items():
            self.stdout.write(f"{label}: {count} re-sealed")
        if report.unreadable:
            rows = "; ".join(f"{label} #{', #'.join(map(str, pks))}" for label, pks in report.unreadable.items())
            raise CommandError(f"These rows did not open with any configured key and were left as they are: {rows}")
        self.stdout.write(self.style.SUCCESS("Every citizen ID number is sealed under the current key."))
