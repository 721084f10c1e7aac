"""A service's refusal that reaches the user is a security event (MLPS 8.1.4.3): the audit trail
records it, once per request, as ``action.refused``.

The places that turn an ``ApplicationError`` into what the user reads (``run_service``, a view's
``except ApplicationError``) call ``refusal_shown`` — or ``refusal_message``, which also puts the
message on the page. They only note it on the request being served; the audit middleware
(``audit/middleware.py``) writes the event after the response, outside every transaction the
view held, so the rollback of the refused write does not take the record of the refusal with it.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest

from .exceptions import ApplicationError
from .request_context import current_request_context


@dataclass(frozen=True)
class Refusal:
    message: str
    field: str  # the form field it names, by its label where a form is at hand; "" for none
    outcome: str  # audit.models.Outcome: "denied" or "failed"


def refusal_shown(error: ApplicationError, *, field_label: str = "") -> None:
    """Note that ``error`` was shown to the user of this request (outside a request: nothing)."""
    context = current_request_context()
    if context is None:
        return
    field = field_label or error.field or ""
    context.refusals.append(Refusal(message=str(error.message), field=str(field), outcome=error.audit_outcome))


def refusal_message(request: HttpRequest, error: ApplicationError) -> None:
    """The usual way a view shows a refusal: a message on the next page, and noted for audit."""
    refusal_shown(error)
    messages.error(request, error.message)


def refusals_of_this_request() -> list[Refusal]:
    context = current_request_context()
    return list(context.refusals) if context is not None else []
