"""The request being served, as seen from anywhere (audit trail, log records).

Kept free of Django imports: the logging configuration loads it before apps are ready.
"""

import logging
from collections.abc import Callable, Hashable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip_address: str | None
    # Reference data read once per request (``request_memo``), dropped with the request.
    memo: dict[Hashable, Any] = field(default_factory=dict, compare=False, repr=False)
    # The refusals shown to the user while serving it (``core.refusals``), for the audit trail.
    refusals: list[Any] = field(default_factory=list, compare=False, repr=False)


current: ContextVar[RequestContext | None] = ContextVar("hukou_request_context", default=None)


def current_request_context() -> RequestContext | None:
    """The context of the request being served, or None outside a request (Celery, commands)."""
    return current.get()


def request_memo(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` once per request, for reference data a page would otherwise read row by
    row (a list of 50 audit events naming documents). Outside a request it computes every time,
    so a service or a task never sees an old value."""
    context = current.get()
    if context is None:
        return compute()
    if key not in context.memo:
        context.memo[key] = compute()
    return context.memo[key]  # type: ignore[no-any-return]


class RequestIdLogFilter(logging.Filter):
    """Adds ``request_id`` to every log record ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = current.get()
        record.request_id = context.request_id if context else "-"
        return True
