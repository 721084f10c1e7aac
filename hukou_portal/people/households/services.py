"""Writes to households (户), each audited in the transaction of the change.

Nothing is edited in place. A household, once created, keeps its number, type, place and head;
a membership row is only ever *ended* (left on, why, by which case) — a move ends one row and
starts another, both kept. A 准迁证 and the origin's 迁出 confirmation are rows of their own; a
wrong one is answered by a new action or case, never by editing it.

Creating a household locks its county-level area's row first: two settlements into the same
home, employer or community are taken one after the other, so the second finds the household
the first created (the unique constraints on the collective households are the last word).
"""

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from hukou_portal.accounts.models import Office, User
from hukou_portal.accounts.selectors import office_may_see
from hukou_portal.audit.services import record
from hukou_portal.core.exceptions import ApplicationError
from hukou_portal.core.vocabulary import date_words
from hukou_portal.people.models import (
    Area,
    Household,
    HouseholdMember,
    HouseholdRelation,
    HouseholdType,
    JoinReason,
    LeaveReason,
    MoveInConfirmation,
    MoveInPermit,
    MoveInPermitPerson,
    MoveOut,
    Person,
    PersonOffice,
    Town,
    address_key,
    unit_name_clean,
)
from hukou_portal.people.services import person_office_touch

if TYPE_CHECKING:
    from hukou_portal.casework.models import Case

# How long a 准予迁入证明 stays valid. RULES.md and GLOSSARY.md give no number (it is not a rule
# parameter of the reform notice); 40 days is what Zhejiang's offices print on the permit
# (准迁证有效期四十天). The permits issued keep their own ``valid_until``.
MOVE_IN_PERMIT_VALID_DAYS = 40

# ReferenceSerial series: household numbers run per county-level area, for ever (year 0);
# 准迁证 numbers per issuing bureau's area and year.
HOUSEHOLD_SERIES = "household"
MOVE_IN_PERMIT_SERIES = "move_in"


# -- who may act ----------------------------------------------------------------------------------


def may_change_households(actor: User) -> bool:
    """Counter officers record moves; supervisors and the others read."""
    return actor.has_perm("people.change_household")


def _ensure_may_change(actor: User, office: Office) -> None:
    """403 unless ``actor`` records household changes and sees ``office`` (the household's or the
    case's): a forged request for another office's household is refused before anything is read
    further."""
    if not may_change_households(actor) or not office_may_see(user=actor, office=office):
        raise PermissionDenied


def _not_in_future(day: dt.date, field: str) -> None:
    if day > timezone.localdate():
        raise ApplicationError(_("The date cannot be in the future."), field=field)


# -- creating households --------------------------------------------------------------------------


def _lock_area(area_id: int) -> None:
    Area.objects.select_for_update().get(pk=area_id)


def household_number(area_code: str) -> str:
    """户号: the county-level area's code and a six-digit serial of that area (``330502000017``),
    never reused. Called inside the creating transaction (the serial row stays locked)."""
    from hukou_portal.casework.services import next_serial

    return f"{area_code}{next_serial(series=HOUSEHOLD_SERIES, area_code=area_code, year=0):06d}"


def _office_of(town: Town, fallback: Office) -> Office:
    """The office answering for the town (its police station, or its county-level bureau)."""
    from hukou_portal.people.selectors import town_offices

    return town_offices([town]).get(town.pk) or fallback


def _create(
    *,
    type: str,
    town: Town,
    address: str = "",
    unit_name: str = "",
    head: Person | None = None,
    case: "Case | None",
    actor: User | None,
    fallback_office: Office,
) -> Household:
    household = Household(
        number=household_number(town.area.code),
        type=type,
        area=town.area,
        town=town,
        address=address.strip(),
        address_key=address_key(address),
        unit_name=unit_name,
        head=head,
        created_by_case=case,
        office=_office_of(town, fallback_office),
    )
    household.full_clean()
    household.save()
    record(
        action="household.created",
        actor=actor,
        target=household,
        case=case,
        new={
            "number": household.number,
            "type": household.type,
            "place": household.place,
            **({"unit": unit_name} if unit_name else {}),
            **({"head": head.name} if head is not None else {}),
        },
    )
    return household


