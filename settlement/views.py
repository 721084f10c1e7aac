"""Settlement pages: the live pre-check at intake (htmx), the acknowledgement receipt, the
decision notice, and the administrators' document lists."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_htmx.http import trigger_client_event

from hukou_portal.casework.document_views import render_document
from hukou_portal.casework.issued_documents import LAWSUIT_WITHIN_MONTHS, REVIEW_WITHIN_DAYS, Kind, office_full_name
from hukou_portal.casework.models import Decision
from hukou_portal.casework.selectors import case_get_for_user
from hukou_portal.core.decorators import permission_needed
from hukou_portal.core.exceptions import ApplicationError
from hukou_portal.core.forms import run_service
from hukou_portal.core.refusals import refusal_message
from hukou_portal.people import id_numbers
from hukou_portal.people.models import LookupReason
from hukou_portal.people.selectors import person_list_for_user
from hukou_portal.people.services import person_lookup
from hukou_portal.rules.services import may_change_city_wide

from . import services
from .forms import (
    CATEGORY_GROUPS,
    DEFAULT_CATEGORY,
    HOUSEHOLD_FIELDS,
    SettlementDocumentForm,
    SettlementFactsForm,
    SettlementIntake,
    data_with_records,
    facts_document,
)
from .models import Category, SettlementDocument
from .selectors import document_list, hukou_entry_of


@require_POST
@permission_needed("casework.add_case")
def precheck(request: HttpRequest) -> HttpResponse:
    """htmx: the engine on what the officer has typed so far, as of today."""
    intake = SettlementIntake(request.POST, prefix="details")
    number = id_numbers.normalise(request.POST.get("applicant_id_number", ""))
    context: dict[str, Any] = {"ready": False}
    try:
        id_numbers.parse(number)
    except ValidationError:  # the intake form itself says what is wrong with the number
        context["missing"] = [_("Applicant's citizen ID number")]
        return render(request, "settlement/partials/precheck.html", context)
    # One hukou per person: say at once that a person settled in Huzhou cannot settle again
    # (opening the case is refused by the service).
    applicant = person_list_for_user(user=request.user).with_id_number(number).first()
    context["applicant_settled"] = hukou_entry_of(applicant) if applicant is not None else None
    # The engine decides without the household's particulars (the community, the host's number,
    # the origin): their errors are for the case's form, not a reason to withhold the pre-check.
    if not intake.is_valid() and not (intake.family.is_valid() and set(intake.facts.errors) <= HOUSEHOLD_FIELDS):
        context["missing"] = sorted(
            {
                str(intake.facts.fields[name].label)
                for name in intake.facts.errors
                if name in intake.facts.fields and name not in HOUSEHOLD_FIELDS
            }
        )
        return render(request, "settlement/partials/precheck.html", context)
    document = facts_document(intake.cleaned_data, applicant_id_number=number, as_of=timezone.localdate())
    decision = services.decide_facts(document).to_json()
    return render(
        request,
        "settlement/partials/precheck.html",
        {**context, "ready": True, "engine": decision, "category": request.POST.get("category", "")},
    )


def _is_id_number(number: str) -> bool:
    try:
        id_numbers.parse(number)
    except ValidationError:
        return False
    return True


# Sent with every swapped intake fragment: the pre-check listens for it and runs again.
INTAKE_CHANGED_EVENT = "settlement-intake-changed"


@require_POST
@permission_needed("casework.add_case")
def intake_details(request: HttpRequest) -> HttpResponse:
    """htmx: the facts of the category now chosen, keeping what was typed; with ``load_records``
    also the facts the portal holds about the applicant (调取申请人已有记录)."""
    category = request.POST.get("category", "")
    if category not in CATEGORY_GROUPS:
        category = DEFAULT_CATEGORY
    data = request.POST
    context: dict[str, Any] = {}
    if "load_records" in request.POST:
        context["records"] = "not_found"
        number = id_numbers.normalise(request.POST.get("applicant_id_number", ""))
        # Any person of the city register (全域就近办); reading their records is a lookup for
        # business, accounted for (D3, ``person.lookup``).
        applicant = (
            person_lookup(actor=request.user, id_number=number, reason=LookupReason.BUSINESS)
            if _is_id_number(number)
            else None
        )
        if applicant is not None:
            records = services.intake_initial(applicant)
            context["records"] = "filled" if records else "none"
            data = data_with_records(data, records)
    context["facts"] = SettlementFactsForm.redisplay(data, category=category)
    response = render(request, "settlement/partials/intake_facts.html", context)
    return trigger_client_event(response, INTAKE_CHANGED_EVENT, after="settle")


@permission_needed("casework.view_case")
def receipt(request: HttpRequest, pk: int) -> HttpResponse:
    """受理回执: every kind of case has one now (casework); this address stays for old links."""
    case = case_get_for_user(user=request.user, pk=pk)
    return redirect("casework:case_receipt", pk=case.pk)


@never_cache
@permission_needed("casework.view_case")
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    """准予落户通知书 / 不予落户告知书, once the case is decided: numbered when first issued, kept
    for every reprint; a refusal states the failed conditions and the remedies."""
    case = case_get_for_user(user=request.user, pk=pk)
    if case.kind != "settlement" or not case.decision:
        messages.error(request, _("The notice is printed once the case is decided."))
        return redirect("casework:case_detail", pk=case.pk)
    kind = Kind.SETTLEMENT_APPROVAL if case.decision == Decision.APPROVED else Kind.SETTLEMENT_REFUSAL
    return render_document(
        request,
        case=case,
        kind=kind,
        template="settlement/notice.html",
        context={
            **services.application_detail_context(case),
            "review_within_days": REVIEW_WITHIN_DAYS,
            "lawsuit_within_months": LAWSUIT_WITHIN_MONTHS,
            "station": office_full_name(case.office),
        },
    )


@permission_needed("settlement.view_settlementdocument")
def documents(request: HttpRequest) -> HttpResponse:
    form = SettlementDocumentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        row = run_service(form, lambda: services.settlement_document_add(actor=request.user, **form.cleaned_data))
        if row is not None:
            messages.success(request, _("Document added."))
            return redirect("settlement:documents")
    return render(
        request,
        "settlement/document_list.html",
        {
            "groups": document_list(),
            "form": form,
            "categories": Category,
            "may_change": may_change_city_wide(request.user, "settlement.change_settlementdocument"),
        },
    )


@require_POST
@permission_needed("settlement.change_settlementdocument")
def document_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(SettlementDocument, pk=pk)
    try:
        services.settlement_document_set_active(actor=request.user, document_id=row.pk, is_active=not row.is_active)
    except ApplicationError as error:
        refusal_message(request, error)
    return redirect("settlement:documents")
