"""Reads of registrations and lease filings, scoped to the user's offices where they are lists."""

import datetime as dt

from django.db.models import Q, QuerySet
from django.utils import timezone

from hukou_portal.accounts.models import Office, User
from hukou_portal.accounts.selectors import office_visible_ids
from hukou_portal.people.models import Person
from hukou_portal.rules.selectors import parameters_in_force
from settlement.eligibility import add_months

from .continuity import Period, continuous_months
from .models import LeaseFiling, ResidenceRegistration


def registration_active(*, person: Person) -> ResidenceRegistration | None:
    return (
        ResidenceRegistration.objects.filter(
            person=person, source=ResidenceRegistration.Source.LOCAL, ended_on__isnull=True
        )
        .select_related("town__area")
        .first()
    )


def registration_months(*, person: Person, on: dt.date) -> int:
    """R3.2: the person's continuous registration months on ``on``, with the parameters in force."""
    params = parameters_in_force(on)
    periods = [
        Period(r.region_code, r.started_on, r.ended_on)
        for r in ResidenceRegistration.objects.filter(person=person).only("region_code", "started_on", "ended_on")
    ]
    return continuous_months(
        periods,
        on,
        recognised_regions=params["recognised_regions"],
        tolerance_days=params["registration_gap_tolerance_days"],
    )


def lease_filing_required_months(*, as_of: dt.date | None = None) -> int:
    """``lease_filing_min_months`` in force on ``as_of`` (today by default): one query, for a
    whole list of filings."""
    return int(parameters_in_force(as_of or timezone.localdate())["lease_filing_min_months"])


def lease_filing_matures_on(filing: LeaseFiling, *, as_of: dt.date | None = None) -> dt.date:
    """The day the filing reaches ``lease_filing_min_months`` (S1.2, N2), with the parameter
    in force on ``as_of`` (today by default). Derived, never stored."""
    return add_months(filing.filed_on, lease_filing_required_months(as_of=as_of))


def lease_filing_list_for_user(*, user: User) -> QuerySet[LeaseFiling]:
    """The lease filings the user's offices recorded, and those of rental homes in the towns the
    user's offices answer for (``people.selectors.town_offices``): N2 tells the station of the
    rental home, which must be able to open the filing whoever recorded it."""
    from hukou_portal.people.selectors import towns_answered_by_query

    office_ids = office_visible_ids(user=user)
    offices = Office.objects.filter(pk__in=office_ids)
    return LeaseFiling.objects.filter(
        Q(office_id__in=office_ids) | Q(town_id__in=towns_answered_by_query(offices))
    ).select_related("tenant", "town__area")


def registration_list_for_user(*, user: User) -> QuerySet[ResidenceRegistration]:
    """Residence registrations of the people the user's offices have served (the registration
    belongs to the person's file, which the same offices see: ``PersonOffice``), with their
    person and case."""
    from hukou_portal.people.selectors import served_by_offices

    office_ids = office_visible_ids(user=user)
    registrations = ResidenceRegistration.objects.filter(served_by_offices(office_ids, person="person"))
    return (registrations if office_ids else registrations.none()).select_related("person", "town__area", "case")