def household_family_at(
    *, town: Town, address: str, head: Person, case: "Case | None", actor: User | None, fallback_office: Office
) -> tuple[Household, bool]:
    """The family household at this home (the first recorded there), or a new one with ``head``
    as its head: (household, created)."""
    _lock_area(town.area_id)
    found = (
        Household.objects.filter(type=HouseholdType.FAMILY, town=town, address_key=address_key(address))
        .select_related("head", "area", "town")
        .order_by("id")
        .first()
    )
    if found is not None:
        return found, False
    household = _create(
        type=HouseholdType.FAMILY,
        town=town,
        address=address,
        head=head,
        case=case,
        actor=actor,
        fallback_office=fallback_office,
    )
    return household, True


def household_family_create(
    *, town: Town, address: str, head: Person, case: "Case | None", actor: User | None, fallback_office: Office
) -> Household:
    """A new family household at this home with ``head`` as its head, whatever is registered
    there already (a host recorded with a household of their own: 立户)."""
    _lock_area(town.area_id)
    return _create(
        type=HouseholdType.FAMILY,
        town=town,
        address=address,
        head=head,
        case=case,
        actor=actor,
        fallback_office=fallback_office,
    )


def talent_market_name(area: Area) -> str:
    """The unit keeping an area's talent market collective household, in the register's words."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("%(area)s talent market") % {"area": area.name}


def household_collective(
    *,
    type: str,
    town: Town,
    unit_name: str = "",
    address: str = "",
    case: "Case | None",
    actor: User | None,
    fallback_office: Office,
) -> tuple[Household, bool]:
    """The collective household of a unit, created the first time and reused after: one per
    employer and town (单位集体户), one per county-level area for the talent market (人才市场集体户),
    one per community and town (社区公共集体户). (household, created)."""
    if type == HouseholdType.FAMILY:
        raise ValueError("household_collective makes collective households only")
    _lock_area(town.area_id)
    households = Household.objects.select_related("area", "town")
    if type == HouseholdType.TALENT_MARKET_COLLECTIVE:
        found = households.filter(type=type, area_id=town.area_id).first()
        unit_name = talent_market_name(town.area)
    else:
        unit_name = unit_name_clean(unit_name)
        if not unit_name:
            raise ApplicationError(_("Name the unit that keeps the collective household."), field="unit_name")
        found = households.filter(type=type, town=town, unit_name=unit_name).first()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            household = _create(
                type=type,
                town=town,
                address=address,
                unit_name=unit_name,
                case=case,
                actor=actor,
                fallback_office=fallback_office,
            )
    except IntegrityError:  # never while the area is locked; the constraint is the last word
        return households.get(type=type, town=town, unit_name=unit_name), False
    return household, True


# -- members joining and leaving ------------------------------------------------------------------


def active_membership(person: Person) -> HouseholdMember | None:
    return (
        HouseholdMember.objects.filter(person=person, left_on__isnull=True)
        .select_related("household__area", "household__town", "household__head")
        .first()
    )


def household_join(
    *,
    household: Household,
    person: Person,
    relation: str,
    joined_on: dt.date,
    reason: str,
    case: "Case | None",
    actor: User | None,
    moved_in_from: str = "",
    note: str = "",
) -> HouseholdMember:
    """``person`` becomes a member of ``household``. Refused when they are an active member of a
    household already (one at a time: the row is locked, the partial unique index is the last
    word). In a collective household everyone is 集体户成员; in a family household only its head
    joins as 户主."""
    Person.objects.select_for_update().filter(pk=person.pk).first()
    current = active_membership(person)
    if current is not None:
        raise ApplicationError(
            _("%(name)s is already a member of household %(number)s: they move out of it first.")
            % {"name": person.name, "number": current.household.number}
        )
    if not household.is_family:
        relation = HouseholdRelation.COLLECTIVE_MEMBER
    elif relation == HouseholdRelation.COLLECTIVE_MEMBER or (
        relation == HouseholdRelation.HEAD and household.head_id != person.pk
    ):
        raise ApplicationError(
            _("Choose what %(name)s is to the head of the household.") % {"name": person.name}, field="relation"
        )
    member = HouseholdMember(
        household=household,
        person=person,
        relation=relation,
        joined_on=joined_on,
        join_reason=reason,
        join_case=case,
        moved_in_from=moved_in_from[:200],
    )
    member.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as error:
        raise ApplicationError(
            _("%(name)s is already a member of a household: they move out of it first.") % {"name": person.name}
        ) from error
    # The household's office keeps the member's hukou: it serves them from now on (their file opens there).
    person_office_touch(person=person, office=household.office, via=PersonOffice.Via.HOUSEHOLD)
    record(
        action="household.member_joined",
        actor=actor,
        target=member,
        case=case,
        new={
            "number": household.number,
            "relation": member.relation,
            "joined_on": joined_on.isoformat(),
            "join_reason": reason,
            **({"moved_in_from": member.moved_in_from} if member.moved_in_from else {}),
        },
        note=note,
    )
    return member


def _leave(
    member: HouseholdMember,
    *,
    left_on: dt.date,
    reason: str,
    case: "Case | None",
    actor: User,
    note: str = "",
    date_field: str = "moved_on",
) -> None:
    """End ``member``'s row (the one change a membership ever sees)."""
    if left_on < member.joined_on:
        raise ApplicationError(
            _("%(name)s joined this household on %(day)s: they cannot leave it before.")
            % {"name": member.person.name, "day": date_words(member.joined_on)},
            field=date_field,
        )
    household = member.household
    if (
        household.is_family
        and household.head_id == member.person_id
        and HouseholdMember.objects.filter(household=household, left_on__isnull=True).exclude(pk=member.pk).exists()
    ):
        raise ApplicationError(
            _(
                "%(name)s is the head of household %(number)s and other members remain: the head "
                "moves out last (a new head is named by a case)."
            )
            % {"name": member.person.name, "number": household.number}
        )
    member.left_on, member.leave_reason, member.leave_case = left_on, reason, case
    member.save(update_fields=["left_on", "leave_reason", "leave_case"])
    record(
        action="household.member_left",
        actor=actor,
        target=member,
        case=case,
        old={"left_on": None},
        new={"number": household.number, "left_on": left_on.isoformat(), "leave_reason": reason},
        note=note,
    )


