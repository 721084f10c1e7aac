"""The request being served, as seen from anywhere (audit trail, log records).

Kept free of Django imports: the logging configuration loads it before apps are ready.
"""

import logging
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str
    ip_address: str | None


current: ContextVar[RequestContext | None] = ContextVar("hukou_request_context", default=None)


def current_request_context() -> RequestContext | None:
    """The context of the request being served, or None outside a request (Celery, commands)."""
    return current.get()


class RequestIdLogFilter(logging.Filter):
    """Adds ``request_id`` to every log record ("-" outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = current.get()
        record.request_id = context.request_id if context else "-"
        return True
