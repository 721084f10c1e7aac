"""How audit events read: the action's name and a field-by-field before/after."""

from hukou_portal.core.vocabulary import ChangeRow, describe_change

from .models import AuditEvent


def event_changes(event: AuditEvent) -> list[ChangeRow]:
    """The event's old and new values, each field by its label and its values in words (the
    scope is the action, so ``case.approve`` reads its fields as the case app registered)."""
    return describe_change(event.action, event.old_values or {}, event.new_values or {})