def _lock_active_member(member_id: int) -> HouseholdMember:
    member = (
        HouseholdMember.objects.select_for_update(of=("self",))
        .select_related("household__office", "household__area", "household__town", "person")
        .filter(pk=member_id)
        .first()
    )
    if member is None:
        raise PermissionDenied
    return member


@dataclass(frozen=True)
class NewHome:
    """A family household to create for a member who moves out to a home of their own (立户)."""

    town: Town
    address: str


@transaction.atomic
def household_member_move(
    *,
    actor: User,
    member_id: int,
    moved_on: dt.date,
    relation: str = "",
    to_household_id: int | None = None,
    new_home: NewHome | None = None,
    note: str = "",
) -> HouseholdMember:
    """迁出 one household, 迁入 another within Huzhou: the old row ends (moved to another household)
    and a new one starts in the household named — one the actor's offices see — or in a new
    family household at ``new_home`` with the person as its head. Both rows stay: each
    household keeps its history, and so does the person."""
    member = _lock_active_member(member_id)
    _ensure_may_change(actor, member.household.office)
    if member.left_on is not None:
        raise ApplicationError(_("%(name)s has already left this household.") % {"name": member.person.name})
    _not_in_future(moved_on, "moved_on")
    if (to_household_id is None) == (new_home is None):
        raise ApplicationError(_("Choose the household to move into, or a new home."), field="to_household")
    target: Household
    if to_household_id is not None:
        found = Household.objects.select_related("office", "area", "town").filter(pk=to_household_id).first()
        if found is None or not office_may_see(user=actor, office=found.office):
            raise ApplicationError(_("No household with this number at your offices."), field="to_household")
        if found.pk == member.household_id:
            raise ApplicationError(_("The person is already a member of this household."), field="to_household")
        target = found
    else:
        assert new_home is not None
        if not new_home.address.strip():
            raise ApplicationError(_("Enter the address of the new home."), field="address")
        target = _create(
            type=HouseholdType.FAMILY,
            town=new_home.town,
            address=new_home.address,
            head=member.person,
            case=None,
            actor=actor,
            fallback_office=member.household.office,
        )
        relation = HouseholdRelation.HEAD
    if target.is_family and relation in ("", HouseholdRelation.COLLECTIVE_MEMBER):
        raise ApplicationError(_("Choose what the person is to the head of the household."), field="relation")
    from_place = member.household.place
    note = note.strip()
    _leave(member, left_on=moved_on, reason=LeaveReason.MOVED_TO_HOUSEHOLD, case=None, actor=actor, note=note)
    return household_join(
        household=target,
        person=member.person,
        relation=relation,
        joined_on=moved_on,
        reason=JoinReason.MOVED_IN,
        case=None,
        actor=actor,
        moved_in_from=from_place,
        note=note,
    )


