"""Template access to the portal's one vocabulary (``hukou_portal.core.vocabulary``)."""

from typing import Any

from django import template

from hukou_portal.core import vocabulary

register = template.Library()


@register.filter
def say(value: Any, kind: str = "text") -> str:
    """``{{ value|say:"months" }}``: a value in words by its kind."""
    return vocabulary.say(value, kind)


@register.filter
def term(code: Any, kind: str) -> str:
    """``{{ case.status|term:"case_status" }}``: a code in words."""
    return vocabulary.term(kind, code)


@register.filter
def describe(values: Any, scope: str) -> list[tuple[str, str]]:
    """``{% for label, words in values|describe:"parameter" %}``: a record, field by field."""
    return vocabulary.describe_rows(scope, values or {})


@register.filter
def event_changes(event: Any) -> list[vocabulary.ChangeRow]:
    from hukou_portal.audit.labels import event_changes as changes

    return changes(event)


@register.filter
def event_details(event: Any) -> list[vocabulary.ChangeRow]:
    from hukou_portal.audit.labels import event_details as details

    return details(event)
