"""Settlement cases: intake, the pre-check, the decision's basis, and completion.

The engine decides; these functions gather the facts, record what it decided with the
parameter values it used, and write the hukou entries when an approved case is completed.
"""

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from hukou_portal.accounts.models import User
from hukou_portal.audit.services import record
from hukou_portal.casework.kinds import DocumentRequirement
from hukou_portal.casework.models import Case, Decision
from hukou_portal.core.exceptions import ApplicationError
from hukou_portal.core.redaction import redact_id_numbers
from hukou_portal.people.models import Person

from .eligibility import Decision as EngineDecision
from .facts import FactsError, parse_facts
from .forms import facts_document
from .models import CATEGORY_CLAUSES, AccompanyingMember, HukouEntry, SettlementApplication, SettlementDocument
from .selectors import precheck


def required_documents(category: str) -> tuple[DocumentRequirement, ...]:
    """The category's documents as administrators keep them."""
    return tuple(
        DocumentRequirement(row.code, row.label)
        for row in SettlementDocument.objects.filter(category=category, is_active=True).order_by("position", "id")
    )


def decide_facts(document: dict[str, Any]) -> EngineDecision:
    try:
        facts = parse_facts(document)
    except FactsError as error:  # the intake form validated the facts; this is a programming error
        raise ApplicationError(_("The facts are incomplete: %(field)s.") % {"field": error.field}) from error
    return precheck(facts)


def application_save(case: Case, data: dict[str, Any]) -> None:
    """on_intake: store the facts document (as of intake) and the accompanying family."""
    document = facts_document(data, applicant_id_number=case.applicant.id_number, as_of=timezone.localdate())
    application = SettlementApplication.objects.create(
        case=case, town=data["town"], address=data["address"].strip(), facts=document
    )
    members = []
    for index, member in enumerate(data.get("family", [])):
        row = AccompanyingMember(
            application=application,
            ref=f"m{index + 1}",
            name=member["name"],
            relation=member["relation"],
            marital_status=member["marital_status"],
        )
        row.id_number = member["id_number"]  # sealed (SealedIdNumber)
        members.append(row)
    AccompanyingMember.objects.bulk_create(members)


def application_precheck(application: SettlementApplication, as_of: dt.date) -> EngineDecision:
    """The engine on the application's facts, as of ``as_of``."""
    return decide_facts({**application.facts, "as_of": as_of.isoformat()})


def category_route(decision: dict[str, Any], category: str) -> dict[str, Any] | None:
    """The eligible route of the category's clauses, if any (from a decision's JSON)."""
    clauses = CATEGORY_CLAUSES[category]
    return next((r for r in decision.get("routes", []) if r["clause"] in clauses and r["eligible"]), None)


def record_decision_basis(case: Case, actor: User, decision: str, justification: str) -> dict[str, Any]:
    """on_decide: the engine decides as of today with the parameters in force; the result and
    those values are stored, so a later parameter change never alters this decision. Approving
    a case the engine finds ineligible for its category needs a written justification."""
    application = case.settlement
    result = application_precheck(application, timezone.localdate()).to_json()
    eligible_route = category_route(result, case.category)
    if decision == Decision.APPROVED and eligible_route is None and not justification:
        raise ApplicationError(
            _(
                "The pre-check finds the applicant not eligible under this category. "
                "Approving needs a written justification."
            ),
            field="justification",
        )
    application.decision = result
    application.justification = redact_id_numbers(justification) if decision == Decision.APPROVED else ""
    application.save(update_fields=["decision", "justification"])
    return {
        "engine_eligible": eligible_route is not None,
        "clause": eligible_route["clause"] if eligible_route else None,
        "parameters": result["parameters"],
    }


def _household(decision: dict[str, Any], category: str) -> tuple[str, str]:
    """(clause, household) the person is registered under: the category's route when eligible,
    else the first eligible route, else (approved on justification) the community household."""
    route = category_route(decision, category) or next((r for r in decision["routes"] if r["eligible"]), None)
    if route is None:
        return CATEGORY_CLAUSES[category][0], "community_collective"
    return route["clause"], route["household"]


