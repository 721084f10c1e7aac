"""The settlement case kind (落户, RULES.md section 02): supervisor approval, documents kept in
data, the engine's decision recorded at approval, hukou entries written on completion."""

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext_lazy as _

from hukou_portal.casework.kinds import CaseKind
from hukou_portal.casework.kinds import Category as KindCategory

from . import services
from .forms import SettlementIntake
from .models import Category


def _settlement_town(case: Any) -> Any:
    """The town of settlement (落户地)."""
    try:
        return case.settlement.town
    except ObjectDoesNotExist:
        return None


SETTLEMENT = CaseKind(
    code="settlement",
    label=_("Settlement in an urban area (落户)"),
    clause="S1–S7",
    categories=tuple(KindCategory(code, label, ()) for code, label in Category.choices),
    deadline_working_days=20,
    needs_approval=True,
    on_complete=services.write_hukou_entries,
    intake_form=SettlementIntake,  # type: ignore[arg-type]
    on_intake=services.application_save,
    detail_template="settlement/application_detail.html",
    detail_context=services.application_detail_context,
    intake_template="settlement/intake_details.html",
    intake_initial=services.intake_initial,
    documents_for=services.required_documents,
    on_decide=services.record_decision_basis,
    decision_template="settlement/partials/decision_basis.html",
    decision_context=services.application_detail_context,
    justification_label=_("Justification (required when approving against the pre-check)"),
    decision_notice_url="settlement:notice",
    address_town=_settlement_town,
)
