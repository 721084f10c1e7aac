"""How people and town fields read in the audit trail (the portal's vocabulary)."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from hukou_portal.core.vocabulary import Field, register_fields, register_terms

from .models import HouseholdRelation, HouseholdType, JoinReason, LeaveReason, LookupReason, PersonOffice, PersonPhoto


def _station_words(code: Any, record: Mapping[str, Any]) -> str:
    """A town's station, kept in the trail by office code, reads as the office's name."""
    from hukou_portal.accounts.models import Office

    if not code:
        return gettext("none (the county-level bureau of the area answers)")
    return Office.objects.filter(code=code).values_list("name", flat=True).first() or str(code)


register_terms("photo_source", dict(PersonPhoto.Source.choices))
register_terms("lookup_reason", dict(LookupReason.choices))
register_terms("person_served_via", dict(PersonOffice.Via.choices))
register_fields(
    "person",
    {
        "name": Field(_("Name"), "text"),
        # person.photo_taken: how the photo was taken, and the day of the photo it replaced.
        "source": Field(_("Taken with"), "photo_source"),
        "replaced_photo_of": Field(_("Replaces the photo taken on"), "date"),
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

register_terms("household_type", dict(HouseholdType.choices))
register_terms("household_relation", dict(HouseholdRelation.choices))
register_terms("join_reason", dict(JoinReason.choices))
register_terms("leave_reason", dict(LeaveReason.choices))
# Households and moves, as the audit trail shows them (scopes ``household.*``, ``move_in_permit.*``).
register_fields(
    "household",
    {
        "number": Field(_("Household number (户号)"), "text"),
        "type": Field(_("Household type (户别)"), "household_type"),
        "place": Field(_("Address"), "text"),
        "unit": Field(_("Unit keeping the collective household"), "text"),
        "head": Field(_("Head of household (户主)"), "text"),
        "relation": Field(_("Relation to the head"), "household_relation"),
        "joined_on": Field(_("Joined on"), "date"),
        "join_reason": Field(_("Reason for joining"), "join_reason"),
        "moved_in_from": Field(_("Moved here from"), "text"),
        "left_on": Field(_("Left on"), "date"),
        "leave_reason": Field(_("Reason for leaving"), "leave_reason"),
        "destination": Field(_("Moving to (address)"), "text"),
        "moved_out_on": Field(_("Moved out on"), "date"),
        "destination_reference": Field(_("Destination's move-in permit number"), "text"),
    },
)
register_fields(
    "move_in_permit",
    {
        "permit_number": Field(_("Move-in permit number"), "text"),
        "number": Field(_("Destination household (户号)"), "text"),
        "origin": Field(_("Origin hukou address"), "text"),
        "valid_until": Field(_("Valid until"), "date"),
        "people": Field(_("People moving in"), "text"),
        "moved_out_on": Field(_("Moved out of the origin on"), "date"),
        "origin_office": Field(_("Origin office"), "text"),
        "reference": Field(_("Origin office's reference"), "text"),
    },
)
