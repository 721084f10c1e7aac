from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "hukou_portal.accounts"
    label = "accounts"
    verbose_name = _("Offices and accounts")

    def ready(self) -> None:
        from . import (
            receivers,  # noqa: F401  (sign-in auditing)
            session_limits,  # noqa: F401  (sessions registered at sign-in)
        )
        from .authz import connect
        from .roles import sync_roles

        connect()  # what moves a user's authz_version on

        # Roles are defined in code (roles.py); every migrate brings the groups in line.
        post_migrate.connect(sync_roles, dispatch_uid="accounts.sync_roles")
