"""Documents the portal already holds about the applicant, which no case asks for again
(一窗通拍, policy D2: "photos are taken once and reused").

A case kind's checklist names its documents by code. A requirement whose code is an ID photo
(``PHOTO_REQUIREMENTS``: the permit kinds' ``photo``; an administrator who adds a settlement
document with that code gets the same) is met by the applicant's current photo
(``people.PersonPhoto``) as long as one is on file: it is not missing, the case page shows
已采集照片 with the day it was taken instead of asking for an upload, the receipt counts it as
received, and forwarding and approving do not wait for it. An upload for it is neither needed nor
offered. A person without a photo is asked for it as before — or the officer takes it (the case
page links to the capture page).
"""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from hukou_portal.people.models import PersonPhoto

from .models import Case

PHOTO_REQUIREMENTS = frozenset({"photo"})


@dataclass(frozen=True)
class OnFile:
    """A requirement met by what the portal holds: the photo and the day it was taken."""

    code: str
    photo: PersonPhoto

    @property
    def taken_on(self) -> dt.date:
        return timezone.localtime(self.photo.taken_at).date()


def documents_on_file(case: Case, *, as_of: dt.datetime | None = None) -> dict[str, OnFile]:
    """The case's required documents met by records on file, by code: none, or one query for the
    applicant's photo — the current one, or with ``as_of`` the one current at that moment (a 补正
    request's notice lists what was missing then)."""
    codes = {r.code for r in case.kind_spec.required_documents(case.category)} & PHOTO_REQUIREMENTS
    if not codes:
        return {}
    photos = PersonPhoto.objects.filter(person_id=case.applicant_id)
    if as_of is None:
        photo = photos.current().first()
    else:
        photo = photos.filter(taken_at__lte=as_of).order_by("-taken_at", "-id").first()
    if photo is None:
        return {}
    return {code: OnFile(code, photo) for code in codes}
