"""The residence-registration and lease-filing sections of the person's file (一人一档)."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from hukou_portal.accounts.models import User
from hukou_portal.accounts.selectors import office_may_see
from hukou_portal.people.file import FileSection
from hukou_portal.people.models import Person

from .models import LeaseFiling, ResidenceRegistration
from .selectors import lease_filing_list_for_user

# Registrations made elsewhere (R3.3) are recorded with a region code; say where in words.
PROVINCES = {"31": _("Shanghai"), "32": _("Jiangsu"), "33": _("Zhejiang"), "34": _("Anhui")}


@dataclass(frozen=True)
class RegistrationRow:
    registration: ResidenceRegistration
    case_visible: bool  # link to the case that made it only when the user may open that case

    @property
    def province(self) -> str:
        return str(PROVINCES.get(self.registration.region_code[:2], ""))


def person_registrations(user: User, person: Person) -> Sequence[RegistrationRow]:
    """Every residence-registration period of the person, newest first (one query). They are
    facts about the person, shown to whoever may see the person; the case that made one is
    linked only for users of its office tree."""
    registrations = (
        ResidenceRegistration.objects.filter(person=person)
        .select_related("town__area", "case__office")
        .order_by("-started_on", "-id")
    )
    return [
        RegistrationRow(
            registration, registration.case is not None and office_may_see(user=user, office=registration.case.office)
        )
        for registration in registrations
    ]


def person_lease_filings(user: User, person: Person) -> Sequence[LeaseFiling]:
    """The person's lease filings recorded by the user's offices, newest first (one query)."""
    return list(lease_filing_list_for_user(user=user).filter(tenant=person).order_by("-filed_on", "-id"))


REGISTRATIONS = FileSection(
    code="registrations",
    title=_("Residence registrations"),
    template="registration/partials/person_file_registrations.html",
    rows=person_registrations,
    order=20,
    empty=_("No residence registration."),
)
LEASE_FILINGS = FileSection(
    code="lease-filings",
    title=_("Lease filings"),
    template="registration/partials/person_file_lease_filings.html",
    rows=person_lease_filings,
    order=30,
    empty=_("No lease filing."),
)