def write_hukou_entries(case: Case, actor: User) -> None:
    """on_complete: the hukou entry of the applicant and of each member S6.1 allows."""
    application = case.settlement
    decision = application.decision or {}
    clause, household = _household(decision, case.category)
    today = timezone.localdate()
    allowed = {verdict["ref"] for verdict in decision.get("family", []) if verdict["may_accompany"]}
    people = [(case.applicant, clause)]
    for member in application.members.all():
        if member.ref in allowed:
            person, _created = Person.objects.get_or_create_by_id_number(
                member.id_number, defaults={"name": member.name, "office": case.office}
            )
            people.append((person, "S6.1"))
    for person, person_clause in people:
        entry = HukouEntry.objects.create(
            person=person,
            household_type=household,
            town=application.town,
            address=application.address,
            clause=person_clause,
            registered_on=today,
            case=case,
        )
        record(
            action="hukou.registered",
            actor=actor,
            target=entry,
            case=case,
            new={"household": household, "clause": person_clause, "registered_on": today.isoformat()},
        )


def application_detail_context(case: Case) -> dict[str, Any]:
    """detail_context: the engine's result — as recorded at the decision, or live as of today
    while the case is open — with the family verdicts joined to the members."""
    application = case.settlement
    result = application.decision or application_precheck(application, timezone.localdate()).to_json()
    verdicts = {verdict["ref"]: verdict for verdict in result.get("family", [])}
    members = [(member, verdicts.get(member.ref)) for member in application.members.all()]
    return {
        "application": application,
        "engine": result,
        "engine_recorded": application.decision is not None,
        "category_route": category_route(result, case.category),
        "members": members,
    }


def _ensure_admin(actor: User) -> None:
    """The document lists hold for every office of the city: the city bureau's administrators
    change them (rules.services.city_wide_refusal)."""
    from hukou_portal.rules.services import ensure_city_wide_change

    ensure_city_wide_change(actor, "settlement.change_settlementdocument")


def settlement_document_add(*, actor: User, category: str, code: str, label: str) -> SettlementDocument:
    from django.db import transaction

    _ensure_admin(actor)
    with transaction.atomic():
        if SettlementDocument.objects.filter(category=category, code=code).exists():
            raise ApplicationError(_("This category already has a document with this code."), field="code")
        position = SettlementDocument.objects.filter(category=category).count()
        row = SettlementDocument.objects.create(category=category, code=code, label=label.strip(), position=position)
        record(action="settlement.document_added", actor=actor, target=row, new={"category": category, "code": code})
    return row


def settlement_document_set_active(*, actor: User, document_id: int, is_active: bool) -> SettlementDocument:
    """Require a document again or stop requiring it; cases already decided are not affected."""
    from django.db import transaction

    _ensure_admin(actor)
    with transaction.atomic():
        row = SettlementDocument.objects.select_for_update().get(pk=document_id)
        old = row.is_active
        row.is_active = is_active
        row.save(update_fields=["is_active"])
        record(
            action="settlement.document_changed",
            actor=actor,
            target=row,
            old={"required": old},
            new={"required": is_active},
        )
    return row


def intake_initial(person: Person) -> dict[str, Any]:
    """intake_initial: the facts the portal already holds — the latest lease filing and the
    active residence permit — so the officer types them once (issue 5, links to settlement).
    The permit's area is that of the office that issued it (S5.1), and its holding time counts
    from ``held_since`` (restarted by a late re-endorsement)."""
    from hukou_portal.people.models import Area
    from permits.models import ResidencePermit
    from registration.models import LeaseFiling

    initial: dict[str, Any] = {}
    filing = LeaseFiling.objects.filter(tenant=person).select_related("town").order_by("-filed_on").first()
    if filing is not None:
        initial.update(
            lease_private_housing=filing.housing == LeaseFiling.Housing.PRIVATE,
            lease_town=filing.town,
            lease_filed_on=filing.filed_on,
        )
    permit = ResidencePermit.objects.filter(holder=person, status=ResidencePermit.Status.ACTIVE).first()
    if permit is not None:
        initial.update(
            permit_issuer_area=Area.objects.filter(code=permit.area_code).first(),
            permit_issued_on=permit.issued_on,
            permit_held_since=permit.held_since,
            permit_valid=permit.state_on(timezone.localdate()) == "valid",
        )
    return initial
