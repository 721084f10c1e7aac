"""Writes to people and towns, each audited."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from hukou_portal.accounts.models import User
from hukou_portal.audit.services import record
from hukou_portal.core.exceptions import ApplicationError

from . import id_numbers
from .models import Person, Town


@transaction.atomic
def person_create(*, actor: User, id_number: str, name: str, mobile: str = "") -> Person:
    """Record a person at the actor's office. One row per ID number, city-wide."""
    if not actor.has_perm("people.add_person") or actor.office is None:
        raise PermissionDenied
    id_number = id_numbers.normalise(id_number)
    if Person.objects.filter(id_number=id_number).exists():
        raise ApplicationError(_("A person with this citizen ID number is already recorded."), field="id_number")
    person = Person(id_number=id_number, name=name.strip(), mobile=mobile, office=actor.office)
    person.full_clean()
    person.save()
    record(action="person.created", actor=actor, target=person, new={"name": person.name})
    return person


def person_record_full_view(*, actor: User, person: Person) -> None:
    """Log that ``actor`` saw the person's full record (policy D3: every access accountable)."""
    record(action="person.viewed", actor=actor, target=person)


def person_record_found_by_id_number(*, actor: User, person: Person) -> None:
    """Log that a search by ``person``'s full ID number showed ``actor`` who it is (the header
    search; policy D3). The number itself stays out of the trail: the target names the person."""
    record(action="person.found_by_id_number", actor=actor, target=person)


@transaction.atomic
def town_set_urban(*, actor: User, town_id: int, is_urban: bool, reason: str) -> Town:
    """Correct a town's urban flag (RULES.md "Areas"): the flag decides settlement city-wide,
    so only administrators of the city bureau change it."""
    from hukou_portal.rules.services import ensure_city_wide_change

    ensure_city_wide_change(actor, "people.change_town")
    if not reason.strip():
        raise ApplicationError(_("Say why the flag changes."), field="reason")
    town = Town.objects.select_for_update().select_related("area").get(pk=town_id)
    if town.is_urban == is_urban:
        return town
    old = town.is_urban
    town.is_urban = is_urban
    town.save(update_fields=["is_urban"])
    record(
        action="town.updated", actor=actor, target=town, old={"is_urban": old}, new={"is_urban": is_urban}, note=reason
    )
    return town
