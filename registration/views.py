"""Lease filings (recorded from the certificate) and registrations made elsewhere (evidence)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from hukou_portal.accounts.selectors import office_visible_ids
from hukou_portal.core.decorators import permission_needed
from hukou_portal.core.forms import run_service
from hukou_portal.core.lists import bind_filter, list_table
from hukou_portal.people.selectors import people_served_among, person_get_for_user

from . import selectors, services
from .filters import LeaseFilingFilter, RegistrationFilter
from .forms import ElsewhereRegistrationForm, LeaseFilingForm
from .tables import LeaseFilingTable, RegistrationTable


def _visible_office_ids(request: HttpRequest) -> frozenset[int]:
    return frozenset(office_visible_ids(user=request.user))


@permission_needed("people.view_person")
def lease_filing_list(request: HttpRequest) -> HttpResponse:
    filings = bind_filter(request, LeaseFilingFilter, selectors.lease_filing_list_for_user(user=request.user))
    table = list_table(
        request,
        LeaseFilingTable,
        filings.filtered(),
        required_months=selectors.lease_filing_required_months(),
    )
    table.served_tenants = people_served_among(
        user=request.user, person_ids=[row.record.tenant_id for row in table.page.object_list]
    )
    return render(
        request, "registration/lease_filing_list.html", {"filter": filings, "table": table, "page": table.page}
    )


@permission_needed("people.view_person")
def registration_list(request: HttpRequest) -> HttpResponse:
    """Residence registrations (居住登记) of the people the user's offices recorded."""
    registrations = bind_filter(request, RegistrationFilter, selectors.registration_list_for_user(user=request.user))
    table = list_table(
        request, RegistrationTable, registrations.filtered(), visible_offices=_visible_office_ids(request)
    )
    return render(
        request,
        "registration/registration_list.html",
        {"filter": registrations, "table": table, "page": table.page},
    )


@permission_needed("casework.add_case")
def lease_filing_create(request: HttpRequest) -> HttpResponse:
    form = LeaseFilingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # The tenant: any person of the city register; the service accounts for the lookup (D3).
        filing = run_service(
            form, lambda: services.lease_filing_record_for_id_number(actor=request.user, **form.cleaned_data)
        )
        if filing is not None:
            messages.success(request, _("Lease filing %(number)s recorded.") % {"number": filing.filing_number})
            return redirect("registration:lease_filing_list")
    return render(request, "registration/lease_filing_form.html", {"form": form})


@permission_needed("casework.add_case")
def registration_elsewhere_create(request: HttpRequest, person_pk: int) -> HttpResponse:
    person = person_get_for_user(user=request.user, pk=person_pk)
    form = ElsewhereRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form, lambda: services.registration_record_elsewhere(actor=request.user, person=person, **form.cleaned_data)
        )
        if saved is not None:
            messages.success(request, _("Registration recorded."))
            return redirect("people:person_detail", pk=person.pk)
    return render(request, "registration/elsewhere_form.html", {"form": form, "person": person})