@transaction.atomic
def household_member_move_out_of_huzhou(
    *,
    actor: User,
    member_id: int,
    moved_out_on: dt.date,
    destination_address: str,
    destination_reference: str = "",
    note: str = "",
) -> MoveOut:
    """迁出 out of Huzhou: the membership ends (moved out of Huzhou) and a 迁出 record keeps
    where to and when."""
    member = _lock_active_member(member_id)
    _ensure_may_change(actor, member.household.office)
    if member.left_on is not None:
        raise ApplicationError(_("%(name)s has already left this household.") % {"name": member.person.name})
    _not_in_future(moved_out_on, "moved_out_on")
    destination_address = destination_address.strip()
    if not destination_address:
        raise ApplicationError(_("Enter the address the person moves to."), field="destination_address")
    note = note.strip()
    _leave(
        member,
        left_on=moved_out_on,
        reason=LeaveReason.MOVED_OUT_OF_HUZHOU,
        case=None,
        actor=actor,
        note=note,
        date_field="moved_out_on",
    )
    move_out = MoveOut(
        person=member.person,
        membership=member,
        destination_address=destination_address,
        destination_reference=destination_reference.strip(),
        moved_out_on=moved_out_on,
        office=actor.office,
        recorded_by=actor,
    )
    move_out.full_clean()
    move_out.save()
    record(
        action="household.moved_out_of_huzhou",
        actor=actor,
        target=move_out,
        new={
            "number": member.household.number,
            "destination": destination_address,
            "moved_out_on": moved_out_on.isoformat(),
            **({"destination_reference": move_out.destination_reference} if move_out.destination_reference else {}),
        },
        note=note,
    )
    return move_out


# -- 准迁证 and the origin's confirmation ------------------------------------------------------------


def move_in_permit_number(*, office: Office, year: int, serial: int) -> str:
    """``湖公（吴兴）准迁字〔2026〕第000001号``: the issuing bureau's area, like the other documents'
    numbers (``casework.issued_documents.document_number``), in a series of its own."""
    name = office.area_code and Area.objects.filter(code=office.area_code).values_list("name", flat=True).first()
    area = f"（{name[:-1] if name[-1] in '区县市' else name}）" if name and office.level != Office.Level.CITY else ""
    return f"湖公{area}准迁字〔{year}〕第{serial:06d}号"


