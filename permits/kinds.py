"""Permit case kinds: application (申领, R3.2) and mutual-recognition conversion (互认转换, R3.1).
A supervisor decides both; completion issues the permit."""

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext_lazy as _

from hukou_portal.casework.kinds import CaseKind, Category, DocumentRequirement

from . import services
from .forms import PermitApplicationForm, PermitConversionForm

ID_CARD = DocumentRequirement("id_card", _("Resident identity card (居民身份证)"))
PHOTO = DocumentRequirement("photo", _("Photo (一窗通拍)"))
RESIDENCE = DocumentRequirement("residence_proof", _("Lease filing certificate or real estate certificate"))
EMPLOYMENT = DocumentRequirement("employment_proof", _("Labour contract or business licence"))
SCHOOLING = DocumentRequirement("enrolment_proof", _("Proof of enrolment"))
OTHER_PERMIT = DocumentRequirement("other_permit", _("The residence permit held"))
JUSTIFICATION = _("Justification (required when approving although the permit conditions are not met)")


def _categories(extra: tuple[DocumentRequirement, ...] = ()) -> tuple[Category, ...]:
    return (
        Category("stable_residence", _("Legal stable residence"), (ID_CARD, PHOTO, *extra, RESIDENCE)),
        Category("stable_employment", _("Legal stable employment"), (ID_CARD, PHOTO, *extra, EMPLOYMENT)),
        Category("continuous_schooling", _("Continuous schooling"), (ID_CARD, PHOTO, *extra, SCHOOLING)),
    )


def _detail_context(case: Any) -> dict[str, Any]:
    application = case.permit_application
    return {
        "application": application,
        "checks": application.basis or services.application_checks(case),
        "checks_recorded": application.basis is not None,
        "issued_permits": list(case.permits.all()),
        # Who will issue the permit: the case's office, which must be in the area applied to.
        "issuer_in_area": case.office.area_code == application.area.code,
    }


def _home_town(case: Any) -> Any:
    """The town of the home the application rests on: the filed lease's, or the own home's.
    None for an application on employment or schooling alone (it names an area, not a town)."""
    try:
        application = case.permit_application
    except ObjectDoesNotExist:
        return None
    if application.lease_filing_id is not None:
        return application.lease_filing.town
    return application.home_town


PERMIT_APPLICATION = CaseKind(
    code="permit_application",
    label=_("Residence permit: application (居住证申领)"),
    clause="R3.2",
    categories=_categories(),
    deadline_working_days=10,
    needs_approval=True,
    on_complete=services.permit_issue_on_completion,
    intake_form=PermitApplicationForm,
    intake_template="permits/intake.html",
    on_intake=services.application_intake,
    detail_template="permits/application_detail.html",
    detail_context=_detail_context,
    on_decide=services.record_basis,
    decision_template="permits/partials/decision_basis.html",
    decision_context=_detail_context,
    justification_label=JUSTIFICATION,
    address_town=_home_town,
)

PERMIT_CONVERSION = CaseKind(
    code="permit_conversion",
    label=_("Residence permit: mutual-recognition conversion (居住证互认转换)"),
    clause="R3.1",
    categories=_categories((OTHER_PERMIT,)),
    deadline_working_days=10,
    needs_approval=True,
    on_complete=services.permit_issue_on_completion,
    intake_form=PermitConversionForm,
    intake_template="permits/intake.html",
    on_intake=services.conversion_intake,
    detail_template="permits/application_detail.html",
    detail_context=_detail_context,
    on_decide=services.record_basis,
    decision_template="permits/partials/decision_basis.html",
    decision_context=_detail_context,
    justification_label=JUSTIFICATION,
    address_town=_home_town,
)
