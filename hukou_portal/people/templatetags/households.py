"""Template helpers of the household pages."""

from typing import Any

from django import template

from hukou_portal.accounts.selectors import office_may_see

register = template.Library()


@register.filter
def household_visible(household: Any, user: Any) -> bool:
    """``{% if household|household_visible:user %}``: link the household's page only for users
    of its office tree (the page answers 404 to everyone else). ``household.office`` is loaded
    with it by the selectors that list households."""
    return household is not None and office_may_see(user=user, office=household.office)
