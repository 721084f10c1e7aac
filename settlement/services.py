"""Settlement cases: intake, the pre-check, the decision's basis, and completion.

The engine decides; these functions gather the facts, record what it decided with the
parameter values it used, and write the hukou entries when an approved case is completed.
"""

import datetime as dt
from dataclasses import asdict
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hukou_portal.accounts.models import User
from hukou_portal.audit.services import record
from hukou_portal.casework.kinds import DocumentRequirement
from hukou_portal.casework.models import Case, Decision, Status
from hukou_portal.core.exceptions import ApplicationError
from hukou_portal.core.redaction import redact_id_numbers
from hukou_portal.core.vocabulary import date_words
from hukou_portal.people.models import Person, PersonOffice
from hukou_portal.people.services import person_office_touch

from .eligibility import Decision as EngineDecision
from .eligibility import accompanying_family
from .facts import FactsError, parse_facts
from .forms import facts_document
from .households import Settler, settle_into_household
from .models import (
    CATEGORY_CLAUSES,
    AccompanyingMember,
    ApplicationHost,
    HukouEntry,
    SettlementApplication,
    SettlementDocument,
)
from .selectors import application_facts_now, engine_parameters, hukou_entry_of, precheck


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


def _already_settled(person: Person, *, who: str) -> ApplicationError | None:
    """The refusal for ``person`` when they hold a hukou in Huzhou: one hukou per person, so a
    settlement (落户) cannot give them a second one."""
    entry = hukou_entry_of(person)
    if entry is None:
        return None
    return ApplicationError(
        _(
            "%(who)s already has a hukou in Huzhou (registered on %(day)s in %(town)s, case %(case)s): "
            "a person settles only once."
        )
        % {"who": who, "day": date_words(entry.registered_on), "town": entry.town, "case": entry.case.reference},
        field="applicant_id_number",
    )


def _in_a_household(person: Person, *, who: str) -> ApplicationError | None:
    """The refusal for ``person`` when they are an active member of a household of the register
    (a host recorded by an earlier settlement, a member moved in): they hold a hukou in Huzhou."""
    from hukou_portal.people.households.services import active_membership

    membership = active_membership(person)
    if membership is None:
        return None
    return ApplicationError(
        _("%(who)s is registered in household %(number)s in Huzhou: a person settles only once.")
        % {"who": who, "number": membership.household.number},
        field="applicant_id_number",
    )


def _household_particulars(case: Case, data: dict[str, Any]) -> dict[str, Any]:
    """What the household needs beyond the engine's facts: the community, the employer, the
    origin of a hukou outside Huzhou (whose address the 准迁证 prints: required then). The host's
    number may be neither the applicant's nor a family member's."""
    from .households import HUZHOU_AREA_PREFIX

    origin_outside = bool(data.get("origin_outside_huzhou"))
    origin_address = (data.get("origin_address") or "").strip()
    if (origin_outside or not case.applicant.id_number.startswith(HUZHOU_AREA_PREFIX)) and not origin_address:
        raise ApplicationError(
            _(
                "The applicant's hukou is outside Huzhou (a move-in permit will be issued): enter the "
                "origin hukou address."
            ),
            field="origin_address",
        )
    host_number = data.get("host_id_number") or ""
    if host_number and (
        host_number == case.applicant.id_number or host_number in {m["id_number"] for m in data.get("family", [])}
    ):
        raise ApplicationError(
            _("The host is someone else than the applicant and the accompanying family."), field="host_id_number"
        )
    return {
        "community": (data.get("community") or "").strip(),
        "employer_name": (data.get("employer_name") or "").strip(),
        "origin_outside_huzhou": origin_outside,
        "origin_address": origin_address,
    }


