"""How people and town fields read in the audit trail (the portal's vocabulary)."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hukou_portal.core.vocabulary import Field, register_fields, register_terms

from .models import LookupReason, PersonOffice


def _station_words(code: Any, record: Mapping[str, Any]) -> str:
    """A town's station, kept in the trail by office code, reads as the office's name."""
    from hukou_portal.accounts.models import Office

    if not code:
        return gettext("none (the county-level bureau of the area answers)")
    return Office.objects.filter(code=code).values_list("name", flat=True).first() or str(code)


register_terms("lookup_reason", dict(LookupReason.choices))
register_terms("person_served_via", dict(PersonOffice.Via.choices))
register_fields(
    "person",
    {
        "name": Field(_("Name"), "text"),
        "reason": Field(_("Reason for the lookup"), "lookup_reason"),
        "found": Field(_("Person found"), "bool"),
    },
)
register_fields(
    "town",
    {
        "is_urban": Field(_("Urban area"), "bool"),
        "station": Field(_("Police station of its jurisdiction"), _station_words),
    },
)
register_fields(
    "id_numbers",
    {
        "key": Field(_("Encryption key (fingerprint)"), "text"),
        "rows": Field(_("Rows re-encrypted"), "text"),
        "index_recomputed": Field(_("Blind index recomputed"), "bool"),
    },
)
