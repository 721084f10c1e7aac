"""Reads of permits, scoped to the issuing offices the user may see."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from hukou_portal.accounts.models import User
from hukou_portal.accounts.selectors import office_visible_ids

from .models import ResidencePermit


def permit_list_for_user(*, user: User) -> QuerySet[ResidencePermit]:
    # The offices' ids written out (office_visible_ids): PostgreSQL then plans from its statistics.
    return ResidencePermit.objects.filter(office_id__in=office_visible_ids(user=user)).select_related(
        "holder", "office"
    )


def permit_get_for_user(*, user: User, pk: int) -> ResidencePermit:
    return get_object_or_404(permit_list_for_user(user=user), pk=pk)


@dataclass(frozen=True)
class Conversion:
    permit: ResidencePermit  # the permit a conversion (R3.1) issued in place of this one
    visible: bool  # whether the user may open it (another area's office issued it)


def permit_conversion_of(*, user: User, permit: ResidencePermit) -> Conversion | None:
    """The permit issued by the conversion that ended ``permit``, if it was converted."""
    if permit.status != ResidencePermit.Status.CONVERTED:
        return None
    issued = ResidencePermit.objects.filter(case__permit_application__converts=permit).order_by("id").first()
    if issued is None:
        return None
    return Conversion(issued, permit_list_for_user(user=user).filter(pk=issued.pk).exists())
