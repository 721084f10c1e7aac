"""The offices section of the person's file (一人一档): which offices of the city have served the
person — recorded them, opened or received a case of theirs, recorded a lease filing — with the
first and the latest time. Who to ask about the person, never what another office holds."""

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from .file import FileSection
from .models import Person, PersonOffice
from .selectors import person_offices

if TYPE_CHECKING:
    from hukou_portal.accounts.models import User


def person_served_by(user: "User", person: Person) -> Sequence[PersonOffice]:
    """Every office that has served the person, first served first (one query)."""
    return person_offices(person=person)


SECTION = FileSection(
    code="offices",
    title=_("Offices that served the person"),
    template="people/partials/person_file_offices.html",
    rows=person_served_by,
    order=5,
    empty=_("No office has served the person yet."),
)