def _intake_records(case: Case, data: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    """The portal's records the intake facts came from, linked so that the decision reads them
    again (``selectors.application_facts_now``): the lease filing of this tenant in the town and
    filed on the day entered, the permit of this holder issued by the area on the day entered
    (the one in force when it was replaced), and the registration active today."""
    from permits.models import ResidencePermit
    from registration.models import LeaseFiling
    from registration.selectors import registration_active

    person = case.applicant
    links: dict[str, Any] = {"registration": registration_active(person=person)}
    facts = document["person"]
    if facts.get("lease"):
        links["lease_filing"] = (
            LeaseFiling.objects.filter(tenant=person, town=data["lease_town"], filed_on=data["lease_filed_on"])
            .select_related("town")
            .order_by("-id")
            .first()
        )
    if facts.get("permits"):
        permit = facts["permits"][0]
        matches = ResidencePermit.objects.filter(
            holder=person, area_code=permit["issuer_area"], issued_on=permit["issued_on"]
        ).order_by("-id")
        links["permit"] = next(
            (p for p in matches if p.status == ResidencePermit.Status.ACTIVE), next(iter(matches), None)
        )
    return links


def application_save(case: Case, data: dict[str, Any]) -> None:
    """on_intake: store the facts document (as of intake), the records it came from, and the
    accompanying family. Refused — nothing written — when the applicant or a family member
    already holds a hukou in Huzhou."""
    refusal = _already_settled(case.applicant, who=case.applicant.name) or _in_a_household(
        case.applicant, who=case.applicant.name
    )
    if refusal is not None:
        raise refusal
    for member in data.get("family", []):
        person = Person.objects.with_id_number(member["id_number"]).first()
        refusal = (
            _already_settled(person, who=member["name"]) or _in_a_household(person, who=member["name"])
            if person is not None
            else None
        )
        if refusal is not None:
            raise ApplicationError(
                _("%(message)s They cannot move with the applicant (随迁).") % {"message": refusal.message}
            )
    particulars = _household_particulars(case, data)
    document = facts_document(data, applicant_id_number=case.applicant.id_number, as_of=timezone.localdate())
    application = SettlementApplication.objects.create(
        case=case,
        town=data["town"],
        address=data["address"].strip(),
        facts=document,
        **particulars,
        **_intake_records(case, data, document),
    )
    if data.get("host_id_number"):
        host = ApplicationHost(application=application, name=data["host_name"].strip())
        host.id_number = data["host_id_number"]  # sealed (SealedIdNumber)
        host.save()
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


def application_precheck(
    application: SettlementApplication, as_of: dt.date
) -> tuple[EngineDecision, dict[str, Any], list[dict[str, Any]]]:
    """The engine on the application's facts as the portal's records stand on ``as_of`` (never
    frozen at intake): the decision, the facts it read and what changed since intake."""
    document, changes = application_facts_now(application, as_of)
    return decide_facts(document), document, changes


def category_route(decision: dict[str, Any], category: str) -> dict[str, Any] | None:
    """The eligible route of the category's clauses, if any (from a decision's JSON)."""
    clauses = CATEGORY_CLAUSES[category]
    return next((r for r in decision.get("routes", []) if r["clause"] in clauses and r["eligible"]), None)


def _ensure_may_approve(case: Case) -> None:
    """One hukou per person: the applicant neither holds one already nor will get one from
    another approved case still to be completed (that one is completed, this one rejected).
    The applicant's row is locked, so two approvals for one person are taken one after the other."""
    applicant = Person.objects.select_for_update().get(pk=case.applicant_id)
    refusal = _already_settled(applicant, who=applicant.name)
    if refusal is not None:
        raise ApplicationError(_("%(message)s Reject this application instead.") % {"message": refusal.message})
    other = (
        Case.objects.filter(kind="settlement", applicant=applicant, decision=Decision.APPROVED)
        .exclude(pk=case.pk)
        .exclude(status=Status.COMPLETED)
        .first()
    )
    if other is not None:
        raise ApplicationError(
            _(
                "The applicant's settlement case %(case)s is already approved and not yet completed: "
                "a person settles only once. Reject this application instead."
            )
            % {"case": other.reference}
        )


def record_decision_basis(case: Case, actor: User, decision: str, justification: str) -> dict[str, Any]:
    """on_decide: the engine decides as of today on the facts as the records stand today, with
    the parameters in force; the result, the facts read and what changed since intake are
    stored, so a later parameter change never alters this decision. Approving a case the engine
    finds ineligible for its category needs a written justification; an approval on
    justification still lets the family follow by relation (S6.1)."""
    application = case.settlement
    today = timezone.localdate()
    if decision == Decision.APPROVED:
        _ensure_may_approve(case)
    engine, document, changes = application_precheck(application, today)
    result = engine.to_json()
    eligible_route = category_route(result, case.category)
    if decision == Decision.APPROVED and eligible_route is None and not justification:
        raise ApplicationError(
            _(
                "The pre-check finds the applicant not eligible under this category. "
                "Approving needs a written justification."
            ),
            field="justification",
        )
    if decision == Decision.APPROVED and not result["eligible"]:
        # The approval settles the person; 上述人员办理落户时，其配偶、未成年子女和未婚子女可以随迁.
        family = accompanying_family(parse_facts(document), engine_parameters(today))
        result["family"] = [asdict(verdict) for verdict in family]
    application.decision = result
    application.decision_facts = document
    application.facts_changes = changes
    application.justification = redact_id_numbers(justification) if decision == Decision.APPROVED else ""
    application.save(update_fields=["decision", "decision_facts", "facts_changes", "justification"])
    return {
        "engine_eligible": eligible_route is not None,
        "clause": eligible_route["clause"] if eligible_route else None,
        "parameters": result["parameters"],
        **({"facts_changed": [row["name"] for row in changes]} if changes else {}),
    }


def _household(decision: dict[str, Any], category: str) -> tuple[str, str]:
    """(clause, household) the person is registered under: the category's route when eligible,
    else the first eligible route, else (approved on justification) the community household."""
    route = category_route(decision, category) or next((r for r in decision["routes"] if r["eligible"]), None)
    if route is None:
        return CATEGORY_CLAUSES[category][0], "community_collective"
    return route["clause"], route["household"]


def _end_floating_records(person: Person, case: Case, actor: User, today: dt.date) -> dict[str, Any]:
    """A person who settles is no longer floating population: their residence registration in
    Huzhou ends and their residence permit is cancelled on the day of the entry, each audited
    with the settlement case as the reason."""
    from permits.services import permits_cancel
    from registration.selectors import registration_active
    from registration.services import registration_close

    registration = registration_active(person=person)
    if registration is not None:
        registration_close(case=case, actor=actor, registration=registration, ended_on=today, reason="settled")
    permits = permits_cancel(person=person, actor=actor, case=case, reason="settled")
    return {"ended_registration": registration, "cancelled_permit": permits[0] if permits else None}


def write_hukou_entries(case: Case, actor: User) -> None:
    """on_complete: the hukou entry of the applicant and of each member S6.1 allows, and the
    end of their residence registration and permit in Huzhou.

    One hukou per person: the people's rows are locked, an applicant who meanwhile got a hukou
    in Huzhou refuses the completion, a family member who did is left as they are (they are
    registered already; audited), and the database's unique entry per person is the last word."""
    application = case.settlement
    decision = application.decision or {}
    clause, household_type = _household(decision, case.category)
    today = timezone.localdate()
    allowed = {verdict["ref"] for verdict in decision.get("family", []) if verdict["may_accompany"]}
    applicant = Person.objects.select_for_update().get(pk=case.applicant_id)
    refusal = _already_settled(applicant, who=applicant.name) or _in_a_household(applicant, who=applicant.name)
    if refusal is not None:
        raise refusal
    people = [(applicant, clause)]
    settlers = [Settler(applicant, None)]
    for member in application.members.all():
        if member.ref not in allowed:
            continue
        person, created = Person.objects.get_or_create_by_id_number(
            member.id_number, defaults={"name": member.name, "office": case.office}
        )
        # The case's office serves the family member too (recorded now, or served by this case).
        via = PersonOffice.Via.RECORDED if created else PersonOffice.Via.CASE
        person_office_touch(person=person, office=case.office, via=via)
        person = Person.objects.select_for_update().get(pk=person.pk)
        existing = hukou_entry_of(person)
        if existing is not None:
            record(
                action="hukou.already_registered",
                actor=actor,
                target=existing,
                case=case,
                new={"registered_on": existing.registered_on.isoformat(), "clause": existing.clause},
            )
            continue
        if _in_a_household(person, who=person.name) is not None:
            record(action="hukou.already_registered", actor=actor, target=person, case=case)
            continue
        people.append((person, "S6.1"))
        settlers.append(Settler(person, member.relation))
    household = settle_into_household(
        case=case, actor=actor, application=application, route_household=household_type, settlers=settlers
    )
    for person, person_clause in people:
        ended = _end_floating_records(person, case, actor, today)
        try:
            with transaction.atomic():
                entry = HukouEntry.objects.create(
                    person=person,
                    household_type=household_type,
                    household=household,
                    town=application.town,
                    address=application.address,
                    clause=person_clause,
                    registered_on=today,
                    case=case,
                    **ended,
                )
        except IntegrityError as error:  # a concurrent completion wrote this person's entry first
            raise ApplicationError(
                _("%(who)s already has a hukou in Huzhou: a person settles only once.") % {"who": person.name}
            ) from error
        record(
            action="hukou.registered",
            actor=actor,
            target=entry,
            case=case,
            new={
                "household": household_type,
                "household_number": household.number,
                "clause": person_clause,
                "registered_on": today.isoformat(),
            },
        )


def application_detail_context(case: Case) -> dict[str, Any]:
    """detail_context: the engine's result — as recorded at the decision, or live as of today
    on the facts as the records stand while the case is open — with what changed since intake,
    the family verdicts joined to the members, and once completed the hukou entries written
    with the records they ended."""
    from .explain import family_reason

    application = case.settlement
    members_rows = list(application.members.all())
    if_justified: list[tuple[AccompanyingMember, bool, str]] = []
    if application.decision is not None:
        result, changes = application.decision, application.facts_changes
    else:
        today = timezone.localdate()
        engine, document, changes = application_precheck(application, today)
        result = engine.to_json()
        if not result["eligible"] and members_rows:
            # What an approval on justification would let the family do (S6.1 by relation).
            by_ref = {m.ref: m for m in members_rows}
            for verdict in accompanying_family(parse_facts(document), engine_parameters(today)):
                member = by_ref.get(verdict.ref)
                if member is not None:
                    if_justified.append(
                        (member, verdict.may_accompany, family_reason(asdict(verdict), member.relation))
                    )
    verdicts = {verdict["ref"]: verdict for verdict in result.get("family", [])}
    members = [(member, verdicts.get(member.ref)) for member in members_rows]
    existing = hukou_entry_of(case.applicant)
    settled = existing if existing is not None and existing.case_id != case.pk else None
    entries = HukouEntry.objects.filter(case=case).select_related(
        "person", "town__area", "ended_registration__town__area", "cancelled_permit", "household__office"
    )
    from hukou_portal.people.models import MoveInPermit

    move_in_permit = (
        MoveInPermit.objects.filter(case=case).select_related("household", "confirmation").first()
        if case.status == "completed"
        else None
    )
    return {
        "application": application,
        "engine": result,
        "engine_recorded": application.decision is not None,
        "category_route": category_route(result, case.category),
        "members": members,
        "family_if_justified": if_justified,
        "facts_changes": changes,
        "applicant_settled": settled,
        "hukou_entries": list(entries.order_by("id")),
        "move_in_permit": move_in_permit,
        "host": getattr(application, "host", None),
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
    """intake_initial: the facts the portal already holds — the latest lease filing with its
    town, the home (with its town) of the person's latest approved permit application that
    showed a real estate certificate, and the active residence permit — so the officer types
    them once (issue 5, links to settlement). S1.1 and S1.2 compare the town of these homes with
    the town of settlement (issue 11). The permit's area is that of the office that issued it
    (S5.1), and its holding time counts from ``held_since`` (restarted by a late re-endorsement)."""
    from hukou_portal.people.models import Area
    from permits.models import PermitApplication, ResidencePermit
    from registration.models import LeaseFiling

    initial: dict[str, Any] = {}
    home = (
        PermitApplication.objects.filter(
            case__applicant=person, case__decision=Decision.APPROVED, home_town__isnull=False
        )
        .exclude(home_certificate="")
        .select_related("home_town")
        .order_by("-case__decided_at", "-id")
        .first()
    )
    if home is not None:  # a real estate certificate (不动产权证书): the person's own home
        initial.update(home_holder="self", home_right="ownership", home_town=home.home_town)
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
