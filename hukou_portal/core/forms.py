"""Glue between forms and services: a service's refusal becomes a form error."""

from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.core.exceptions import ValidationError

from .exceptions import ApplicationError
from .refusals import refusal_shown

T = TypeVar("T")


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
    """``forms.ModelChoiceField`` whose options are read once per form (``ChoicesReadOnce``)."""

    iterator = ChoicesReadOnce
