from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from hukou_portal.core.decorators import permission_needed

from .actions import ACTIONS
from .selectors import audit_event_list


@permission_needed("audit.view_auditevent")
def event_list(request: HttpRequest) -> HttpResponse:
    action = request.GET.get("action", "")
    if action not in ACTIONS:
        action = ""
    page = Paginator(audit_event_list(user=request.user, action=action), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/event_list.html",
        {"page": page, "action": action, "actions": sorted(ACTIONS.items())},
    )
