"""The navigation bar: entries grouped in dropdowns (业务 / 人口 / 管理 / 审计), each entry shown
only to users whose role grants its permission. A group with one entry for the user shows as a
plain link; a group with none is left out. The bar fits one line at 1024 px for every role."""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    permission: str | None
    hint: str | Promise = ""  # one line on the home page: what the page is for
    # Other pages that belong to this entry: view names, or "namespace:" for a whole app.
    also: tuple[str, ...] = ()

    def is_current(self, view_name: str) -> bool:
        if not view_name:
            return False
        return view_name == self.url_name or any(
            view_name.startswith(other) if other.endswith(":") else view_name == other for other in self.also
        )


@dataclass(frozen=True)
class NavGroup:
    code: str
    label: str | Promise
    items: tuple[NavItem, ...]


HOME = NavItem(_("Home"), "core:home", None)

NAVIGATION: list[NavGroup] = [
    NavGroup(
        "work",
        _("Work"),
        (
            NavItem(
                _("Cases"),
                "casework:case_queue",
                "casework.view_case",
                _("Queues, intake and every case's page."),
                also=("casework:", "settlement:receipt", "settlement:notice"),
            ),
            NavItem(
                _("Coming milestones"),
                "notifications:worklist",
                "people.view_person",
                _("Permits and lease filings reaching their milestone in the next 30 days."),
            ),
        ),
    ),
    NavGroup(
        "population",
        _("Population"),
        (
            NavItem(
                _("People"),
                "people:person_list",
                "people.view_person",
                _("Find a person and open their file."),
                also=("people:person_detail", "people:person_create", "registration:elsewhere_create"),
            ),
            NavItem(
                _("City register lookup"),
                "people:person_lookup",
                "people.view_person",
                _("Find anyone of Huzhou by full ID number, giving a reason, and serve them here."),
            ),
            NavItem(
                _("Households"),
                "people:household_list",
                "people.view_household",
                _("Households (户), their members with history, and the 户口簿 pages."),
                also=(
                    "people:household_detail",
                    "people:household_register_card",
                    "people:household_member_move",
                    "people:household_member_move_out",
                    "people:move_in_permit",
                    "people:move_in_permit_confirm",
                ),
            ),
            NavItem(
                _("Residence registrations"),
                "registration:registration_list",
                "people.view_person",
                _("Residence registrations declared, changed and cancelled."),
            ),
            NavItem(
                _("Residence permits"),
                "permits:permit_list",
                "people.view_person",
                _("Issued permits, their 签注 and electronic permits."),
                also=("permits:permit_detail", "permits:permit_card"),
            ),
            NavItem(
                _("Lease filings"),
                "registration:lease_filing_list",
                "people.view_person",
                _("Leases filed with the construction department."),
                also=("registration:lease_filing_create",),
            ),
        ),
    ),
    NavGroup(
        "admin",
        _("Administration"),
        (
            NavItem(
                _("Users"),
                "accounts:user_list",
                "accounts.view_user",
                _("Staff accounts, roles and second factors."),
                also=("accounts:user_create", "accounts:user_update"),
            ),
            NavItem(
                _("Offices"),
                "accounts:office_list",
                "accounts.view_office",
                _("The office tree."),
                also=("accounts:office_create", "accounts:office_update"),
            ),
            NavItem(
                _("Towns and sub-districts"),
                "people:town_list",
                "people.view_town",
                _("Which towns and sub-districts are urban areas, and the police station of each."),
                also=("people:town_update",),
            ),
            NavItem(
                _("Working-day calendar"),
                "rules:calendar",
                "rules.view_calendarday",
                _("Holidays and make-up working days that deadlines count."),
            ),
            NavItem(
                _("Rule parameters"),
                "rules:parameter_list",
                "rules.view_ruleparametervalue",
                _("The numbers of the policy, with the day each takes effect."),
                also=("rules:parameter_detail",),
            ),
            NavItem(
                _("Settlement documents"),
                "settlement:documents",
                "settlement.view_settlementdocument",
                _("The documents each settlement category requires."),
            ),
            NavItem(
                _("Schedules"),
                "notifications:schedules",
                "django_celery_beat.view_periodictask",
                _("When the nightly jobs run."),
            ),
            NavItem(
                _("Reminder texts"),
                "notifications:message_templates",
                "notifications.view_messagetemplate",
                _("The words of each SMS and inbox reminder."),
            ),
        ),
    ),
    NavGroup(
        "statistics",
        pgettext_lazy("navigation", "Statistics"),
        (
            NavItem(
                pgettext_lazy("navigation", "Statistics"),
                "stats:dashboard",
                "stats.view_statistics",
                _("Settlements, processing times, registrations and permits by month, area and town (E1)."),
                also=("stats:",),
            ),
        ),
    ),
    NavGroup(
        "audit",
        _("Audit"),
        (
            NavItem(
                _("Audit trail"),
                "audit:event_list",
                "audit.view_auditevent",
                _("Every action and every view of personal data."),
            ),
        ),
    ),
]


def _entry(item: NavItem, current: str) -> dict[str, Any]:
    return {"label": item.label, "url": reverse(item.url_name), "active": item.is_current(current), "hint": item.hint}


def navigation_for(user: Any, current: str = "") -> list[dict[str, Any]]:
    """The bar for ``user``: Home, then each group with the entries the user may open. A group
    is marked active when the current page belongs to one of its entries."""
    entries: list[dict[str, Any]] = [_entry(HOME, current)]
    for group in NAVIGATION:
        items = [
            _entry(item, current) for item in group.items if item.permission is None or user.has_perm(item.permission)
        ]
        if not items:
            continue
        if len(items) == 1:
            entries.append({**items[0], "group": group.code, "group_label": group.label})
        else:
            active = any(item["active"] for item in items)
            entries.append({"label": group.label, "code": group.code, "entries": items, "active": active})
    return entries


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    if not user.is_verified():
        return {"navigation": []}
    from hukou_portal.core.request_context import request_memo
    from hukou_portal.core.today import capped_count
    from hukou_portal.notifications.selectors import inbox_for_user

    current = request.resolver_match.view_name if request.resolver_match else ""
    # Once per request, however many templates of the page are rendered with it.
    unread = request_memo(
        ("navigation.unread", user.pk), lambda: capped_count(inbox_for_user(user=user).filter(read_at__isnull=True))
    )
    return {"navigation": navigation_for(user, current), "unread_reminders": str(unread) if unread.count else ""}
