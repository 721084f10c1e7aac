from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hukou_portal.core.decorators import permission_needed

from .filters import AuditEventFilter
from .selectors import audit_event_list


@permission_needed("audit.view_auditevent")
def event_list(request: HttpRequest) -> HttpResponse:
    """Auditors browse and filter the trail of their offices; nobody else sees it."""
    events = AuditEventFilter(request.GET or None, queryset=audit_event_list(user=request.user))
    page = Paginator(events.qs.select_related("case"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/event_list.html", {"filter": events, "page": page, "querystring": query.urlencode()})
