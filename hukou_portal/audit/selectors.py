"""Reading the audit trail, scoped to the auditor's offices like every other list."""

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from hukou_portal.accounts.models import User
from hukou_portal.accounts.selectors import office_visible_ids

from .models import AuditEvent

if TYPE_CHECKING:
    from hukou_portal.people.models import Person


def audit_event_list(*, user: User) -> QuerySet[AuditEvent]:
    """Events by actors of the user's offices, and events on cases now at the user's offices
    (so a transfer shows to both offices). Events with no office (the system, failed sign-ins
    of unknown names) belong to the city level and show only to a city-level user."""
    offices = office_visible_ids(user=user)  # written out: PostgreSQL plans from its statistics
    scope = Q(actor_office_id__in=offices) | Q(case__office_id__in=offices)
    if user.office is not None and user.office.parent_id is None:
        scope |= Q(actor_office__isnull=True)
    return AuditEvent.objects.filter(scope).select_related("actor", "actor_office")


def audit_person(*, person_id: int | None = None, id_number: str = "") -> "Person | None":
    """The person an auditor filters the trail by — by the signed reference's id or by a full
    ID number. City-wide on purpose: what the auditor then sees is the trail of their offices."""
    from hukou_portal.people.models import Person

    if person_id is not None:
        return Person.objects.filter(pk=person_id).first()
    return Person.objects.with_id_number(id_number).first() if id_number else None
