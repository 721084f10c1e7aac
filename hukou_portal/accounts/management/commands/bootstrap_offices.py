"""First step of a real deployment: the city bureau, the county-level bureaus, one administrator.

    python manage.py bootstrap_offices --admin-username zhangsan --admin-name 张三

The password is asked for twice (or read from HUKOU_ADMIN_PASSWORD); running it again creates
nothing that exists. Police stations and further users are then added in the portal.
"""

import getpass
import os

from django.core.management.base import BaseCommand, CommandError

from hukou_portal.accounts.bootstrap import ensure_city_and_counties
from hukou_portal.accounts.models import User
from hukou_portal.accounts.roles import Role
from hukou_portal.accounts.services import user_create
from hukou_portal.core.exceptions import ApplicationError


class Command(BaseCommand):
    help = "Create the city bureau, the five county-level bureaus and a first administrator."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--admin-username", required=True)
        parser.add_argument("--admin-name", required=True)

    def handle(self, *args, admin_username: str, admin_name: str, **options) -> None:  # type: ignore[no-untyped-def]
        city, counties = ensure_city_and_counties()
        self.stdout.write(f"Offices: {city.name} and {len(counties)} county-level bureaus.")
        if User.objects.filter(username=admin_username).exists():
            self.stdout.write(f"User {admin_username} exists; nothing else to do.")
            return
        password = os.environ.get("HUKOU_ADMIN_PASSWORD") or self._ask_password()
        try:
            user_create(
                actor=None,
                username=admin_username,
                full_name=admin_name,
                office=city,
                roles=[Role.ADMINISTRATOR],
                password=password,
            )
        except ApplicationError as error:
            raise CommandError(error.message) from error
        self.stdout.write(self.style.SUCCESS(f"Administrator {admin_username} created at {city.name}."))

    def _ask_password(self) -> str:
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The passwords differ.")
        return first
