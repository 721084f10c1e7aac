"""Reads for settlement: the engine's parameters in force on a day, the facts of an application
as the portal's records stand on a day, and a person's hukou entry."""

import copy
import datetime as dt
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from hukou_portal.people.models import Person, Town
from hukou_portal.rules.selectors import parameters_in_force

from .eligibility import Decision as EngineDecision
from .eligibility import Facts, Parameters, decide

if TYPE_CHECKING:
    from permits.models import ResidencePermit

    from .models import HukouEntry, SettlementApplication


def engine_parameters(as_of: dt.date) -> Parameters:
    """The rule parameters the engine reads, as in force on ``as_of``."""
    values = parameters_in_force(as_of)
    return Parameters(**{f.name: values[f.name] for f in fields(Parameters)})


def precheck(facts: Facts) -> EngineDecision:
    """The engine's decision on ``facts`` with the parameters in force on their ``as_of``."""
    return decide(facts, engine_parameters(facts.as_of))


def hukou_entry_of(person: Person) -> "HukouEntry | None":
    """The person's hukou entry in Huzhou, if this portal wrote one (at most one: the database
    holds one per person)."""
    from .models import HukouEntry

    return HukouEntry.objects.filter(person=person).select_related("case", "town__area").first()


def _permit_now(permit: "ResidencePermit") -> "ResidencePermit":
    """The permit that carries ``permit`` on today: a replacement after loss keeps the issue day,
    the issuing area and the holding time, so the fact follows it."""
    seen = {permit.pk}
    while permit.status == permit.Status.REPLACED and hasattr(permit, "replaced_by"):
        permit = permit.replaced_by
        if permit.pk in seen:  # never loops on bad data
            break
        seen.add(permit.pk)
    return permit


def _town_urban_now(area: str, name: str) -> bool | None:
    town = Town.objects.filter(area__code=area, name=name).only("is_urban").first() if area and name else None
    return None if town is None else town.is_urban


def application_facts_now(
    application: "SettlementApplication", as_of: dt.date
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The application's facts document as of ``as_of``, with every fact the portal holds a
    record for read again, and what changed since intake (issue 11, finding 6).

    Read again: the urban flag of the town of settlement and of the home's and the rented
    home's towns (administrators correct them); the lease filing (its housing, its town's flag,
    and whether its term has ended — a lease past its term is no longer rented, so it drops out);
    the residence permit (cancelled, lapsed, converted, re-endorsed after a lapse — its
    ``held_since`` — or replaced, when the replacement carries the fact on); and whether the
    residence registration active at intake still is (it ends with a cancellation, and a
    cancellation also cancels the permit). Facts typed at intake without a record stay as typed.

    Each change is ``{"name", "before", "after"}``, words given by the vocabulary (``labels.py``,
    scope ``settlement.change``)."""
    from registration.selectors import registration_active

    document: dict[str, Any] = copy.deepcopy(application.facts)
    document["as_of"] = as_of.isoformat()
    person = document["person"]
    changes: list[dict[str, Any]] = []

    def change(name: str, before: Any, after: Any) -> None:
        if before != after:
            changes.append({"name": name, "before": before, "after": after})

    town = Town.objects.select_related("area").get(pk=application.town_id)
    target = document["target"]
    change("target_urban", target.get("urban"), town.is_urban)
    target["urban"] = town.is_urban

    for home in person.get("homes") or []:
        urban = _town_urban_now(home.get("area", ""), home.get("town", ""))
        if urban is not None:
            change("home_urban", home.get("urban"), urban)
            home["urban"] = urban

    lease = person.get("lease")
    filing = application.lease_filing
    if lease and filing is not None:
        change("lease_private_housing", lease.get("private_housing"), filing.housing == filing.Housing.PRIVATE)
        lease["private_housing"] = filing.housing == filing.Housing.PRIVATE
        change("lease_urban", lease.get("urban"), filing.town.is_urban)
        lease["urban"] = filing.town.is_urban
        if filing.term_end < as_of:
            change("lease_term_ended", None, filing.term_end.isoformat())
            person["lease"] = None
    elif lease:
        urban = _town_urban_now(lease.get("area", ""), lease.get("town", ""))
        if urban is not None:
            change("lease_urban", lease.get("urban"), urban)
            lease["urban"] = urban

    permits = person.get("permits") or []
    if permits and application.permit is not None:
        stated = permits[0]
        intake_permit = application.permit
        permit = _permit_now(intake_permit)
        state = permit.state_on(as_of)
        if permit.pk != intake_permit.pk:
            change("permit_replaced", intake_permit.number, permit.number)
        if state != "valid" or not stated.get("valid", True):
            change("permit", "valid" if stated.get("valid", True) else "not_valid", state)
        now = {
            "issuer_area": permit.area_code,
            "issued_on": permit.issued_on.isoformat(),
            "held_since": permit.held_since.isoformat(),
            "valid": state == "valid",
        }
        change("permit_held_since", stated.get("held_since", stated.get("issued_on")), now["held_since"])
        change("permit_issuer_area", stated.get("issuer_area"), now["issuer_area"])
        permits[0] = now

    if application.registration is not None and registration_active(person=application.case.applicant) is None:
        from registration.models import ResidenceRegistration

        last = (
            ResidenceRegistration.objects.filter(
                person_id=application.case.applicant_id,
                source=ResidenceRegistration.Source.LOCAL,
                ended_on__isnull=False,
            )
            .order_by("-ended_on", "-id")
            .values_list("ended_on", flat=True)
            .first()
        )
        change("registration_ended", None, (last or as_of).isoformat())
    return document, changes


def document_list() -> list[tuple[str, Any, list[Any]]]:
    """Every category with its documents, for the administrators' page (one query)."""
    from .models import Category, SettlementDocument

    rows = list(SettlementDocument.objects.order_by("category", "position", "id"))
    return [(code, label, [row for row in rows if row.category == code]) for code, label in Category.choices]
