from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from hukou_portal.core.decorators import permission_needed
from hukou_portal.core.forms import run_service
from hukou_portal.core.lists import bind_filter, list_table
from hukou_portal.rules.services import ensure_city_wide_change, may_change_city_wide

from . import selectors, services
from .file import person_file
from .filters import PersonFilter
from .forms import PersonForm, TownForm
from .tables import PersonTable


@permission_needed("people.view_person")
def person_list(request: HttpRequest) -> HttpResponse:
    people = bind_filter(request, PersonFilter, selectors.person_list_for_user(user=request.user))
    table = list_table(request, PersonTable, people.filtered())
    return render(request, "people/person_list.html", {"filter": people, "table": table, "page": table.page})


@permission_needed("people.add_person")
def person_create(request: HttpRequest) -> HttpResponse:
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person = run_service(form, lambda: services.person_create(actor=request.user, **form.cleaned_data))
        if person is not None:
            messages.success(request, _("%(name)s recorded.") % {"name": person.name})
            return redirect("people:person_detail", pk=person.pk)
    return render(request, "people/person_form.html", {"form": form})


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
    return render(
        request,
        "people/person_detail.html",
        {"person": person, "show_full_id": show_full_id, "sections": person_file(user=request.user, person=person)},
    )


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
