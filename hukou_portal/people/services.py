"""Writes to people and towns, each audited."""

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hukou_portal.accounts.models import Office, User
from hukou_portal.audit.services import record
from hukou_portal.core.exceptions import ApplicationError

from . import id_numbers, id_vault, photos
from .models import LookupReason, Person, PersonOffice, PersonPhoto, SealedIdNumber, Town


class PersonAlreadyRecorded(ApplicationError):
    """The number is in the city register already: the person is served, not recorded again
    (the page offers the lookup, 全域就近办)."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "This person is already in the city register (全市人员库). Look them up by their citizen ID "
                "number to serve them here."
            ),
            field="id_number",
        )


@transaction.atomic
def person_create(*, actor: User, id_number: str, name: str, mobile: str = "") -> Person:
    """Record a person at the actor's office. One row per ID number, city-wide: a number already
    recorded anywhere in Huzhou is refused (``PersonAlreadyRecorded``). The office has served the
    person from now on (``PersonOffice``)."""
    if not actor.has_perm("people.add_person") or actor.office is None:
        raise PermissionDenied
    id_number = id_numbers.normalise(id_number)
    if Person.objects.with_id_number(id_number).exists():
        raise PersonAlreadyRecorded
    person = Person(name=name.strip(), mobile=mobile, office=actor.office)
    person.id_number = id_number  # sealed (SealedIdNumber), validated by full_clean
    person.full_clean()
    person.save()
    person_office_touch(person=person, office=actor.office, via=PersonOffice.Via.RECORDED)
    record(action="person.created", actor=actor, target=person, new={"name": person.name})
    return person


def person_office_touch(*, person: Person, office: Any, via: str) -> None:
    """Note that ``office`` served ``person`` now (recorded them, opened or received a case of
    theirs, recorded a lease filing): the first time adds the row, a later time moves its latest
    time and how (or its first, for a moment earlier than any noted). Two officers serving the
    same person at once meet at the unique ``person_office_once``. Called inside the caller's
    audited transaction; the caller's own event says what happened."""
    if via not in PersonOffice.Via.values:
        raise ValueError(f"unknown way of serving a person {via!r}")
    # One statement on PostgreSQL and SQLite alike: insert, or move the existing row's times (the
    # right-hand sides all read the row as it was).
    table = connection.ops.quote_name(PersonOffice._meta.db_table)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (person_id, office_id, first_at, first_via, last_at, last_via) "  # noqa: S608
            "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (person_id, office_id) DO UPDATE SET "
            f"first_via = CASE WHEN {table}.first_at > excluded.first_at THEN excluded.first_via "
            f"ELSE {table}.first_via END, "
            f"first_at = CASE WHEN {table}.first_at > excluded.first_at THEN excluded.first_at "
            f"ELSE {table}.first_at END, "
            f"last_via = CASE WHEN {table}.last_at <= excluded.last_at THEN excluded.last_via "
            f"ELSE {table}.last_via END, "
            f"last_at = CASE WHEN {table}.last_at <= excluded.last_at THEN excluded.last_at "
            f"ELSE {table}.last_at END",
            [person.pk, getattr(office, "pk", office), now, via, now, via],
        )


def _lookup_reason_checked(reason: str, reason_text: str) -> str:
    reason_text = reason_text.strip()
    if reason not in LookupReason.values:
        raise ApplicationError(_("Choose the reason for the lookup."), field="reason")
    if reason == LookupReason.OTHER and not reason_text:
        raise ApplicationError(_("Say why you look this person up."), field="reason_text")
    return reason_text


def _ensure_may_look_up(actor: User) -> None:
    if not actor.has_perm("people.view_person") or actor.office is None:
        raise PermissionDenied


@transaction.atomic
def person_lookup(*, actor: User, id_number: str, reason: str, reason_text: str = "") -> Person | None:
    """Find a person of the city register by their exact full citizen ID number, from any station
    (全域就近办, policy D1), and account for it (D3): one ``person.lookup`` event with the reason
    and its words — never the number; the event names the person found, or says nobody was.

    ``reason`` is one of ``LookupReason`` (``other`` needs ``reason_text``); without one the
    lookup is refused and nothing is read or written. Only staff who serve people
    (``people.view_person``) look anyone up. Finding someone does not make them the office's:
    that takes recording them or serving them (``person_office_touch``)."""
    _ensure_may_look_up(actor)
    reason_text = _lookup_reason_checked(reason, reason_text)
    number = id_numbers.normalise(id_number)
    person = Person.objects.with_id_number(number).select_related("office").first() if number else None
    _record_lookup(actor=actor, person=person, reason=reason, reason_text=reason_text)
    return person


