from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from hukou_portal.accounts.views import safe_next_url
from hukou_portal.core.decorators import permission_needed
from hukou_portal.core.exceptions import ApplicationError
from hukou_portal.core.forms import run_service
from hukou_portal.core.lists import bind_filter, list_table
from hukou_portal.core.refusals import refusal_shown
from hukou_portal.core.throttling import rate_limit
from hukou_portal.rules.services import ensure_city_wide_change, may_change_city_wide

from . import selectors, services
from .file import person_file
from .filters import PersonFilter
from .forms import PersonForm, PersonLookupForm, PhotoForm, TownForm
from .photos import PhotoTooLarge
from .tables import PersonTable

# What the lookup in the city register shows of a person found: the offices that served them and
# their cases (every office's listed, the user's own openable) — what serving them needs.
LOOKUP_SECTIONS = ("offices", "cases")


@permission_needed("people.view_person")
def person_list(request: HttpRequest) -> HttpResponse:
    people = bind_filter(request, PersonFilter, selectors.person_list_for_user(user=request.user))
    table = list_table(request, PersonTable, people.filtered())
    return render(request, "people/person_list.html", {"filter": people, "table": table, "page": table.page})


@permission_needed("people.add_person")
def person_create(request: HttpRequest) -> HttpResponse:
    """Record a person. A number already in the city register is not a dead end: the page says
    so and offers the lookup, the number carried in the form's body (全域就近办)."""
    form = PersonForm(request.POST or None)
    already_recorded = ""
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["id_number"]
        person = run_service(form, lambda: services.person_create(actor=request.user, **form.cleaned_data))
        if person is not None:
            messages.success(request, _("%(name)s recorded.") % {"name": person.name})
            return redirect("people:person_detail", pk=person.pk)
        if services.PersonAlreadyRecorded().message in form.errors.get("id_number", []):
            already_recorded = number
    return render(
        request,
        "people/person_form.html",
        {"form": form, "already_recorded": already_recorded, "lookup_form": PersonLookupForm()},
    )


@never_cache
@permission_needed("people.view_person")
@rate_limit("search", per="user")
@require_http_methods(["GET", "POST"])
def person_lookup(request: HttpRequest) -> HttpResponse:
    """The city register (全市人员库): any station finds any person of Huzhou by their exact full
    citizen ID number, giving a reason (D1, D3). Posted, so the number stays out of addresses;
    every lookup — found or not — is an audit event with the reason (``person.lookup``), and a
    lookup without a reason is refused before anything is read.

    The answer shows what serving the person needs: name, masked number, sex, birth date, the
    offices that served them, their cases (another office's listed, not openable), and a link per
    case kind to take an application for them here. Their file opens once this office serves them."""
    form = PersonLookupForm(request.POST or None)
    context: dict[str, Any] = {"form": form, "looked_up": False}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        found = run_service(
            form,
            lambda: (
                services.person_lookup(
                    actor=request.user,
                    id_number=data["id_number"],
                    reason=data["reason"],
                    reason_text=data["reason_text"],
                ),
            ),
        )
        if found is not None:
            (person,) = found
            # The number is not shown again: the form starts empty, the answer shows it masked.
            context.update(form=PersonLookupForm(), looked_up=True, person=person)
            if person is not None:
                context["served"] = selectors.person_list_for_user(user=request.user).filter(pk=person.pk).exists()
                context["sections"] = person_file(user=request.user, person=person, only=LOOKUP_SECTIONS)
    return render(request, "people/person_lookup.html", context)


