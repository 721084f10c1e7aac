"""Residence registration case kinds (RULES.md R1): declare (申报), change (变更), cancel (注销).
A counter officer completes them without supervisor approval."""

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from hukou_portal.casework.kinds import CaseKind, Category, DocumentRequirement

from . import services
from .forms import CancelForm, ChangeForm, DeclarationForm

ID_CARD = DocumentRequirement("id_card", _("Resident identity card (居民身份证)"))
LEASE = DocumentRequirement("lease", _("Lease contract or lease filing certificate"))
PROPERTY = DocumentRequirement("property_certificate", _("Real estate certificate (不动产权证书)"))
EMPLOYER_PROOF = DocumentRequirement("employer_housing", _("Employer's proof of housing"))

HOUSING_CATEGORIES = (
    Category("rented", _("Rented home"), (ID_CARD, LEASE)),
    Category("owned", _("Own home"), (ID_CARD, PROPERTY)),
    Category("employer", _("Employer's housing"), (ID_CARD, EMPLOYER_PROOF)),
)


def _save_declaration(case: Any, data: dict[str, Any]) -> None:
    from .models import ResidenceDeclaration

    services.declaration_check(case.applicant)
    declaration = ResidenceDeclaration(case=case, **data)
    # A town the intake form loaded exists: checking it again would cost a query the foreign
    # key's constraint repeats.
    loaded = ["town"] if getattr(data.get("town"), "pk", None) is not None else []
    declaration.full_clean(exclude=["case", *loaded])
    declaration.save()


def _register(case: Any, actor: Any) -> None:
    """Completion: the person is registered at the declared address from the day the declaration
    was accepted (受理之日), never from the day they say they moved in: registration records are
    the evidence of residence time (R1.4, R3.2), and a stated date is a fact, not time
    registered. ``lived_since`` stays on the declaration as what the applicant stated."""
    declaration = case.residence_declaration
    services.registration_open(
        case=case,
        actor=actor,
        town=declaration.town,
        address=declaration.address,
        started_on=services.registration_made_on(case),
    )


def _declared_town(case: Any) -> Any:
    """The town of the home declared (申报)."""
    try:
        return case.residence_declaration.town
    except ObjectDoesNotExist:
        return None


def _new_town(case: Any) -> Any:
    """变更: the town of the new home; 注销: the town of the registration that ends."""
    try:
        change = case.registration_change
    except ObjectDoesNotExist:
        return None
    return change.town if change.town_id is not None else change.registration.town


def _declaration_with_town() -> tuple[Any, ...]:
    """The declaration, its town, the town's area and station: one query for the case page."""
    from .models import ResidenceDeclaration

    return (
        Prefetch(
            "residence_declaration",
            queryset=ResidenceDeclaration.objects.select_related("town__area", "town__station"),
        ),
    )


RESIDENCE_DECLARATION = CaseKind(
    code="residence_declaration",
    label=_("Residence registration: declaration (居住登记申报)"),
    clause="R1.1",
    categories=HOUSING_CATEGORIES,
    deadline_working_days=3,
    needs_approval=False,
    on_complete=_register,
    intake_form=DeclarationForm,
    on_intake=_save_declaration,
    detail_template="registration/declaration_detail.html",
    address_town=_declared_town,
    detail_prefetch=_declaration_with_town,
)

REGISTRATION_CHANGE = CaseKind(
    code="registration_change",
    label=_("Residence registration: change of address (变更登记)"),
    clause="R1.2",
    categories=HOUSING_CATEGORIES,
    deadline_working_days=3,
    needs_approval=False,
    on_complete=services.change_complete,
    intake_form=ChangeForm,
    on_intake=lambda case, data: services.change_intake(case, data, cancel=False),
    detail_template="registration/change_detail.html",
    address_town=_new_town,
)

REGISTRATION_CANCEL = CaseKind(
    code="registration_cancel",
    label=_("Residence registration: cancellation (注销登记)"),
    clause="R1.3",
    categories=(Category("moved_away", _("Moved away"), (ID_CARD,)),),
    deadline_working_days=3,
    needs_approval=False,
    on_complete=services.cancel_complete,
    intake_form=CancelForm,
    on_intake=lambda case, data: services.change_intake(case, data, cancel=True),
    detail_template="registration/change_detail.html",
    address_town=_new_town,
)
