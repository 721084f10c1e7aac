"""The hukou section of the person's file (一人一档): the permanent registrations settlement
cases wrote for the person."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from hukou_portal.accounts.models import User
from hukou_portal.accounts.selectors import office_may_see
from hukou_portal.people.file import FileSection
from hukou_portal.people.models import Person

from .labels import HOUSEHOLDS
from .models import HukouEntry


@dataclass(frozen=True)
class HukouRow:
    entry: HukouEntry
    case_visible: bool

    @property
    def household_label(self) -> str:
        return str(HOUSEHOLDS.get(self.entry.household_type, _("Household")))


def person_hukou_entries(user: User, person: Person) -> Sequence[HukouRow]:
    """The person's hukou entry, newest first (one query; one entry per person, but the file
    lists what there is). The hukou is a fact about the person, shown to whoever may see the
    person; the settlement case is linked only for users of its office tree (an accompanying
    child's entry links to the parent's case). Each row says which residence registration and
    permit settling ended: the person is no longer floating population."""
    entries = (
        HukouEntry.objects.filter(person=person)
        .select_related("town__area", "case__office", "ended_registration__town__area", "cancelled_permit")
        .order_by("-registered_on", "-id")
    )
    return [HukouRow(entry, office_may_see(user=user, office=entry.case.office)) for entry in entries]


SECTION = FileSection(
    code="hukou",
    title=_("Hukou (settlement)"),
    template="settlement/partials/person_file_hukou.html",
    rows=person_hukou_entries,
    order=15,
    empty=_("No hukou entry written by this portal."),
)
