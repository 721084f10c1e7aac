"""An export's filters in words, as the audit trail keeps them (never a full ID number)."""

import datetime as dt
from typing import Any

from django.db.models import Model
from django.http import QueryDict
from django.utils.translation import gettext as _

from hukou_portal.core.lists import ListFilterSet

from .exports import cell_words, join_words
from .kinds import ExportKind


def filters_in_words(kind: ExportKind, bound: ListFilterSet, params: QueryDict) -> str:
    """``队列：全部；状态：已受理`` — each filter used, by its label and its value as the filter
    bar shows it (an office by its name, a choice by its label, a person by name only)."""
    parts: list[str] = []
    if kind.name == "cases":
        from hukou_portal.casework.views import QUEUE_TITLES

        queue = params.get("queue", "all")
        parts.append(f"{_('Queue')}：{QUEUE_TITLES.get(queue, QUEUE_TITLES['all'])}")
    if bound.is_bound:
        for name, value in bound.form.cleaned_data.items():
            if value in (None, "", [], ()):
                continue
            field = bound.form.fields[name]
            label = _("Person") if (kind.name == "audit" and name == "person") else (field.label or name)
            parts.append(f"{label}：{_value_words(kind, name, field, value)}")
    return join_words(parts) or _("none")


def _value_words(kind: ExportKind, name: str, field: Any, value: Any) -> str:
    if kind.name == "audit" and name == "person":
        from hukou_portal.audit.filters import person_from_token
        from hukou_portal.audit.selectors import audit_person

        person_id = person_from_token(value)
        person = audit_person(person_id=person_id) if person_id else None
        return person.name if person else _("unknown")
    if isinstance(value, Model):
        return str(getattr(value, "name", None) or value)
    if isinstance(value, dt.date):
        return cell_words(value)
    if hasattr(field, "choices"):  # django-filter's choices may be lazy (a callable)
        return str(dict(iter(field.choices)).get(value, value))
    return cell_words(value)
