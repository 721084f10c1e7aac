"""Print the current TOTP code of a demo account (every account signs in with one).

    python manage.py demo_otp_code yuehe_officer

Only for accounts created by ``seed_demo``; every other account is refused, so the command
cannot stand in for a real user's authenticator app.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from hukou_portal.accounts.models import User
from hukou_portal.accounts.second_factor import current_code


class Command(BaseCommand):
    help = "Print the current second-factor code of a demo user (demo data only)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:  # type: ignore[no-untyped-def]
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("Demo data are not allowed here (DEMO_DATA_ALLOWED is off).")
        user = User.objects.filter(username=username).first()
        if user is None or not user.is_demo:
            raise CommandError(f"{username} is not a demo account created by seed_demo; refused.")
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            raise CommandError(f"{username} has no second factor (their role does not need one).")
        self.stdout.write(current_code(device))
