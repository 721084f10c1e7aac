"""The residence-permit section of the person's file (一人一档), with each permit's 签注."""

from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hukou_portal.accounts.models import User
from hukou_portal.people.file import FileSection
from hukou_portal.people.models import Person

from .models import ResidencePermit
from .selectors import permit_list_for_user


def person_permits(user: User, person: Person) -> Sequence[tuple[ResidencePermit, str]]:
    """The person's permits issued by the user's offices, newest first, each with its state
    today (valid, lapsed, cancelled, replaced) — one query."""
    today = timezone.localdate()
    permits = permit_list_for_user(user=user).filter(holder=person).order_by("-issued_on", "-id")
    return [(permit, permit.state_on(today)) for permit in permits]


SECTION = FileSection(
    code="permits",
    title=_("Residence permits"),
    template="permits/partials/person_file_permits.html",
    rows=person_permits,
    order=40,
    empty=_("No residence permit."),
)
