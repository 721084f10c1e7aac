"""Glue between forms and services (a service's refusal becomes a form error), and selects that
read their options once."""

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet

from .exceptions import ApplicationError
from .refusals import refusal_shown

T = TypeVar("T")
M = TypeVar("M", bound=Model)


def run_service(form: forms.Form, call: Callable[[], T]) -> T | None:
    """Run ``call``; on a domain refusal put its message on the form and return None.

    The service runs in its own transaction, so a refusal leaves nothing half-written; the
    refusal itself is audited after the response (``core.refusals``).
    """
    try:
        return call()
    except ApplicationError as error:
        named = error.field if error.field in form.fields else None
        refusal_shown(error, field_label=str(form.fields[named].label or named) if named else "")
        form.add_error(named, error.message)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
    return None


class ChoicesReadOnce(forms.models.ModelChoiceIterator):
    """A select's options from its queryset read once per form. Django's own iterator runs the
    query again each time the options are listed (through a server-side cursor on PostgreSQL:
    DECLARE, FETCH, CLOSE), and rendering a select lists them more than once."""

    def __iter__(self):  # type: ignore[no-untyped-def]
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:  # the field's own queryset: evaluated once, then its cache
            yield self.choice(obj)


class ModelChoiceField(forms.ModelChoiceField):
    """``forms.ModelChoiceField`` whose options are read once per form (``ChoicesReadOnce``), or
    not at all when its queryset comes ``preloaded``."""

    iterator = ChoicesReadOnce

    def _set_queryset(self, queryset: QuerySet[Any] | None) -> None:
        rows = getattr(queryset, "_result_cache", None)
        super()._set_queryset(queryset)  # stores a copy (``.all()``), which has not read them
        if rows is not None:
            preloaded(self._queryset, rows)

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def __deepcopy__(self, memo: dict[int, Any]) -> "ModelChoiceField":
        """A form copies its fields (a filter's, made for this request, with its rows)."""
        result = super().__deepcopy__(memo)
        rows = getattr(self._queryset, "_result_cache", None)
        if rows is not None and result._queryset is not None:
            preloaded(result._queryset, rows)
        return result


def preloaded(queryset: QuerySet[M], rows: list[M]) -> QuerySet[M]:
    """``queryset`` whose rows are already read (``rows``, e.g. a list kept for the request or in
    the cache): a select offering them (``ModelChoiceField`` above) reads nothing, and validating
    a submitted choice still asks the database through ``queryset``."""
    queryset._result_cache = rows  # what evaluating it would have stored (as prefetch_related does)
    queryset._prefetch_done = True
    return queryset
