from django import template

from hukou_portal.accounts.roles import Role

register = template.Library()


@register.filter
def role_label(value: str) -> str:
    """The translated name of a role (group name)."""
    try:
        return str(Role(value).label)
    except ValueError:
        return value
