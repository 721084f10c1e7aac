"""How residence registrations and lease filings read in the audit trail (the vocabulary)."""

from django.utils.translation import gettext_lazy as _

from hukou_portal.core.vocabulary import Field, register_fields, register_terms

register_terms("registration_end_reason", {"settled": _("Settled in Huzhou: no longer floating population")})

register_fields(
    "registration",
    {
        "region": Field(_("Region"), "full_area"),
        "from": Field(_("From"), "date"),
        "until": Field(_("Until"), "date"),
        "town": Field(_("Town or sub-district"), "text"),
        "started_on": Field(_("Registered on"), "date"),
        "ended_on": Field(_("Ended on"), "date"),
        "reason": Field(_("Reason"), "registration_end_reason"),
    },
)
register_fields(
    "lease_filing",
    {
        "filing_number": Field(_("Filing number"), "text"),
        "filed_on": Field(_("Filed on"), "date"),
        "town": Field(_("Town or sub-district"), "text"),
    },
)