def move_in_permit_issue(
    *, case: "Case", household: Household, people: list[tuple[Person, str]], origin_address: str, actor: User
) -> MoveInPermit:
    """准予迁入证明 for the people of a completed settlement whose hukou is outside Huzhou, in the
    name of the county-level bureau of the case's office, valid ``MOVE_IN_PERMIT_VALID_DAYS``.
    Inside the completion's transaction; nobody joins the household yet."""
    from hukou_portal.casework.issued_documents import county_bureau
    from hukou_portal.casework.services import next_serial

    office = case.office
    issuing = county_bureau(office)
    today = timezone.localdate()
    serial = next_serial(series=MOVE_IN_PERMIT_SERIES, area_code=issuing.area_code, year=today.year)
    permit = MoveInPermit(
        number=move_in_permit_number(office=issuing, year=today.year, serial=serial),
        case=case,
        household=household,
        origin_address=origin_address.strip(),
        issued_on=today,
        valid_until=today + dt.timedelta(days=MOVE_IN_PERMIT_VALID_DAYS),
        office=office,
        issuing_office=issuing,
        issued_by=actor,
    )
    permit.full_clean()
    permit.save()
    MoveInPermitPerson.objects.bulk_create(
        [MoveInPermitPerson(permit=permit, person=person, relation=relation) for person, relation in people]
    )
    record(
        action="move_in_permit.issued",
        actor=actor,
        target=permit,
        case=case,
        new={
            "permit_number": permit.number,
            "number": household.number,
            "origin": permit.origin_address,
            "valid_until": permit.valid_until.isoformat(),
            "people": [person.name for person, _relation in people],
        },
    )
    return permit


@transaction.atomic
def move_in_permit_confirm(
    *, actor: User, permit_id: int, moved_out_on: dt.date, origin_office: str, origin_reference: str
) -> MoveInConfirmation:
    """Record the origin office's 迁出 confirmation of a 准迁证 — once — and with it the people it
    covers join the destination household (moved in from outside Huzhou, on the day recorded).
    The day they moved out there is not in the future, not before the permit was issued and not
    after it expired."""
    permit = (
        MoveInPermit.objects.select_for_update(of=("self",))
        .select_related("office", "household__area", "household__town", "case")
        .filter(pk=permit_id)
        .first()
    )
    if permit is None:
        raise PermissionDenied
    _ensure_may_change(actor, permit.office)
    if MoveInConfirmation.objects.filter(permit=permit).exists():
        raise ApplicationError(_("The origin's confirmation of this permit is already recorded."))
    _not_in_future(moved_out_on, "moved_out_on")
    if moved_out_on < permit.issued_on:
        raise ApplicationError(
            _("The permit was issued on %(day)s: the move out cannot come before it.")
            % {"day": date_words(permit.issued_on)},
            field="moved_out_on",
        )
    if moved_out_on > permit.valid_until:
        raise ApplicationError(
            _("The permit was valid until %(day)s: a move out after that needs a new permit.")
            % {"day": date_words(permit.valid_until)},
            field="moved_out_on",
        )
    origin_office, origin_reference = origin_office.strip(), origin_reference.strip()
    if not origin_office:
        raise ApplicationError(_("Name the origin office that confirmed the move out."), field="origin_office")
    if not origin_reference:
        raise ApplicationError(_("Enter the origin office's reference."), field="origin_reference")
    confirmation = MoveInConfirmation(
        permit=permit,
        moved_out_on=moved_out_on,
        origin_office=origin_office,
        origin_reference=origin_reference,
        recorded_by=actor,
    )
    confirmation.full_clean()
    confirmation.save()
    record(
        action="move_in_permit.confirmed",
        actor=actor,
        target=permit,
        case=permit.case,
        new={"moved_out_on": moved_out_on.isoformat(), "origin_office": origin_office, "reference": origin_reference},
    )
    today = timezone.localdate()
    for row in permit.people.select_related("person").order_by("id"):
        household_join(
            household=permit.household,
            person=row.person,
            relation=row.relation,
            joined_on=today,
            reason=JoinReason.MOVED_IN_FROM_ELSEWHERE,
            case=permit.case,
            actor=actor,
            moved_in_from=permit.origin_address,
        )
    return confirmation
