"""Export views: a list, with the filters of its page, as CSV (streamed) or XLSX.

``/stats/export/<kind>.<format>?<the list page's query string>``. The same scoped selector
and FilterSet as the page (``kinds.py``), so an export never holds a row the page would not
show; a filter value the page would refuse (another office's id) refuses the export. Limited
per user (``RATE_LIMITS["export"]``), and every export is audited with its filters and row
count once it has finished (``services.export_recorded``).
"""

from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from hukou_portal.core import request_context
from hukou_portal.core.decorators import permission_needed
from hukou_portal.core.lists import ListFilterSet, bind_filter, list_table
from hukou_portal.core.throttling import PortalRateThrottle, rate_limited_response

from . import services
from .dashboard import dashboard_figures
from .describe import filters_in_words
from .exports import CONTENT_TYPES, FORMATS, Export, csv_chunks, join_words, table_csv, table_xlsx, xlsx_temporary
from .forms import DashboardForm
from .kinds import ExportKind, Scope, export_kind
from .records import (
    CaseRecordFilter,
    CaseRecordTable,
    PermitRecordFilter,
    PermitRecordTable,
    RecordTable,
    RegistrationRecordFilter,
    RegistrationRecordTable,
    SettledRecordFilter,
    SettledRecordTable,
    case_records,
    permit_records,
    registration_records,
    settled_records,
)


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


# --- the dashboard ------------------------------------------------------------------------------


def _dashboard_form(request: HttpRequest) -> DashboardForm:
    return DashboardForm(request.GET or None, user=request.user, today=timezone.localdate())  # type: ignore[arg-type]


def _period_links(request: HttpRequest, form: DashboardForm) -> dict[str, str]:
    """The same view one period earlier and later (not for a custom range)."""
    links: dict[str, str] = {}
    scope = form.scope()
    for name, direction in (("previous", -1), ("next", 1)):
        period = scope.period.step(direction)
        if period is None or (direction > 0 and period.start > form.today):
            continue
        query = request.GET.copy()
        query["period"], query["on"] = period.kind, period.start.isoformat()
        links[name] = f"?{query.urlencode()}"
    return links


@permission_needed("stats.view_statistics")
def dashboard(request: HttpRequest) -> HttpResponse:
    """统计分析: the figures of E1 for a period and an area, each a chart beside its table."""
    form = _dashboard_form(request)
    valid = not form.is_bound or form.is_valid()
    context: dict[str, object] = {"form": form, "valid": valid}
    if valid:
        scope = form.scope()
        board = dashboard_figures(scope, form.offices)
        context.update(
            scope=scope,
            figures=board.figures,
            missing=board.missing,
            links=_period_links(request, form),
            figures_url=f"{reverse('stats:figures')}?{request.GET.urlencode()}",
            query=request.GET.urlencode(),
            report_url=f"{reverse('stats:report')}?{request.GET.urlencode()}",
        )
    return render(request, "stats/dashboard.html", context, status=200 if valid else 400)


@permission_needed("stats.view_statistics")
def figures_json(request: HttpRequest) -> JsonResponse:
    """The dashboard's figures as JSON (the charts are drawn from it): the same filters."""
    form = _dashboard_form(request)
    if form.is_bound and not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    scope = form.scope()
    board = dashboard_figures(scope, form.offices)
    wanted = request.GET.get("figure")
    return JsonResponse(
        {
            "period": {"label": scope.period.label, "from": scope.period.start, "to": scope.period.end},
            "area": scope.area.name,
            "figures": [figure.as_json() for figure in board.figures if not wanted or figure.slug == wanted],
            "missing": list(board.missing) if board.missing else None,
        },
        json_dumps_params={"ensure_ascii": False},
    )


@permission_needed("stats.view_statistics")
def report(request: HttpRequest) -> HttpResponse:
    """The figures as one printable report (A4) for the bureau: the browser prints it to PDF."""
    form = _dashboard_form(request)
    if form.is_bound and not form.is_valid():
        return redirect(f"{reverse('stats:dashboard')}?{request.GET.urlencode()}")
    scope = form.scope()
    board = dashboard_figures(scope, form.offices)
    return render(
        request,
        "stats/report.html",
        {
            "scope": scope,
            "figures": board.figures,
            "missing": board.missing,
            "figures_url": f"{reverse('stats:figures')}?{request.GET.urlencode()}",
            "printed_at": timezone.localtime(),
            "printed_by": request.user,
        },
    )


