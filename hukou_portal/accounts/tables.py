"""Tables of the administrators' lists: users (keyset pages) and offices (a small tree)."""

from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from hukou_portal.core.lists import NOWRAP, ListTable

from .models import Office, User
from .roles import Role


def _status(active: bool) -> str:
    if active:
        return format_html('<span class="badge text-bg-success">{}</span>', _("Active"))
    return format_html('<span class="badge text-bg-secondary">{}</span>', _("Inactive"))


def _row_muted(record: Any) -> str:
    return "" if record.is_active else "text-muted"


class UserTable(ListTable):
    # What the person types to sign in: shown as it is, not translated.
    username = tables.Column(
        verbose_name=_("Username"), attrs={**NOWRAP, "td": {"class": "text-nowrap", "translate": "no"}}
    )
    full_name = tables.Column(verbose_name=_("Full name"), attrs=NOWRAP)
    office = tables.Column(verbose_name=_("Office"), accessor="office__name", attrs=NOWRAP)
    roles = tables.Column(verbose_name=_("Roles"), accessor="pk", attrs=NOWRAP)  # not User.roles: a query a row
    status = tables.Column(verbose_name=_("Status"), accessor="is_active", attrs=NOWRAP)
    edit = tables.Column(verbose_name="", empty_values=(), attrs=NOWRAP)

    orderings = {"username": ("username", "id")}
    default_sort = "username"

    class Meta(ListTable.Meta):
        attrs = {"class": "table table-sm align-middle list-table", "data-testid": "users"}
        row_attrs = {"class": _row_muted}
        empty_text = _("No users.")

    def __init__(self, *args: Any, can_edit: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.can_edit = can_edit

    def render_roles(self, record: User) -> str:
        labels = []
        for group in record.groups.all():  # prefetched: one query for the page
            try:
                labels.append(str(Role(group.name).label))
            except ValueError:
                labels.append(group.name)
        return "、".join(labels) or "—"

    def render_status(self, record: User) -> str:
        return _status(record.is_active)

    def render_edit(self, record: User) -> str:
        if not self.can_edit:
            return ""
        return format_html('<a href="{}">{}</a>', reverse("accounts:user_update", args=[record.pk]), _("Edit"))


def _depth_class(record: Office) -> str:
    return f"text-nowrap office-depth-{record.depth}"


class OfficeTable(ListTable):
    """Offices in their tree order (the materialised path); small by construction, so it pages
    with tables2's LazyPaginator and sorts only by the tree."""

    name = tables.Column(verbose_name=_("Name"), attrs={"th": {"class": "text-nowrap"}, "td": {"class": _depth_class}})
    code = tables.Column(
        verbose_name=_("Office code"),
        attrs={**NOWRAP, "td": {"class": "text-nowrap font-monospace", "translate": "no"}},
    )
    level = tables.Column(verbose_name=_("Level"), attrs=NOWRAP)
    area_code = tables.Column(verbose_name=_("Area"), attrs=NOWRAP)
    status = tables.Column(verbose_name=_("Status"), accessor="is_active", attrs=NOWRAP)
    edit = tables.Column(verbose_name="", empty_values=(), attrs=NOWRAP)

    class Meta(ListTable.Meta):
        attrs = {"class": "table table-sm align-middle list-table", "data-testid": "offices"}
        row_attrs = {"class": _row_muted}
        empty_text = _("No offices.")

    def __init__(self, *args: Any, can_edit: bool, area_names: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.can_edit = can_edit
        self.area_names = area_names

    def render_area_code(self, record: Office) -> str:
        name = self.area_names.get(record.area_code)
        if name is None:
            return record.area_code
        return format_html('{} <code class="small text-muted">{}</code>', name, record.area_code)

    def render_level(self, record: Office) -> str:
        return record.get_level_display()

    def render_status(self, record: Office) -> str:
        return _status(record.is_active)

    def render_edit(self, record: Office) -> str:
        if not self.can_edit:
            return ""
        return format_html('<a href="{}">{}</a>', reverse("accounts:office_update", args=[record.pk]), _("Edit"))
