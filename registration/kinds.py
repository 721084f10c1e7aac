"""The residence declaration case kind (居住登记申报, R1.1): approved at the counter."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hukou_portal.audit.services import record
from hukou_portal.casework.kinds import CaseKind, Category, DocumentRequirement

from .forms import DeclarationForm

ID_CARD = DocumentRequirement("id_card", _("Resident identity card (居民身份证)"))
LEASE = DocumentRequirement("lease", _("Lease contract or lease filing certificate"))
PROPERTY = DocumentRequirement("property_certificate", _("Real estate certificate (不动产权证书)"))
EMPLOYER_PROOF = DocumentRequirement("employer_housing", _("Employer's proof of housing"))


def _save_declaration(case: Any, data: dict[str, Any]) -> None:
    from .models import ResidenceDeclaration

    declaration = ResidenceDeclaration(case=case, **data)
    declaration.full_clean(exclude=["case"])
    declaration.save()


def _register(case: Any, actor: Any) -> None:
    """Completion: the person is registered at the declared address from today."""
    from .models import ResidenceRegistration

    declaration = case.residence_declaration
    registration = ResidenceRegistration.objects.create(
        person=case.applicant,
        town=declaration.town,
        address=declaration.address,
        started_on=timezone.localdate(),
        case=case,
    )
    record(
        action="registration.created",
        actor=actor,
        target=registration,
        case=case,
        new={"town": str(declaration.town), "started_on": registration.started_on.isoformat()},
    )


RESIDENCE_DECLARATION = CaseKind(
    code="residence_declaration",
    label=_("Residence registration: declaration (居住登记申报)"),
    clause="R1.1",
    categories=(
        Category("rented", _("Rented home"), (ID_CARD, LEASE)),
        Category("owned", _("Own home"), (ID_CARD, PROPERTY)),
        Category("employer", _("Employer's housing"), (ID_CARD, EMPLOYER_PROOF)),
    ),
    deadline_working_days=3,
    needs_approval=False,
    on_complete=_register,
    intake_form=DeclarationForm,
    on_intake=_save_declaration,
    detail_template="registration/declaration_detail.html",
)
