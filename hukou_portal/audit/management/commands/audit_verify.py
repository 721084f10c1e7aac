"""Walk the audit trail's hash chain: exit 0 when intact, 1 naming the first bad event.

python manage.py audit_verify
"""

from django.core.management.base import BaseCommand, CommandError

from hukou_portal.audit.services import verify_chain


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain; name the first altered, removed or inserted event."

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        checked, bad, why = verify_chain()
        if bad is not None:
            raise CommandError(
                f"Audit trail broken at event #{bad.pk} ({bad.action}, {bad.occurred_at:%Y-%m-%d %H:%M:%S}): "
                f"{why}. {checked} events before it are intact."
            )
        self.stdout.write(self.style.SUCCESS(f"Audit trail intact: {checked} events verified."))
