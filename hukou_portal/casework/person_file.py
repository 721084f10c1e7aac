"""The cases section of the person's file (一人一档): every case of the person, in every state,
at every office of the city (全域就近办) — a case of an office the user may not see is listed
with its office and state, not linked: opening it follows the case's own scoping."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from hukou_portal.accounts.models import User
from hukou_portal.people.file import FileSection
from hukou_portal.people.models import Person

from .models import Case
from .selectors import case_visible_to

# A person has a handful of cases; the cap only bounds a pathological record.
MAX_CASES = 200


@dataclass(frozen=True)
class CaseRow:
    case: Case
    openable: bool  # the user may open it (``selectors.case_visible_to``)


def person_cases(user: User, person: Person) -> Sequence[CaseRow]:
    """The person's cases at every office, newest first, completed and withdrawn included, each
    saying whether the user may open it (one query)."""
    cases = (
        Case.objects.filter(applicant=person)
        .select_related("office", "handover_from")
        .order_by("-created_at", "-id")[:MAX_CASES]
    )
    return [CaseRow(case, case_visible_to(user=user, case=case)) for case in cases]


SECTION = FileSection(
    code="cases",
    title=_("Cases"),
    template="casework/partials/person_file_cases.html",
    rows=person_cases,
    order=10,
    empty=_("No cases."),
)
