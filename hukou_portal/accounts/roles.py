"""The staff roles, as groups with permissions, and who may grant each. Defined here, synced on
every migrate.

| role | 中文 | may |
|---|---|---|
| counter officer | 窗口民警 | record, look up and photograph people; work cases; move household members |
| supervisor | 审批领导 | look up people and households; approve or reject |
| administrator | 系统管理员 | system administrator: offices, staff accounts, towns, calendars, parameters |
| security administrator | 安全管理员 | grants every role; resets second factors; never passwords |
| auditor | 安全审计员 | audit administrator: reads the audit trail; changes nothing, holds no other role |
| statistics analyst | 统计分析员 | reads the statistics of their subtree, figures only; at a city or county bureau |

MLPS level 3 (GB/T 22239-2019 8.1.4.2) asks that system, security and audit administration be
held by different people: ``GRANTED_BY`` and ``EXCLUSIVE_ROLES`` below are that rule as data, and
``accounts.services`` enforces it on every write (tests/accounts/test_separation_of_duties.py).
``ROLE_OFFICE_LEVELS`` keeps a role to some levels of the office tree: a statistics analyst reads
a city's or a county's figures, so no police station holds one.
"""

from typing import Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COUNTER_OFFICER = "counter_officer", _("Counter officer")
    SUPERVISOR = "supervisor", _("Supervisor")
    ADMINISTRATOR = "administrator", _("Administrator")
    SECURITY_ADMINISTRATOR = "security_administrator", _("Security administrator")
    AUDITOR = "auditor", _("Auditor")
    STATISTICIAN = "statistician", _("Statistics analyst")  # 统计分析员


ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.COUNTER_OFFICER: [
        "people.view_person",
        "people.add_person",
        "people.change_person",
        "people.view_full_id_number",
        "people.add_personphoto",  # takes the ID photo at the counter (一窗通拍)
        "people.view_household",
        "people.change_household",
        "casework.view_case",
        "casework.add_case",
        "casework.change_case",
    ],
    Role.SUPERVISOR: [
        "people.view_person",
        "people.view_full_id_number",
        "people.view_household",
        "casework.view_case",
        "casework.change_case",
        "stats.view_statistics",
    ],
    Role.ADMINISTRATOR: [
        "accounts.view_office",
        "accounts.add_office",
        "accounts.change_office",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.reset_password",
        "accounts.end_sessions",
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
        "stats.view_statistics",
    ],
    Role.SECURITY_ADMINISTRATOR: [
        "accounts.view_office",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.reset_second_factor",
        "accounts.end_sessions",
    ],
    Role.AUDITOR: [
        "audit.view_auditevent",
    ],
    # Figures only: no person, case or audit event, hence none of the list exports either
    # (stats/kinds.py gates each by its list's permission).
    Role.STATISTICIAN: [
        "stats.view_statistics",
    ],
}

# Who may grant (and take away) each role: a role is granted by an account holding one of these.
# A system administrator staffs the counters (and the analysts); the security administrator grants the
# administrative roles, so no administrator can mint an auditor or widen their own powers.
GRANTED_BY: dict[str, frozenset[str]] = {
    Role.COUNTER_OFFICER: frozenset({Role.ADMINISTRATOR, Role.SECURITY_ADMINISTRATOR}),
    Role.SUPERVISOR: frozenset({Role.ADMINISTRATOR, Role.SECURITY_ADMINISTRATOR}),
    Role.ADMINISTRATOR: frozenset({Role.SECURITY_ADMINISTRATOR}),
    Role.SECURITY_ADMINISTRATOR: frozenset({Role.SECURITY_ADMINISTRATOR}),
    Role.AUDITOR: frozenset({Role.SECURITY_ADMINISTRATOR}),
    # An analyst is staffed like an officer: reading figures widens no one's powers.
    Role.STATISTICIAN: frozenset({Role.ADMINISTRATOR, Role.SECURITY_ADMINISTRATOR}),
}

# Roles an account holds alone: the audit administrator reads what everyone else did.
SOLE_ROLES = frozenset({Role.AUDITOR})
# Roles no account holds together (the three administrators of MLPS are different people).
EXCLUSIVE_ROLES = [frozenset({Role.ADMINISTRATOR, Role.SECURITY_ADMINISTRATOR})]
# (An analyst may also be a supervisor or an administrator: the figures are theirs to read anyway.
# Not an auditor, who holds no other role.)

# Roles held only at some levels of the office tree (``Office.Level`` values), with the reason
# given when an account elsewhere would hold one.
ROLE_OFFICE_LEVELS: dict[str, frozenset[str]] = {
    Role.STATISTICIAN: frozenset({"city", "county"}),
}
_OFFICE_LEVEL_REFUSALS: dict[str, Promise] = {
    Role.STATISTICIAN: _(
        "A statistics analyst works at the city bureau or a county-level bureau, not at a police station."
    ),
}


def grantable_roles(holder_roles: frozenset[str] | set[str]) -> frozenset[str]:
    """The roles an account holding ``holder_roles`` may grant or take away."""
    return frozenset(role for role, granters in GRANTED_BY.items() if granters & holder_roles)


def role_combination_refusal(roles: set[str]) -> str | None:
    """Why no account may hold ``roles`` together, or None when it may (translated text)."""
    from django.utils.translation import gettext

    sole = roles & SOLE_ROLES
    if sole and len(roles) > 1:
        return gettext("An auditor holds no other role (separation of duties).")
    for pair in EXCLUSIVE_ROLES:
        if pair <= roles:
            return gettext("A system administrator cannot also be a security administrator (separation of duties).")
    return None


def role_office_refusal(roles: set[str] | frozenset[str], office_level: str | None) -> str | None:
    """Why an account at an office of ``office_level`` (None: no office) may not hold ``roles``,
    or None when it may (translated text)."""
    for role in sorted(roles):
        levels = ROLE_OFFICE_LEVELS.get(role)
        if levels is not None and office_level not in levels:
            return str(_OFFICE_LEVEL_REFUSALS[role])
    return None


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