def person_lookup_record(
    *, actor: User, person: Person, reason: str = LookupReason.BUSINESS, reason_text: str = "", case: Any = None
) -> None:
    """Account for a person found by their full ID number on the way to serving them (an intake,
    a lease filing): the same ``person.lookup`` event, reason "business" by default, tied to
    ``case`` when the lookup opened one. Inside the caller's transaction."""
    _ensure_may_look_up(actor)
    reason_text = _lookup_reason_checked(reason, reason_text)
    _record_lookup(actor=actor, person=person, reason=reason, reason_text=reason_text, case=case)


def _record_lookup(*, actor: User, person: Person | None, reason: str, reason_text: str, case: Any = None) -> None:
    record(
        action="person.lookup",
        actor=actor,
        target=person,
        case=case,
        new={"reason": reason, "found": person is not None},
        note=reason_text,
    )


def person_record_full_view(*, actor: User, person: Person) -> None:
    """Log that ``actor`` saw the person's full record (policy D3: every access accountable)."""
    record(action="person.viewed", actor=actor, target=person)


def person_record_found_by_id_number(*, actor: User, person: Person) -> None:
    """Log that a search by ``person``'s full ID number showed ``actor`` who it is (the header
    search; policy D3). The number itself stays out of the trail: the target names the person."""
    record(action="person.found_by_id_number", actor=actor, target=person)


def photo_storage() -> Storage:
    """Photos live in the private document storage (settings STORAGES["documents"]: outside every
    public URL), under ``photos/``; only ``views.person_photo_image`` serves them."""
    return storages["documents"]


def may_take_photo(actor: User) -> bool:
    return actor.has_perm("people.add_personphoto") and actor.office is not None


@transaction.atomic
def person_photo_take(
    *, actor: User, person_id: int, upload: UploadedFile, source: str, replacing: int | None
) -> PersonPhoto:
    """Take the person's ID photo (一窗通拍, D2) at the actor's office: check and process the file
    (``photos``: a 358×441 JPEG without metadata, or a refusal), store it privately under a random
    name, and make it the person's current photo. The photo it replaces keeps its row and file,
    marked replaced (history is never edited or deleted).

    ``replacing`` is the current photo the officer saw when the page was shown (None: none): if
    another photo was taken since, the page was stale and nothing is written. One audit event,
    ``person.photo_taken``, on the person, with no image data. A refusal leaves no file and no row;
    a failure after the file is written removes it again."""
    from .selectors import person_list_for_user

    if not may_take_photo(actor) or not person_list_for_user(user=actor).filter(pk=person_id).exists():
        raise PermissionDenied
    if source not in PersonPhoto.Source.values:
        raise ApplicationError(_("Say whether the photo was taken with the camera or uploaded."), field="source")
    processed = photos.process_upload(upload)
    person = Person.objects.select_for_update().get(pk=person_id)
    current = PersonPhoto.objects.current().select_for_update().filter(person=person).first()
    if (current.pk if current else None) != replacing:
        raise ApplicationError(
            _("The person's photo changed while this page was open. Look at the current photo, then take it again.")
        )
    storage = photo_storage()
    stored_name = storage.save(f"photos/{uuid.uuid4().hex}.jpg", ContentFile(processed.content))
    try:
        now = timezone.now()
        if current is not None:
            current.replaced_at, current.replaced_by = now, actor
            current.save(update_fields=["replaced_at", "replaced_by"])
        photo = PersonPhoto(
            person=person,
            stored_name=stored_name,
            sha256=processed.sha256,
            size=len(processed.content),
            source=source,
            taken_at=now,
            taken_by=actor,
            office=actor.office,
            replaces=current,
        )
        photo.full_clean()
        photo.save()
        record(
            action="person.photo_taken",
            actor=actor,
            target=person,
            new={
                "source": source,
                "replaced_photo_of": timezone.localtime(current.taken_at).date().isoformat() if current else None,
            },
        )
    except BaseException:
        storage.delete(stored_name)
        raise
    return photo


