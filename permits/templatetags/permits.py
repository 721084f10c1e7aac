from typing import Any

from django import template
from django.utils.translation import gettext as _

from hukou_portal.core.vocabulary import CheckGroup, explain_checks
from permits.labels import CONDITIONS

register = template.Library()


@register.simple_tag
def permit_conditions(checks: dict[str, Any] | None) -> list[CheckGroup]:
    """``{% permit_conditions checks as groups %}``: R3.1/R3.2's checks in words, the three
    conditions gathered as alternatives of which one suffices."""
    if not checks:
        return []
    return explain_checks("permits", checks.get("checks", []), CONDITIONS, _("One of the three conditions is enough"))
