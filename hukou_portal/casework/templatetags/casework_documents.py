"""``{% case_printed_documents case as printed %}``: the printed documents a case page links to."""

import datetime as dt
from typing import Any

from django import template

from hukou_portal.casework.document_views import printed_documents
from hukou_portal.casework.models import Case

register = template.Library()


@register.simple_tag
def case_printed_documents(case: Case) -> list[dict[str, Any]]:
    return printed_documents(case)


@register.filter
def isodate(value: str | None) -> dt.date | None:
    """A stored ``YYYY-MM-DD`` as a date, for ``|date:"Y年n月j日"``."""
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
