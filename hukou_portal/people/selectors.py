"""Reads of people and towns. People are scoped to the offices the user may see."""

from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from hukou_portal.accounts.models import Office, User
from hukou_portal.accounts.selectors import office_visible_ids

from . import id_vault
from .models import Area, Person, PersonOffice, PersonPhoto, PersonQuerySet, Town, name_key


def served_by_offices(office_ids: list[int], person: str = "pk") -> Exists:
    """ "One of the offices ``office_ids`` has served the person" (``PersonOffice``) — the person
    being the row's ``person`` field (its primary key for a ``Person``). A semi-join PostgreSQL
    drives either way: from the list's order, probing ``person_office_once`` per row, when the
    offices served many of the city's people; from ``person_office_by_office`` when they served
    few. The ids are written out (``office_visible_ids``) so that it can tell which."""
    return Exists(PersonOffice.objects.filter(person=OuterRef(person), office_id__in=office_ids))


def person_list_for_user(*, user: User, query: str = "") -> PersonQuerySet:
    """The people the user's offices have served — recorded, or opened or received a case of
    theirs (``PersonOffice``) — each with ``name_key`` (the name, compared code by code: sort and
    search by name through it). One query, and one for the user's offices shared by the page.
    ``query`` matches the start of a name or a whole ID number (both served by an index:
    ``person_by_name_in_code_order``, the number's unique blind index).

    Anyone else of the city is found only by a lookup with a reason (``services.person_lookup``)."""
    office_ids = office_visible_ids(user=user)
    people = Person.objects.filter(served_by_offices(office_ids)).select_related("office").annotate(name_key=name_key())
    if not office_ids:  # no office, or a closed one: nobody
        people = people.none()
    query = query.strip()
    if query:
        people = people.filter(Q(name_key__startswith=query) | Q(id_number_index=id_vault.blind_index(query)))
    return people


def person_get_for_user(*, user: User, pk: int) -> Person:
    """The person if the user's offices have served them; 404 otherwise (every person URL)."""
    return get_object_or_404(person_list_for_user(user=user), pk=pk)


def person_photo_current(*, person: Person | int) -> PersonPhoto | None:
    """The person's current ID photo (一窗通拍), or None: one query on the partial unique index
    ``person_photo_one_current``. The caller has checked that its user may see the person."""
    return PersonPhoto.objects.current().filter(person=person).select_related("taken_by", "office").first()


def person_photos_current(*, person_ids: Iterable[int]) -> dict[int, PersonPhoto]:
    """The current photos of many people by person id (one query), for a page that shows several
    (a household's members); people without a photo are left out."""
    return {photo.person_id: photo for photo in PersonPhoto.objects.current().filter(person_id__in=list(person_ids))}


def person_photo_history(*, person: Person) -> list[PersonPhoto]:
    """Every photo of the person, the newest (the current one) first, with who took it where and
    who replaced it (one query, index ``person_photo_history``)."""
    return list(
        PersonPhoto.objects.filter(person=person)
        .select_related("taken_by", "office", "replaced_by")
        .order_by("-taken_at", "-id")
    )


def person_photo_get_for_user(*, user: User, person_pk: int, pk: int) -> PersonPhoto:
    """A photo of a person ``user`` may see (``person_get_for_user``), or 404."""
    person = person_get_for_user(user=user, pk=person_pk)
    return get_object_or_404(PersonPhoto.objects.filter(person=person), pk=pk)


def people_served_among(*, user: User, person_ids: Iterable[int]) -> set[int]:
    """Which of ``person_ids`` the user's offices have served — whose file opens for the user —
    in one query by ``person_office_once``: for a page of rows naming people (a list's 20)."""
    ids = set(person_ids)
    if not ids:
        return set()
    # The offices as a subquery: the rows are found by the person ids (person_office_once).
    served = PersonOffice.objects.filter(person_id__in=ids, office_id__in=office_visible_ids(user=user))
    return set(served.values_list("person_id", flat=True))


def person_of_city_register(*, pk: int) -> Person | None:
    """Any person of the city, by row — only for a page opened with a reference that an
    accounted lookup made for its user (``references``, ``services.person_lookup``)."""
    return Person.objects.select_related("office").filter(pk=pk).first()


def person_offices(*, person: Person) -> list[PersonOffice]:
    """The offices that have served ``person``, first served first (one query). Facts about the
    person, shown to whoever may see the person: which office to ask, never what it holds."""
    return list(PersonOffice.objects.filter(person=person).select_related("office").order_by("first_at", "id"))


def area_names() -> dict[str, str]:
    """Huzhou's county-level areas by code, and the city itself (one query)."""
    from django.utils.translation import gettext

    names = dict(Area.objects.values_list("code", "name"))
    names.setdefault("330500", gettext("Huzhou"))
    return names


def town_list() -> QuerySet[Town]:
    return Town.objects.select_related("area", "station")


def town_offices(towns: Iterable[Town]) -> dict[int, Office]:
    """The office answering for each of ``towns``, by town id: its police station (``station``,
    loaded with the town), or — while it has none, or its station is closed — the county-level
    bureau of its area. A town whose area has no open bureau either is left out. At most one
    query, for the bureaus, whatever the number of towns."""
    towns = list(towns)
    bureaus: dict[str, Office] = {}
    # The bureaus are read only for towns with no open station (none: no query at all).
    without_station = {town.area.code for town in towns if town.station is None or not town.station.is_active}
    if without_station:
        county_bureaus = Office.objects.filter(level=Office.Level.COUNTY, is_active=True, area_code__in=without_station)
        for bureau in county_bureaus.order_by("-path"):
            bureaus[bureau.area_code] = bureau  # the first by path wins when an area has two
    found: dict[int, Office] = {}
    for town in towns:
        office = town.station if town.station is not None and town.station.is_active else bureaus.get(town.area.code)
        if office is not None:
            found[town.pk] = office
    return found


def towns_answered_by_query(offices: QuerySet[Office]) -> QuerySet[Town, Any]:
    """``towns_answered_by`` as one subquery, for a list's filter (no query of its own): the towns
    whose open station is one of ``offices``, and those with no open station whose area's
    county-level bureau is one of them."""
    without_station = Q(station__isnull=True) | Q(station__is_active=False)
    bureau_areas = offices.filter(level=Office.Level.COUNTY, is_active=True).values("area_code")
    return Town.objects.filter(
        Q(station__in=offices, station__is_active=True) | (without_station & Q(area__code__in=bureau_areas))
    ).values("pk")


def towns_answered_by(offices: Iterable[Office]) -> list[int]:
    """The ids of the towns whose office (``town_offices``) is one of ``offices`` (two queries)."""
    office_ids = {office.pk for office in offices}
    return [pk for pk, office in town_offices(town_list()).items() if office.pk in office_ids]
