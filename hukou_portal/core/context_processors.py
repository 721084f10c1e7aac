"""The navigation bar: each entry shows only to users whose role grants its permission."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    permission: str | None


NAVIGATION = [
    NavItem(_("Home"), "core:home", None),
    NavItem(_("Cases"), "casework:case_queue", "casework.view_case"),
    NavItem(_("People"), "people:person_list", "people.view_person"),
    NavItem(_("Residence permits"), "permits:permit_list", "people.view_person"),
    NavItem(_("Lease filings"), "registration:lease_filing_list", "people.view_person"),
    NavItem(_("Residence registrations"), "registration:registration_list", "people.view_person"),
    NavItem(_("Coming milestones"), "notifications:worklist", "people.view_person"),
    NavItem(_("Offices"), "accounts:office_list", "accounts.view_office"),
    NavItem(_("Users"), "accounts:user_list", "accounts.view_user"),
    NavItem(_("Towns and sub-districts"), "people:town_list", "people.view_town"),
    NavItem(_("Working-day calendar"), "rules:calendar", "rules.view_calendarday"),
    NavItem(_("Rule parameters"), "rules:parameter_list", "rules.view_ruleparametervalue"),
    NavItem(_("Settlement documents"), "settlement:documents", "settlement.view_settlementdocument"),
    NavItem(_("Schedules"), "notifications:schedules", "django_celery_beat.view_periodictask"),
    NavItem(_("Reminder texts"), "notifications:message_templates", "notifications.view_messagetemplate"),
    NavItem(_("Audit trail"), "audit:event_list", "audit.view_auditevent"),
]


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    if user.requires_second_factor and not user.is_verified():
        return {"navigation": []}
    current = request.resolver_match.view_name if request.resolver_match else ""
    items = [
        {"label": item.label, "url": reverse(item.url_name), "active": current == item.url_name}
        for item in NAVIGATION
        if item.permission is None or user.has_perm(item.permission)
    ]
    from hukou_portal.notifications.selectors import unread_count

    return {"navigation": items, "unread_reminders": unread_count(user=user)}
