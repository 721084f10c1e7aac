"""List the accounts whose roles break the separation of duties, exit 1 if there are any.

    python manage.py check_separation_of_duties

The services refuse such combinations from now on, but accounts written before the rules
tightened (an officer who was also made an auditor) keep their roles until a security
administrator changes them: run this after upgrading, and fix what it lists. An account holding
a role its office's level may not hold (a statistics analyst at a police station) is listed too.
"""

from django.core.management.base import BaseCommand, CommandError

from hukou_portal.accounts.models import User
from hukou_portal.accounts.roles import role_combination_refusal, role_office_refusal


class Command(BaseCommand):
    help = "List accounts holding roles nobody may hold together; exit 1 if any."

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        offending = 0
        for user in User.objects.filter(is_active=True).select_related("office").prefetch_related("groups"):
            roles = {group.name for group in user.groups.all()}
            why = role_combination_refusal(roles) or role_office_refusal(
                roles, user.office.level if user.office else None
            )
            if why is not None:
                offending += 1
                office = user.office.name if user.office else "-"
                self.stdout.write(f"{user.username}\t{office}\t{','.join(sorted(roles))}\t{why}")
        if offending:
            raise CommandError(f"{offending} account(s) break the separation of duties.")
        self.stdout.write("Every active account's roles respect the separation of duties.")
