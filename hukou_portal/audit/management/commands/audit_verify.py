"""Walk the audit trail's hash chain: exit 0 when intact, 1 naming the first bad event.

    python manage.py audit_verify [--anchor FILE]

With ``--anchor``, also check every anchor written by ``audit_anchor``: a chain rewritten and
recomputed (even with the key) no longer has the anchored hashes.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hukou_portal.audit.services import verify_anchors, verify_chain


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain; name the first altered, removed or inserted event."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--anchor", default="", help="an anchor file written by audit_anchor to check too")

    def handle(self, *args, anchor: str, **options) -> None:  # type: ignore[no-untyped-def]
        checked, bad, why = verify_chain()
        if bad is not None:
            raise CommandError(
                f"Audit trail broken at event #{bad.pk} ({bad.action}, {bad.occurred_at:%Y-%m-%d %H:%M:%S}): "
                f"{why}. {checked} events before it are intact."
            )
        if anchor:
            path = Path(anchor)
            if not path.is_file():
                raise CommandError(f"Anchor file {path} does not exist.")
            anchors, problem = verify_anchors(path)
            if problem:
                raise CommandError(
                    f"Audit trail does not match its anchors: {problem}. {anchors} anchors matched before."
                )
            self.stdout.write(
                self.style.SUCCESS(f"Audit trail intact: {checked} events and {anchors} anchors verified.")
            )
            return
        self.stdout.write(self.style.SUCCESS(f"Audit trail intact: {checked} events verified."))
