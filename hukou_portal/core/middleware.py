"""Request context (a request id and the client address, for the audit trail and the logs),
and the guard that keeps citizen ID numbers out of web addresses."""

import uuid
from collections.abc import Callable

from axes.helpers import get_client_ip_address
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils.translation import gettext_lazy

from .redaction import contains_id_number, spelled_id_number
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


# Said of every page, including the lists whose filter bars take free text.
ID_NUMBER_IN_ADDRESS = gettext_lazy(
    "Find a citizen ID number with the search box at the top of the page: it keeps the number out of the address bar."
)


def _carries_id_number(text: str) -> bool:
    return contains_id_number(text) or spelled_id_number(text.strip()) is not None


class IdNumbersStayOutOfAddressesMiddleware:
    """A citizen ID number in a query string is never used, and never passed on.

    Whoever sends ``/people/?q=330502…`` (typed, bookmarked, an old link) has already put the
    number into the browser history and the access log; the portal must not make it worse by
    serving a page built on it, echoing it into a form, or carrying it on in a ``next=`` or a
    pagination link. So any parameter (name or value) carrying an ID number, however spaced or
    hyphenated, is dropped before a view sees the request: a GET or HEAD is redirected to the
    same page without it, with a message pointing to the header search (which POSTs); any other
    method gets 303 to that page, the API a 400. What stays in the logs is masked by
    ``core.redaction.RedactIdNumbersLogFilter``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.GET:
            return self.get_response(request)
        kept = request.GET.copy()
        for name, values in request.GET.lists():
            if _carries_id_number(name) or any(_carries_id_number(value) for value in values):
                del kept[name]
        if len(kept) == len(request.GET):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": str(ID_NUMBER_IN_ADDRESS)}, status=400)
        messages.error(request, ID_NUMBER_IN_ADDRESS)
        target = f"{request.path}?{kept.urlencode()}" if kept else request.path
        status = 302 if request.method in ("GET", "HEAD") else 303
        return HttpResponseRedirect(target, status=status)
