from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hukou_portal.core.decorators import permission_needed
from hukou_portal.core.lists import bind_filter, list_table

from .filters import AuditEventFilter
from .selectors import audit_event_list
from .tables import AuditEventTable


@permission_needed("audit.view_auditevent")
def event_list(request: HttpRequest) -> HttpResponse:
    """Auditors browse and filter the trail of their offices; nobody else sees it."""
    events = bind_filter(request, AuditEventFilter, audit_event_list(user=request.user))
    table = list_table(
        request,
        AuditEventTable,
        events.filtered().select_related("case"),
        per_page=50,
        can_open_cases=request.user.has_perm("casework.view_case"),
    )
    return render(request, "audit/event_list.html", {"filter": events, "table": table, "page": table.page})
