"""The auditors' pages: the trail, filtered (by person through a posted ID number), and its CSV
export — the same filters, streamed, the export itself audited."""

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hukou_portal.core.decorators import permission_needed
from hukou_portal.core.lists import CURSOR_PARAM, bind_filter, list_table
from hukou_portal.core.vocabulary import describe_change, term
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
            "export_query": query.urlencode(),
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


# --- CSV export -------------------------------------------------------------------------------

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> str:
    """A value as a CSV cell that no spreadsheet runs: a leading ' before a formula start."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class _Echo:
    """A file-like object whose ``write`` returns the line, for a streamed csv.writer."""

    def write(self, value: str) -> str:
        return value


def _export_rows(events: Any) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # BOM: Excel opens the file as UTF-8
    yield writer.writerow(
        [
            _("Time"),
            _("Action"),
            _("Outcome"),
            _("Actor"),
            _("Username"),
            _("Office"),
            _("Case"),
            _("Object"),
            _("Change"),
            _("Note"),
            _("IP address"),
            _("Request id"),
        ]
    )
    for event in events.iterator(chunk_size=2000):
        changes = "；".join(
            f"{row.label}：{row.before} → {row.after}" if row.changed else f"{row.label}：{row.after or row.before}"
            for row in describe_change(event.action, event.old_values or {}, event.new_values or {})
        )
        yield writer.writerow(
            [
                csv_cell(f"{timezone.localtime(event.occurred_at):%Y-%m-%d %H:%M:%S}"),
                csv_cell(event.action_label),
                csv_cell(term("audit_outcome", event.outcome)),
                csv_cell(event.actor.get_full_name() if event.actor else _("System")),
                csv_cell(event.actor.username if event.actor else ""),
                csv_cell(event.actor_office.name if event.actor_office else ""),
                csv_cell(event.case.reference if event.case else ""),
                csv_cell(event.object_repr),
                csv_cell(changes),
                csv_cell(event.note),
                csv_cell(event.ip_address or ""),
                csv_cell(event.request_id),
            ]
        )


@permission_needed("audit.view_auditevent")
def event_export(request: HttpRequest) -> HttpResponse:
    """The filtered trail as CSV, streamed (constant memory at any size). The export is itself
    an audit event, naming the filters it used."""
    events = bind_filter(request, AuditEventFilter, audit_event_list(user=request.user))
    if events.is_bound and not events.is_valid():
        messages.error(request, _("Correct the filters before exporting."))
        return redirect(f"{reverse('audit:event_list')}?{request.GET.urlencode()}")
    services.audit_exported(actor=request.user, filters=_filters_in_words(events))
    rows = events.filtered().select_related("actor", "actor_office", "case").order_by("-occurred_at", "-id")
    response = StreamingHttpResponse(_export_rows(rows), content_type="text/csv; charset=utf-8")
    stamp = f"{timezone.localtime():%Y%m%d-%H%M%S}"
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _filters_in_words(events: AuditEventFilter) -> str:
    """The export's filters as an auditor reads them (the person by name, never a number)."""
    if not events.is_bound:
        return _("none")
    parts = []
    for name, value in events.form.cleaned_data.items():
        if value in (None, "", []):
            continue
        field = events.form.fields[name]
        if name == "person":
            person_id = person_from_token(value)
            person = audit_person(person_id=person_id) if person_id else None
            parts.append(f"{_('Person')}：{person.name if person else _('unknown')}")
            continue
        shown = dict(getattr(field, "choices", [])).get(value, value)
        parts.append(f"{field.label}：{shown}")
    return "；".join(str(part) for part in parts) or _("none")
