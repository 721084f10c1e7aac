"""How audit events read: the action's name and a field-by-field before/after."""

from django.utils.translation import gettext_lazy as _

from hukou_portal.core.vocabulary import ChangeRow, Field, describe_change, register_fields, register_terms

from .models import AuditEvent, Outcome

register_fields("audit", {"filters": Field(_("Filters"), "text")})
register_terms("audit_outcome", dict(Outcome.choices))
register_terms(
    "http_status",
    {
        "403": _("403 — not allowed"),
        "404": _("404 — not found, or outside the user's offices"),
        "429": _("429 — too many requests"),
    },
)
# Denied accesses and refused actions (audit/middleware.py): the request, never its query string.
_REQUEST_FIELDS = {
    "path": Field(_("Address requested"), "text"),
    "method": Field(_("Method"), "text"),
    "status": Field(_("Answer"), "http_status"),
}
register_fields("access", _REQUEST_FIELDS)
register_fields(
    "access.denials_suppressed",
    {
        "suppressed": Field(_("Denied accesses not recorded one by one"), "text"),
        "window_from": Field(_("Counted from"), "text"),
        "window_until": Field(_("Counted until"), "text"),
    },
)
register_fields(
    "action.refused",
    {**_REQUEST_FIELDS, "reason": Field(_("Refusal shown"), "text"), "field": Field(_("Field"), "text")},
)


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
