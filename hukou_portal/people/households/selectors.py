"""Reads of households, scoped like every page: a user sees the households of the offices they
see (a household's office answers for its town), and the 准迁证 of the cases of those offices."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from hukou_portal.accounts.models import User
from hukou_portal.accounts.selectors import office_may_see, office_visible_ids
from hukou_portal.people.models import (
    CodeOrder,
    Household,
    HouseholdMember,
    MoveInPermit,
    MoveInPermitPerson,
    Person,
)


def household_list_for_user(*, user: User, number_prefix: str = "") -> QuerySet[Household]:
    """The households of the user's offices, each with ``number_key`` (the 户号 compared code by
    code): sorted by it, and searched by the first digits of a 户号 in one range of the index
    ``household_by_number``."""
    households = (
        Household.objects.filter(office_id__in=office_visible_ids(user=user))
        .select_related("area", "town", "head", "office", "created_by_case")
        .annotate(number_key=CodeOrder("number"))
    )
    number_prefix = number_prefix.strip()
    if number_prefix:
        households = households.filter(number_key__startswith=number_prefix)
    return households


def household_get_for_user(*, user: User, pk: int) -> Household:
    """The household, or 404 outside the user's offices (never confirm it exists)."""
    return get_object_or_404(household_list_for_user(user=user), pk=pk)


def household_by_number_for_user(*, user: User, number: str) -> Household | None:
    return household_list_for_user(user=user).filter(number=number.strip()).first()


# A household has tens of members over its life; the cap only bounds a pathological record.
MAX_MEMBERS = 500


def household_members(household: Household) -> list[HouseholdMember]:
    """Every membership of the household, past and present, in the order they joined (one query,
    with the person, the cases and a move out of Huzhou)."""
    return list(
        HouseholdMember.objects.filter(household=household)
        .select_related("person", "join_case", "leave_case", "move_out")
        .order_by("joined_on", "id")[:MAX_MEMBERS]
    )


def household_member_get_for_user(*, user: User, household_pk: int, pk: int) -> HouseholdMember:
    """A membership of a household the user sees; 404 otherwise."""
    household = household_get_for_user(user=user, pk=household_pk)
    member = get_object_or_404(
        HouseholdMember.objects.select_related("person", "join_case", "leave_case"), pk=pk, household=household
    )
    member.household = household
    return member


def pending_move_in_permits(household: Household) -> list[MoveInPermit]:
    """The 准迁证 into the household whose origin confirmation is not recorded yet: their people
    are not members until it is."""
    return list(
        MoveInPermit.objects.filter(household=household, confirmation__isnull=True)
        .select_related("case")
        .prefetch_related(Prefetch("people", queryset=MoveInPermitPerson.objects.select_related("person")))
        .order_by("issued_on", "id")
    )


def move_in_permit_list_for_user(*, user: User) -> QuerySet[MoveInPermit]:
    return MoveInPermit.objects.filter(office_id__in=office_visible_ids(user=user)).select_related(
        "household__area", "household__town", "household__head", "issuing_office", "case", "office"
    )


def move_in_permit_get_for_user(*, user: User, pk: int) -> MoveInPermit:
    return get_object_or_404(move_in_permit_list_for_user(user=user), pk=pk)


@dataclass(frozen=True)
class PersonHouseholdRow:
    """One membership of the person's file, or a 准迁证 still waiting for the origin."""

    member: HouseholdMember | None
    permit: MoveInPermit | None
    household: Household
    household_visible: bool
    permit_visible: bool = False


def person_households(user: User, person: Person) -> list[PersonHouseholdRow]:
    """The person's households, newest first, with their whole history (joined, left, why, by
    which case), and any 准迁证 still waiting for the origin's confirmation. The membership is a
    fact about the person, shown to whoever may see the person; the household's page is linked
    for users of its office tree. Two queries whatever the person holds."""
    members = list(
        HouseholdMember.objects.filter(person=person)
        .select_related("household__area", "household__town", "household__office", "join_case", "leave_case")
        .select_related("move_out")
        .order_by("-joined_on", "-id")[:MAX_MEMBERS]
    )
    pending = list(
        MoveInPermitPerson.objects.filter(person=person, permit__confirmation__isnull=True)
        .select_related("permit__household__area", "permit__household__town", "permit__household__office")
        .select_related("permit__office")
        .order_by("-permit__issued_on", "-id")
    )
    rows = [
        PersonHouseholdRow(
            member=None,
            permit=row.permit,
            household=row.permit.household,
            household_visible=office_may_see(user=user, office=row.permit.household.office),
            permit_visible=office_may_see(user=user, office=row.permit.office),
        )
        for row in pending
    ]
    rows += [
        PersonHouseholdRow(
            member=member,
            permit=None,
            household=member.household,
            household_visible=office_may_see(user=user, office=member.household.office),
        )
        for member in members
    ]
    return rows
