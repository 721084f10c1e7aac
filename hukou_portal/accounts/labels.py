"""How office and account fields read in the audit trail (the portal's vocabulary)."""

from collections.abc import Mapping
from typing import Any

from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from hukou_portal.core.vocabulary import Field, register_fields, register_terms, say

from .models import Office
from .roles import Role

register_terms("office_level", dict(Office.Level.choices))
register_terms("role", dict(Role.choices))


def office_name(code: Any, record: Mapping[str, Any] | None = None) -> str:
    """An office code as the office's name (the few offices are cached for five minutes)."""
    if not code:
        return say(None)
    names = cache.get_or_set("vocabulary:office-names", lambda: dict(Office.objects.values_list("code", "name")), 300)
    return names.get(code) or str(code)


register_fields(
    "office",
    {
        "code": Field(_("Office code"), "text"),
        "name": Field(_("Name"), "text"),
        "level": Field(_("Level"), "office_level"),
        "area_code": Field(_("County-level area"), "full_area"),
        "is_active": Field(_("Active"), "bool"),
    },
)
register_fields(
    "user",
    {
        "username": Field(_("User name"), "text"),
        "full_name": Field(_("Full name"), "text"),
        "email": Field(_("E-mail"), "text"),
        "office": Field(_("Office"), office_name),
        "roles": Field(_("Roles"), "role"),
        "is_active": Field(_("Active"), "bool"),
    },
)
register_fields("auth", {"username": Field(_("User name tried"), "text")})