@transaction.atomic
def town_set_urban(*, actor: User, town_id: int, is_urban: bool, reason: str) -> Town:
    """Correct a town's urban flag (RULES.md "Areas"), its station unchanged."""
    station_id = Town.objects.filter(pk=town_id).values_list("station_id", flat=True).first()
    return town_update(actor=actor, town_id=town_id, is_urban=is_urban, station_id=station_id, reason=reason)


@transaction.atomic
def town_update(*, actor: User, town_id: int, is_urban: bool, station_id: int | None, reason: str) -> Town:
    """Correct a town's urban flag (RULES.md "Areas") and name the police station whose
    jurisdiction holds it (N2 goes to the office of the rental home; with no station, the
    county-level bureau of the area answers). Both hold city-wide, so only administrators of the
    city bureau change them; the station is an open station of the town's own area. One audit
    event with what changed."""
    from hukou_portal.rules.services import ensure_city_wide_change

    ensure_city_wide_change(actor, "people.change_town")
    if not reason.strip():
        raise ApplicationError(_("Say why the town changes."), field="reason")
    town = Town.objects.select_for_update(of=("self",)).select_related("area", "station").get(pk=town_id)
    station = None
    if station_id is not None:
        station = Office.objects.filter(pk=station_id).first()
        if (
            station is None
            or station.level != Office.Level.STATION
            or not station.is_active
            or station.area_code != town.area.code
        ):
            raise ApplicationError(
                _("Choose an open police station of %(area)s.") % {"area": town.area.name}, field="station"
            )
    old: dict[str, object] = {}
    new: dict[str, object] = {}
    if town.is_urban != is_urban:
        old["is_urban"], new["is_urban"] = town.is_urban, is_urban
    if town.station_id != station_id:
        old["station"] = town.station.code if town.station else None
        new["station"] = station.code if station else None
    if not new:
        return town
    town.is_urban, town.station = is_urban, station
    town.save(update_fields=["is_urban", "station"])
    record(action="town.updated", actor=actor, target=town, old=old, new=new, note=reason.strip())
    return town


@dataclass
class ResealReport:
    resealed: dict[str, int] = field(default_factory=dict)  # rows re-sealed, by model label
    unreadable: dict[str, list[int]] = field(default_factory=dict)  # rows that did not open, by model


def sealed_models() -> list[type[SealedIdNumber]]:
    """Every model that keeps a sealed ID number (people's, settlement's family members...)."""
    return [model for model in apps.get_models() if issubclass(model, SealedIdNumber)]


def id_numbers_reseal(*, everything: bool = False, batch_size: int = 1000) -> ResealReport:
    """Key rotation (``manage.py rotate_id_number_key``): open every ID number sealed under a key
    other than the current ``ID_NUMBER_KEY`` — it must still be configured, as the key or a
    retired one — and seal it again under the current key. With ``everything``, every row, and
    the blind index is recomputed too: what follows a change of ``ID_NUMBER_INDEX_KEY``.

    Batches of ``batch_size`` rows by primary key, each locked and written in its own transaction,
    so the portal keeps serving and an interrupted run is simply run again (a second run finds
    nothing left). A row that does not open is left as it is and reported. One audit event
    (``id_numbers.resealed``, by the system) says how many rows moved to which key."""
    current, _secret = id_vault.current_key()
    report = ResealReport()
    fields = ["id_number_index", "id_number_sealed", "id_number_key_id"]
    for model in sealed_models():
        label = model._meta.label_lower
        report.resealed[label], after = 0, 0
        while True:
            with transaction.atomic():
                rows = model._default_manager.select_for_update().filter(pk__gt=after).order_by("pk")
                if not everything:
                    rows = rows.exclude(id_number_key_id=current)
                batch = list(rows[:batch_size])
                if not batch:
                    break
                done = []
                for row in batch:
                    try:
                        row.id_number_reseal()
                    except id_vault.IdNumberUnreadable:
                        report.unreadable.setdefault(label, []).append(row.pk)
                        continue
                    done.append(row)
                model._default_manager.bulk_update(done, fields)
            report.resealed[label] += len(done)
            after = batch[-1].pk
    breakdown = [f"{label} {count}" for label, count in report.resealed.items()]
    breakdown += [f"{label} unreadable #{', #'.join(map(str, pks))}" for label, pks in report.unreadable.items()]
    with transaction.atomic():
        record(
            action="id_numbers.resealed",
            new={"key": current, "rows": sum(report.resealed.values()), "index_recomputed": everything},
            note="; ".join(breakdown),
        )
    return report
