"""The four staff roles, as groups with permissions. Defined here, synced on every migrate.

| role | 中文 | may |
|---|---|---|
| counter officer | 窗口民警 | record and look up people; (later) take in and process cases |
| supervisor | 审批领导 | look up people; (later) approve or reject |
| administrator | 系统管理员 | manage offices, users and towns; never the audit trail |
| auditor | 安全审计员 | read the audit trail; change nothing |
"""

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COUNTER_OFFICER = "counter_officer", _("Counter officer")
    SUPERVISOR = "supervisor", _("Supervisor")
    ADMINISTRATOR = "administrator", _("Administrator")
    AUDITOR = "auditor", _("Auditor")


ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.COUNTER_OFFICER: [
        "people.view_person",
        "people.add_person",
        "people.change_person",
        "people.view_full_id_number",
        "casework.view_case",
        "casework.add_case",
        "casework.change_case",
    ],
    Role.SUPERVISOR: [
        "people.view_person",
        "people.view_full_id_number",
        "casework.view_case",
        "casework.change_case",
    ],
    Role.ADMINISTRATOR: [
        "accounts.view_office",
        "accounts.add_office",
        "accounts.change_office",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "people.view_town",
        "people.change_town",
        "rules.view_calendarday",
        "rules.add_calendarday",
        "rules.delete_calendarday",
        "rules.add_calendaryear",
        "rules.view_ruleparametervalue",
        "rules.add_ruleparametervalue",
        "settlement.view_settlementdocument",
        "settlement.change_settlementdocument",
        "django_celery_beat.view_periodictask",
        "django_celery_beat.change_periodictask",
        "notifications.view_messagetemplate",
        "notifications.change_messagetemplate",
    ],
    Role.AUDITOR: [
        "audit.view_auditevent",
    ],
}

# Roles whose sign-in needs a TOTP code as well as the password.
SECOND_FACTOR_ROLES = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR})

# Separation of duties: no account holds both roles of a pair.
EXCLUSIVE_ROLES = [frozenset({Role.ADMINISTRATOR, Role.AUDITOR})]


def sync_roles(*args: Any, using: str = "default", **kwargs: Any) -> None:
    """Create the role groups and give each exactly the permissions above (post_migrate)."""
    from django.contrib.auth.models import Group, Permission

    wanted = {perm for perms in ROLE_PERMISSIONS.values() for perm in perms}
    available = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.using(using).select_related("content_type")
    }
    if not wanted <= available.keys():
        return  # an app is not migrated yet; a later post_migrate completes the sync
    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=role)
        group.permissions.set([available[p] for p in perms])
