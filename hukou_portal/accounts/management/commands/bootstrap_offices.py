"""First step of a real deployment: the city bureau, the county-level bureaus, and the first
system administrator and security administrator (two people: MLPS separation of duties).

    python manage.py bootstrap_offices --admin-username zhangsan --admin-name 张三 \\
        --security-username lisi --security-name 李四

Each password is asked for twice (or read from HUKOU_ADMIN_PASSWORD / HUKOU_SECURITY_PASSWORD);
running it again creates nothing that exists. The system administrator then adds stations and
staff accounts; the security administrator grants administrative roles and creates auditors.
"""

import getpass
import os

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from hukou_portal.accounts.bootstrap import ensure_city_and_counties
from hukou_portal.accounts.models import Office, User
from hukou_portal.accounts.roles import Role
from hukou_portal.accounts.services import user_create
from hukou_portal.core.exceptions import ApplicationError


class Command(BaseCommand):
    help = "Create the city bureau, the five county-level bureaus, a system and a security administrator."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--admin-username", required=True)
        parser.add_argument("--admin-name", required=True)
        parser.add_argument("--security-username", required=True)
        parser.add_argument("--security-name", required=True)

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        if options["admin_username"].lower() == options["security_username"].lower():
            raise CommandError("The system and the security administrator are two different accounts.")
        with transaction.atomic():
            city, counties = ensure_city_and_counties()
            self.stdout.write(f"Offices: {city.name} and {len(counties)} county-level bureaus.")
            for username, name, role, variable in [
                (options["admin_username"], options["admin_name"], Role.ADMINISTRATOR, "HUKOU_ADMIN_PASSWORD"),
                (
                    options["security_username"],
                    options["security_name"],
                    Role.SECURITY_ADMINISTRATOR,
                    "HUKOU_SECURITY_PASSWORD",
                ),
            ]:
                self._ensure(city, username, name, role, variable)

    def _ensure(self, city: Office, username: str, name: str, role: str, variable: str) -> None:
        label = Role(role).label
        if User.objects.filter(username__iexact=username).exists():
            self.stdout.write(f"User {username} exists; left as it is.")
            return
        password = os.environ.get(variable) or self._ask_password(username)
        try:
            user_create(actor=None, username=username, full_name=name, office=city, roles=[role], password=password)
        except ApplicationError as error:
            raise CommandError(f"{username}: {error.message}") from error
        self.stdout.write(self.style.SUCCESS(f"{label} {username} created at {city.name}."))

    def _ask_password(self, username: str) -> str:
        first = getpass.getpass(f"Password for {username}: ")
        if first != getpass.getpass(f"Password for {username} (again): "):
            raise CommandError("The passwords differ.")
        return first
