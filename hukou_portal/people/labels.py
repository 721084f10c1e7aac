"""How people and town fields read in the audit trail (the portal's vocabulary)."""

from django.utils.translation import gettext_lazy as _

from hukou_portal.core.vocabulary import Field, register_fields

register_fields("person", {"name": Field(_("Name"), "text")})
register_fields("town", {"is_urban": Field(_("Urban area"), "bool")})
register_fields(
    "id_numbers",
    {
        "key": Field(_("Encryption key (fingerprint)"), "text"),
        "rows": Field(_("Rows re-encrypted"), "text"),
        "index_recomputed": Field(_("Blind index recomputed"), "bool"),
    },
)
