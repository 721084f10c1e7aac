"""Request context: a request id and the client address, for the audit trail and the logs."""

import uuid
from collections.abc import Callable

from axes.helpers import get_client_ip_address
from django.http import HttpRequest, HttpResponse

from .request_context import RequestContext, current


class RequestContextMiddleware:
    """Give every request an id (echoed in ``X-Request-ID``) and remember its client address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The same resolution django-axes uses, so the audit trail and the lockouts agree.
        context = RequestContext(request_id=uuid.uuid4().hex, ip_address=get_client_ip_address(request))
        request.request_id = context.request_id  # type: ignore[attr-defined]
        token = current.set(context)
        try:
            response = self.get_response(request)
        finally:
            current.reset(token)
        response["X-Request-ID"] = context.request_id
        return response
