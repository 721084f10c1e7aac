"""The cases section of the person's file (一人一档): every case of the person, in every state."""

from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

from hukou_portal.accounts.models import User
from hukou_portal.people.file import FileSection
from hukou_portal.people.models import Person

from .models import Case
from .selectors import case_list_for_user

# A person has a handful of cases; the cap only bounds a pathological record.
MAX_CASES = 200


def person_cases(user: User, person: Person) -> Sequence[Case]:
    """The person's cases the user may see, newest first, completed and withdrawn included
    (one query)."""
    return list(case_list_for_user(user=user).filter(applicant=person).order_by("-created_at", "-id")[:MAX_CASES])


SECTION = FileSection(
    code="cases",
    title=_("Cases"),
    template="casework/partials/person_file_cases.html",
    rows=person_cases,
    order=10,
    empty=_("No cases."),
)