@permission_needed("people.view_person")
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The person's file (一人一档): who they are, then every section the domain apps register
    (cases, hukou, registrations, lease filings, permits, reminders), each row linking to its
    own page. The full ID number shows to roles allowed to see it, and each such view is
    written to the audit trail."""
    person = selectors.person_get_for_user(user=request.user, pk=pk)
    show_full_id = request.user.has_perm("people.view_full_id_number")
    if show_full_id:
        services.person_record_full_view(actor=request.user, person=person)
    photos = selectors.person_photo_history(person=person)
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "show_full_id": show_full_id,
            "sections": person_file(user=request.user, person=person),
            "photo": next((photo for photo in photos if photo.is_current), None),
            "photo_history": photos,
            "may_take_photo": services.may_take_photo(request.user),
        },
    )


@never_cache
@permission_needed("people.add_personphoto")
def person_photo_take(request: HttpRequest, pk: int) -> HttpResponse:
    """The capture page (一窗通拍): the counter's camera through the browser (``photo.js``:
    getUserMedia, no plug-in) or a file; both arrive as the same file field. A ``next`` on this
    portal (the case that needs the photo) is where the officer goes back to."""
    person = selectors.person_get_for_user(user=request.user, pk=pk)
    if not services.may_take_photo(request.user):
        raise PermissionDenied
    current = selectors.person_photo_current(person=person)
    back = safe_next_url(request, request.POST.get("next") or request.GET.get("next")) or reverse(
        "people:person_detail", args=[person.pk]
    )
    form = PhotoForm(
        request.POST or None, request.FILES or None, initial={"replacing": current.pk if current else None}
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            status, photo = _take_photo(request, person, form)
            if photo is not None:
                messages.success(request, _("The photo of %(name)s is saved.") % {"name": person.name})
                return redirect(back)
    response = render(
        request,
        "people/person_photo_take.html",
        {
            "person": person,
            "current": current,
            "form": form,
            "back": back,
            "max_mb": settings.PERSON_PHOTO_MAX_BYTES // (1024 * 1024),
        },
        status=status,
    )
    # The camera is this page's own (there is no portal-wide Permissions-Policy to widen): said
    # explicitly, and for this origin only, never for a frame.
    response["Permissions-Policy"] = "camera=(self), microphone=(), geolocation=()"
    return response


def _take_photo(request: HttpRequest, person: Any, form: PhotoForm) -> tuple[int, Any]:
    """(status, the photo or None): a refusal is put on the form; a file over the size limit
    answers 413, any other refusal 400."""
    try:
        return 200, services.person_photo_take(
            actor=request.user,
            person_id=person.pk,
            upload=form.cleaned_data["photo"],
            source=form.cleaned_data["source"],
            replacing=form.cleaned_data["replacing"],
        )
    except ApplicationError as error:
        refusal_shown(error, field_label=str(form.fields["photo"].label) if error.field == "photo" else "")
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return (413 if isinstance(error, PhotoTooLarge) else 400), None


@permission_needed("people.view_person")
def person_photo_image(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    """A person's photo, only to users who may see the person (``person_get_for_user``: 404
    outside their offices), never cached by a browser or proxy, never sniffed as anything but a
    JPEG. The file lives outside every public URL (``services.photo_storage``)."""
    photo = selectors.person_photo_get_for_user(user=request.user, person_pk=pk, pk=photo_pk)
    response = FileResponse(services.photo_storage().open(photo.stored_name, "rb"), content_type="image/jpeg")
    response["Content-Disposition"] = f'inline; filename="photo-{photo.pk}.jpg"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@permission_needed("people.view_town")
def town_list(request: HttpRequest) -> HttpResponse:
    may_change = may_change_city_wide(request.user, "people.change_town")
    towns = list(selectors.town_list())
    offices = selectors.town_offices(towns)
    rows = [(town, offices.get(town.pk)) for town in towns]
    return render(request, "people/town_list.html", {"rows": rows, "may_change": may_change})


@permission_needed("people.change_town")
def town_update(request: HttpRequest, pk: int) -> HttpResponse:
    town = get_object_or_404(selectors.town_list(), pk=pk)
    ensure_city_wide_change(request.user, "people.change_town")  # the form only for the city bureau
    form = TownForm(request.POST or None, town=town, initial={"is_urban": town.is_urban, "station": town.station})
    if request.method == "POST" and form.is_valid():
        station = form.cleaned_data["station"]
        saved = run_service(
            form,
            lambda: services.town_update(
                actor=request.user,
                town_id=town.pk,
                is_urban=form.cleaned_data["is_urban"],
                station_id=station.pk if station else None,
                reason=form.cleaned_data["reason"],
            ),
        )
        if saved is not None:
            messages.success(request, _("%(town)s saved.") % {"town": saved})
            return redirect("people:town_list")
    return render(request, "people/town_form.html", {"form": form, "town": town})