def _records(
    request: HttpRequest,
    filter_class: type[ListFilterSet],
    queryset: QuerySet[Any],
    table_class: type[RecordTable],
    title: str,
    export: str,
) -> HttpResponse:
    records = bind_filter(request, filter_class, queryset)
    table = list_table(request, table_class, records.filtered(), user=request.user)
    return render(
        request,
        "stats/records.html",
        {"filter": records, "table": table, "page": table.page, "title": title, "export": export},
        status=400 if records.is_bound and not records.is_valid() else 200,
    )


@permission_needed("stats.view_statistics")
def records_cases(request: HttpRequest) -> HttpResponse:
    return _records(
        request,
        CaseRecordFilter,
        case_records(user=request.user),
        CaseRecordTable,
        _("Cases behind the figure"),
        "figure-cases",  # type: ignore[arg-type]
    )


@permission_needed("stats.view_statistics")
def records_registrations(request: HttpRequest) -> HttpResponse:
    return _records(
        request,
        RegistrationRecordFilter,
        # The stock of a town (in force on a day) is the town's, whoever registered the people.
        registration_records(user=request.user, by_town=bool(request.GET.get("in_force_on"))),  # type: ignore[arg-type]
        RegistrationRecordTable,
        _("Residence registrations behind the figure"),
        "figure-registrations",
    )


@permission_needed("stats.view_statistics")
def records_settled(request: HttpRequest) -> HttpResponse:
    return _records(
        request,
        SettledRecordFilter,
        settled_records(user=request.user),  # type: ignore[arg-type]
        SettledRecordTable,
        _("People settled behind the figure"),
        "figure-settled",
    )


@permission_needed("stats.view_statistics")
def records_permits(request: HttpRequest) -> HttpResponse:
    return _records(
        request,
        PermitRecordFilter,
        permit_records(user=request.user),  # type: ignore[arg-type]
        PermitRecordTable,
        _("Residence permits behind the figure"),
        "figure-permits",
    )


@never_cache
@permission_needed("stats.view_statistics")
def figure_download(request: HttpRequest, slug: str, file_format: str) -> HttpResponse:
    """One figure's table as CSV or XLSX, for the period, area and town of the dashboard's
    query; rate-limited and audited as every export is."""
    if file_format not in FORMATS:
        raise Http404
    form = _dashboard_form(request)
    if form.is_bound and not form.is_valid():
        messages.error(request, _("Correct the filters before exporting."))
        return redirect(f"{reverse('stats:dashboard')}?{request.GET.urlencode()}")
    scope = form.scope()
    figure = next((f for f in dashboard_figures(scope, form.offices).figures if f.slug == slug), None)
    if figure is None:
        raise Http404
    throttle = PortalRateThrottle(scope="export", per="user")
    if not throttle.allow_request(request, None):
        return rate_limited_response(request, throttle.wait())
    headers, rows = figure.table()
    words = [(_("Figure"), figure.title), (_("Period"), scope.period.label), (_("Area"), scope.area.name)]
    if scope.town is not None:
        words.append((_("Town or sub-district"), scope.town.name))
    filters = join_words(f"{label}：{value}" for label, value in words)
    if file_format == "xlsx":
        content: bytes = table_xlsx(headers, rows, sheet_name=figure.title)
    else:
        content = table_csv(headers, rows).encode("utf-8")
    services.export_recorded(
        actor=request.user,
        kind="statistics",
        file_format=file_format,
        filters=filters,
        rows=len(rows),
        full_id_numbers=False,
    )
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    stamp = f"{timezone.localtime():%Y%m%d-%H%M%S}"
    response["Content-Disposition"] = f'attachment; filename="{figure.slug}-{stamp}.{file_format}"'
    response["Cache-Control"] = "no-store, private"
    return response
