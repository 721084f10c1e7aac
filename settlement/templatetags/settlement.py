from django import template

from settlement.labels import CHECKS, HOUSEHOLDS, RELATIONS

register = template.Library()


@register.filter
def household_label(code: str | None) -> str:
    return str(HOUSEHOLDS.get(code or "", code or ""))


@register.filter
def check_label(code: str) -> str:
    return str(CHECKS.get(code, code))


@register.filter
def relation_label(code: str) -> str:
    return str(RELATIONS.get(code, code))
