"""``{% export_buttons "people" %}``: the list page's export links, carrying its filters."""

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString

from hukou_portal.core.lists import CURSOR_PARAM

from ..kinds import export_kind

register = template.Library()


@register.simple_tag(takes_context=True)
def export_buttons(context: Any, kind: str, **extra: str) -> SafeString | str:
    """CSV and XLSX links for the list ``kind`` with the page's query string (the cursor left
    out: an export holds every row the filters match, not one page), shown only to users who
    may export it. ``extra`` adds parameters that are not in the query (the case queue's tab)."""
    request = context.get("request")
    spec = export_kind(kind)
    if request is None or spec is None or not spec.may_export(request.user):
        return ""
    query = request.GET.copy()
    query.pop(CURSOR_PARAM, None)
    for name, value in extra.items():
        query[name] = value
    suffix = f"?{query.urlencode()}" if query else ""
    links = {file_format: reverse("stats:export", args=[kind, file_format]) + suffix for file_format in ("csv", "xlsx")}
    return render_to_string("partials/export_buttons.html", {"links": links, "kind": kind})
