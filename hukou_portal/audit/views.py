"""The auditors' pages: the trail, filtered (by person through a posted ID number); its export is
``/stats/export/audit.csv|xlsx`` (stats/views.py)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from hukou_portal.core.decorators import permission_needed
from hukou_portal.core.lists import CURSOR_PARAM, bind_filter, list_table
from hukou_portal.people import id_numbers

from . import services
from .filters import AuditEventFilter, person_from_token, person_token
from .selectors import audit_event_list, audit_person
from .tables import AuditEventTable


@permission_needed("audit.view_auditevent")
def event_list(request: HttpRequest) -> HttpResponse:
    """Auditors browse and filter the trail of their offices; nobody else sees it. A POST with
    a citizen ID number filters by that person: the number goes in the body, never the URL."""
    if request.method == "POST":
        return _filter_by_id_number(request)
    events = bind_filter(request, AuditEventFilter, audit_event_list(user=request.user))
    table = list_table(
        request,
        AuditEventTable,
        events.filtered().select_related("case"),
        per_page=50,
        can_open_cases=request.user.has_perm("casework.view_case"),
    )
    person_id = person_from_token(request.GET.get("person", "")) if request.GET.get("person") else None
    query = request.GET.copy()
    query.pop(CURSOR_PARAM, None)
    without_person = query.copy()
    without_person.pop("person", None)
    return render(
        request,
        "audit/event_list.html",
        {
            "filter": events,
            "table": table,
            "page": table.page,
            "person": audit_person(person_id=person_id) if person_id else None,
            "person_token_invalid": bool(request.GET.get("person")) and person_id is None,
            "without_person_query": without_person.urlencode(),
        },
    )


def _filter_by_id_number(request: HttpRequest) -> HttpResponse:
    back = request.GET.copy()
    back.pop(CURSOR_PARAM, None)
    back.pop("person", None)
    number = id_numbers.normalise(request.POST.get("id_number", ""))
    try:
        id_numbers.parse(number)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"{reverse('audit:event_list')}?{back.urlencode()}")
    person = audit_person(id_number=number)
    if person is None:
        messages.info(request, _("Nobody with this citizen ID number is recorded."))
        return redirect(f"{reverse('audit:event_list')}?{back.urlencode()}")
    services.audit_person_filtered(actor=request.user, person=person)
    back["person"] = person_token(person.pk)
    return redirect(f"{reverse('audit:event_list')}?{back.urlencode()}")


# --- export -----------------------------------------------------------------------------------


@permission_needed("audit.view_auditevent")
def event_export(request: HttpRequest) -> HttpResponse:
    """The old address of the trail's CSV export: the same as ``/stats/export/audit.csv``
    (stats/views.py), which streams it, escapes formula cells and audits it with its count."""
    from hukou_portal.stats.views import export_download

    return export_download(request, "audit", "csv")
