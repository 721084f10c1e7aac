"""How an export's audit event reads (``export.downloaded``, ``export.written``)."""

from django.utils.translation import gettext_lazy as _

from hukou_portal.core.vocabulary import Field, register_fields, register_terms

from .kinds import export_kinds

_EXPORT_FIELDS = {
    "kind": Field(_("List exported"), "export_kind"),
    "format": Field(_("File format"), "text"),
    "filters": Field(_("Filters"), "text"),
    "rows": Field(_("Rows exported"), "text"),
    "full_id_numbers": Field(_("Full citizen ID numbers"), "bool"),
    "complete": Field(_("Export finished"), "bool"),
    "arguments": Field(_("Command arguments"), "text"),
}
# The event keeps the kind's name, not its label in the exporter's language (older events kept
# the label, which reads as itself).
register_terms(
    "export_kind",
    {**{name: kind.label for name, kind in export_kinds().items()}, "statistics": _("A table of the statistics")},
)
register_fields("export.downloaded", _EXPORT_FIELDS)
register_fields("export.written", _EXPORT_FIELDS)
