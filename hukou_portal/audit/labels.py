"""How audit events read: the action's name and a field-by-field before/after."""

from django.utils.translation import gettext_lazy as _

from hukou_portal.core.vocabulary import ChangeRow, Field, describe_change, register_fields

from .models import AuditEvent

register_fields("audit", {"filters": Field(_("Filters"), "text")})


def event_changes(event: AuditEvent) -> list[ChangeRow]:
    """The event's old and new values, each field by its label and its values in words (the
    scope is the action, so ``case.approve`` reads its fields as the case app registered)."""
    old, new = event.old_values or {}, event.new_values or {}
    # A value recorded empty says nothing (a rejection without a justification, no clause).
    new = {key: value for key, value in new.items() if key in old or value not in ("", None, [], {})}
    return describe_change(event.action, old, new)


# What a case's timeline leaves out: the status is the action's own name.
TIMELINE_SKIPS = frozenset({"status", "kind", "category", "engine_eligible", "parameters", "clause", "type", "size"})


def event_details(event: AuditEvent) -> list[ChangeRow]:
    """The changes a case timeline shows under the action's name (the rest is in the trail)."""
    old, new = event.old_values or {}, event.new_values or {}
    rows = describe_change(
        event.action,
        {key: value for key, value in old.items() if key not in TIMELINE_SKIPS},
        {key: value for key, value in new.items() if key not in TIMELINE_SKIPS and value not in ("", None, [])},
    )
    return rows
