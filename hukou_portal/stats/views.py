"""Export views: a list, with the filters of its page, as CSV (streamed) or XLSX.

``/stats/export/<kind>.<format>?<the list page's query string>``. The same scoped selector
and FilterSet as the page (``kinds.py``), so an export never holds a row the page would not
show; a filter value the page would refuse (another office's id) refuses the export. Limited
per user (``RATE_LIMITS["export"]``), and every export is audited with its filters and row
count once it has finished (``services.export_recorded``).
"""

from collections.abc import Iterator

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from hukou_portal.core import request_context
from hukou_portal.core.throttling import PortalRateThrottle, rate_limited_response

from . import services
from .describe import filters_in_words
from .exports import CONTENT_TYPES, FORMATS, Export, csv_chunks, xlsx_temporary
from .kinds import ExportKind, Scope, export_kind


def scope_of(request: HttpRequest) -> Scope:
    user = request.user
    return Scope(
        user=user,  # type: ignore[arg-type]
        full_id_numbers=user.has_perm("people.view_full_id_number"),
        today=timezone.localdate(),
    )


@never_cache
@login_required
def export_download(request: HttpRequest, kind: str, file_format: str) -> HttpResponse:
    spec = export_kind(kind)
    if spec is None or file_format not in FORMATS:
        raise Http404
    if not spec.may_export(request.user):
        raise PermissionDenied
    throttle = PortalRateThrottle(scope="export", per="user")
    if not throttle.allow_request(request, None):
        return rate_limited_response(request, throttle.wait())
    scope = scope_of(request)
    bound = spec.bind(scope, request.GET, request)
    if bound.is_bound and not bound.is_valid():
        messages.error(request, _("Correct the filters before exporting."))
        return redirect(_list_url(spec, request))
    export = spec.export(scope, spec.ordered(bound.filtered(), request.GET))
    filters = filters_in_words(spec, bound, request.GET)
    stamp = f"{timezone.localtime():%Y%m%d-%H%M%S}"
    filename = f"{spec.name}-{stamp}.{file_format}"
    if file_format == "xlsx":
        response: HttpResponse = _xlsx_response(request, spec, export, filters, scope, filename)
    else:
        response = StreamingHttpResponse(
            _audited_csv(request, spec, export, filters, scope), content_type=CONTENT_TYPES["csv"]
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _list_url(spec: ExportKind, request: HttpRequest) -> str:
    query = request.GET.copy()
    if spec.name == "cases":
        queue = query.pop("queue", ["all"])[0]
        return f"{reverse('casework:case_queue_named', args=[queue])}?{query.urlencode()}"
    return f"{reverse(spec.list_url)}?{query.urlencode()}"


def _audited_csv(request: HttpRequest, spec: ExportKind, export: Export, filters: str, scope: Scope) -> Iterator[str]:
    """The CSV chunks, then the audit event with the number of rows sent.

    The generator runs after the view has returned (while the server sends the response), so it
    takes the request's language and context (request id, address) along. The event is written
    in its own transaction after the rows' transaction has ended: when the last row has gone
    out, or — the client went away or the database failed — as a failed export with the rows
    produced until then (``finally``)."""
    language = translation.get_language()
    context = request_context.current_request_context()
    user = request.user
    complete = False
    try:
        with translation.override(language):
            yield from csv_chunks(export)
        complete = True
    finally:
        token = request_context.current.set(context)
        try:
            with translation.override(language):
                services.export_recorded(
                    actor=user,
                    kind=spec.name,
                    file_format="csv",
                    filters=filters,
                    rows=export.written,
                    full_id_numbers=scope.full_id_numbers,
                    complete=complete,
                )
        finally:
            request_context.current.reset(token)


def _xlsx_response(
    request: HttpRequest, spec: ExportKind, export: Export, filters: str, scope: Scope, filename: str
) -> HttpResponse:
    """The XLSX is written whole to a temporary file first (a zip cannot be streamed row by
    row), so its row count is known, and audited, before the file is sent."""
    complete = False
    try:
        opened, _rows = xlsx_temporary(export, sheet_name=str(spec.label))
        complete = True
    finally:
        services.export_recorded(
            actor=request.user,
            kind=spec.name,
            file_format="xlsx",
            filters=filters,
            rows=export.written,
            full_id_numbers=scope.full_id_numbers,
            complete=complete,
        )
    return FileResponse(opened, as_attachment=True, filename=filename, content_type=CONTENT_TYPES["xlsx"])
