"""How an export's audit event reads (``export.downloaded``, ``export.written``)."""

from django.utils.translation import gettext_lazy as _

from hukou_portal.core.vocabulary import Field, register_fields

_EXPORT_FIELDS = {
    "kind": Field(_("List exported"), "text"),
    "format": Field(_("File format"), "text"),
    "filters": Field(_("Filters"), "text"),
    "rows": Field(_("Rows exported"), "text"),
    "full_id_numbers": Field(_("Full citizen ID numbers"), "bool"),
    "complete": Field(_("Export finished"), "bool"),
    "arguments": Field(_("Command arguments"), "text"),
}
register_fields("export.downloaded", _EXPORT_FIELDS)
register_fields("export.written", _EXPORT_FIELDS)
