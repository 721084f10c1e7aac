"""How case fields read in the audit trail and on case pages (the portal's vocabulary)."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from hukou_portal.core.request_context import request_memo
from hukou_portal.core.vocabulary import Field, register_fields, register_terms, say

from .kinds import all_kinds, get_kind
from .models import Decision, Status, Verdict

register_terms("case_status", dict(Status.choices))
register_terms("decision", dict(Decision.choices))
register_terms("document_verdict", dict(Verdict.choices))
# The three kinds of file an upload may be (casework/uploads.py decides by the bytes).
register_terms(
    "document_file_type",
    {
        "application/pdf": _("PDF document"),
        "image/jpeg": _("JPEG image"),
        "image/png": _("PNG image"),
    },
)


def _kind_words(value: Any, record: Mapping[str, Any]) -> str:
    try:
        return str(get_kind(value).label)
    except KeyError:
        return say(value)


def _category_words(value: Any, record: Mapping[str, Any]) -> str:
    kinds = [get_kind(record["kind"])] if record.get("kind") else all_kinds()
    for kind in kinds:
        for category in kind.categories:
            if category.code == value:
                return str(category.label)
    return say(value)


def _document_names() -> dict[str, str]:
    """Every document code and its name: the first kind (and category) that knows a code names
    it. Settlement's documents are rows its administrators keep (one query per category)."""
    names: dict[str, str] = {}
    for kind in all_kinds():
        for category in kind.categories:
            for requirement in kind.required_documents(category.code):
                names.setdefault(requirement.code, str(requirement.label))
    return names


def document_words(value: Any, record: Mapping[str, Any] | None = None) -> str:
    """A document requirement's name. Read once per request: an audit page or a case timeline
    names documents row after row, and settlement's names live in the database."""
    if isinstance(value, list | tuple):
        return "、".join(document_words(item) for item in value) if value else str(_("none"))
    name = request_memo("casework.document_names", _document_names).get(value) if isinstance(value, str) else None
    return name if name is not None else say(value)


register_fields(
    "case",
    {
        "status": Field(_("Status"), "case_status"),
        "kind": Field(_("Kind"), _kind_words),
        "category": Field(_("Category"), _category_words),
        "missing_documents": Field(_("Documents missing"), document_words),
        "reason": Field(_("Reason"), "text"),
        "assigned_officer": Field(_("Assigned officer"), "text"),
        "previous_officer": Field(_("Previous officer"), "text"),
        "from_office": Field(_("From office"), "text"),
        "to_office": Field(_("To office"), "text"),
        "handover_from": Field(_("Handed over by"), "text"),
        "deadline": Field(_("Deadline"), "date"),
        "engine_eligible": Field(_("Pre-check finds the category eligible"), "bool"),
        "clause": Field(_("Clause"), "text"),
        "parameters": Field(_("Parameters used"), lambda value, record: say_parameters(value)),
        "justification": Field(_("Justification"), "text"),
    },
)


def say_parameters(values: Any) -> str:
    from hukou_portal.core.vocabulary import describe

    return describe("parameter", values) if isinstance(values, Mapping) else say(values)


def file_size_words(value: Any, record: Mapping[str, Any] | None = None) -> str:
    """A file's size as a person reads it: 391 字节, 1.2 KB, 3.4 MB."""
    try:
        size = int(value)
    except (TypeError, ValueError):
        return say(value)
    if size < 1024:
        return str(_("%(n)d bytes") % {"n": size})
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"


register_fields(
    "document",
    {
        "requirement": Field(_("Document"), document_words),
        "type": Field(_("File type"), "document_file_type"),
        "size": Field(_("Size"), file_size_words),
        "verdict": Field(_("Verdict"), "document_verdict"),
        "reason": Field(_("Reason"), "text"),
    },
)
