"""Permit pages: the list, a permit with its e-permit QR code and card, endorsement and
replacement at the counter; and the public verification page and keys (no sign-in)."""

import io

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from hukou_portal.core.decorators import permission_needed
from hukou_portal.core.exceptions import ApplicationError
from hukou_portal.core.lists import bind_filter, list_table
from hukou_portal.core.refusals import refusal_message
from hukou_portal.core.throttling import rate_limit

from . import epermit, selectors, services
from .filters import PermitFilter
from .forms import ReplaceForm
from .models import ResidencePermit
from .tables import PermitTable


@permission_needed("people.view_person")
def permit_list(request: HttpRequest) -> HttpResponse:
    permits = bind_filter(request, PermitFilter, selectors.permit_list_for_user(user=request.user))
    table = list_table(request, PermitTable, permits.filtered(), today=timezone.localdate())
    return render(request, "permits/permit_list.html", {"filter": permits, "table": table, "page": table.page})


def _verify_url(request: HttpRequest, permit: ResidencePermit) -> str:
    return request.build_absolute_uri(reverse("permits:verify", args=[permit.token]))


@never_cache
@permission_needed("people.view_person")
def permit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    permit = selectors.permit_get_for_user(user=request.user, pk=pk)
    return render(
        request,
        "permits/permit_detail.html",
        {
            "permit": permit,
            "state": permit.state_on(timezone.localdate()),
            "verify_url": _verify_url(request, permit),
            "replace_form": ReplaceForm(),
            "conversion": selectors.permit_conversion_of(user=request.user, permit=permit),
        },
    )


@never_cache
@permission_needed("people.view_person")
def permit_card(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable card with the QR code and the 签注 validity: the permit is valid until
    ``endorsed_until``, which each endorsement moved on by ``endorsement_interval_months``."""
    from hukou_portal.audit.models import AuditEvent
    from hukou_portal.casework.document_views import Frame
    from hukou_portal.casework.issued_documents import office_full_name

    permit = selectors.permit_get_for_user(user=request.user, pk=pk)
    last_endorsement = (
        AuditEvent.objects.filter(
            action="permit.endorsed", object_type="permits.residencepermit", object_id=str(permit.pk)
        )
        .order_by("-occurred_at", "-id")
        .values_list("occurred_at", flat=True)
        .first()
    )
    frame = Frame(
        title=_("Zhejiang residence permit (浙江省居住证)"),
        issuer=office_full_name(permit.office),
        issued_on=permit.issued_on,
        number=None,
        without_number=True,
        back_url=reverse("permits:permit_detail", args=[permit.pk]),
    )
    return render(
        request,
        "permits/permit_card.html",
        {
            "permit": permit,
            "state": permit.state_on(timezone.localdate()),
            "last_endorsed_on": timezone.localtime(last_endorsement).date() if last_endorsement else None,
            "verify_url": _verify_url(request, permit),
            "frame": frame,
        },
    )


@never_cache
@permission_needed("people.view_person")
def permit_qr(request: HttpRequest, pk: int) -> HttpResponse:
    permit = selectors.permit_get_for_user(user=request.user, pk=pk)
    image = qrcode.make(_verify_url(request, permit), image_factory=qrcode.image.svg.SvgPathImage, box_size=6)
    buffer = io.BytesIO()
    image.save(buffer)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


@require_POST
@permission_needed("casework.change_case")
def permit_endorse(request: HttpRequest, pk: int) -> HttpResponse:
    permit = selectors.permit_get_for_user(user=request.user, pk=pk)
    try:
        endorsed = services.permit_endorse(actor=request.user, permit_id=permit.pk)
    except ApplicationError as error:
        refusal_message(request, error)
    else:
        messages.success(request, _("Endorsed until %(day)s.") % {"day": endorsed.endorsed_until.isoformat()})
    return redirect("permits:permit_detail", pk=permit.pk)


@require_POST
@permission_needed("casework.change_case")
def permit_replace(request: HttpRequest, pk: int) -> HttpResponse:
    permit = selectors.permit_get_for_user(user=request.user, pk=pk)
    form = ReplaceForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError(_("Say why the permit is replaced."))
        new = services.permit_replace(actor=request.user, permit_id=permit.pk, reason=form.cleaned_data["reason"])
    except ApplicationError as error:
        refusal_message(request, error)
        return redirect("permits:permit_detail", pk=permit.pk)
    messages.success(request, _("Permit %(number)s issued to replace it.") % {"number": new.number})
    return redirect("permits:permit_detail", pk=new.pk)


REASONS = {
    "malformed": _("This is not an electronic residence permit code."),
    "unknown_key": _("The code was not signed with a key of the Huzhou public security bureau."),
    "bad_signature": _("The code has been altered or forged: its signature does not match."),
    "unknown_permit": _("No such permit was issued."),
    "cancelled": _("The permit has been cancelled."),
    "replaced": _("The permit has been replaced by a new one; this code is no longer valid."),
    "lapsed": _("The permit has lapsed: its annual endorsement (签注) is overdue."),
    "converted": _("The permit has been converted to a permit of another area; this code is no longer valid."),
}


@never_cache
@rate_limit("verify", per="address")
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """Public: anyone with the QR code sees whether the permit is valid, and only masked data."""
    payload, reason, permit = None, None, None
    try:
        payload = epermit.verify(token)
    except epermit.TokenInvalid as error:
        reason = error.reason
    if payload is not None:
        permit = ResidencePermit.objects.filter(number=payload.get("no"), token=token).first()
        if permit is None:
            reason = "unknown_permit"
        else:
            state = permit.state_on(timezone.localdate())
            reason = None if state == "valid" else state
    return render(
        request,
        "permits/verify.html",
        {"valid": reason is None, "reason": REASONS.get(reason or "", ""), "payload": payload, "permit": permit},
        status=200,
    )


def public_keys(request: HttpRequest) -> JsonResponse:
    """The public keys that verify e-permit tokens offline (every key ever used)."""
    keys = epermit.keys()
    return JsonResponse(
        {
            "algorithm": "Ed25519",
            "token_format": "base64url(payload JSON) '.' base64url(signature over the first part)",
            "keys": [
                {"kid": kid, "public_key": key, "active": kid == keys.active_kid} for kid, key in keys.public.items()
            ],
        }
    )
