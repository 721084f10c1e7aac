"""Household pages: the list, a household with its members' whole history, the 户口簿 page of a
member (常住人口登记卡), the moves (within Huzhou, out of Huzhou) and the 准迁证 with the origin's
迁出 confirmation. Scoped like every page (``selectors``); each action's form is its confirm page
and calls one service."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from hukou_portal.core.decorators import permission_needed
from hukou_portal.core.forms import run_service
from hukou_portal.core.lists import bind_filter, list_table
from hukou_portal.people.services import person_record_full_view

from . import selectors, services
from .filters import HouseholdFilter
from .forms import MemberMoveForm, MoveInConfirmationForm, MoveOutForm
from .tables import HouseholdTable


@permission_needed("people.view_household")
def household_list(request: HttpRequest) -> HttpResponse:
    households = bind_filter(request, HouseholdFilter, selectors.household_list_for_user(user=request.user))
    table = list_table(request, HouseholdTable, households.filtered())
    return render(request, "people/household_list.html", {"filter": households, "table": table, "page": table.page})


@never_cache
@permission_needed("people.view_household")
def household_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The household and every membership it ever had — who joined when and why, by which
    case, who left when, why and to where — and the 准迁证 still waiting to move people in."""
    household = selectors.household_get_for_user(user=request.user, pk=pk)
    members = selectors.household_members(household)
    return render(
        request,
        "people/household_detail.html",
        {
            "household": household,
            "active": [member for member in members if member.left_on is None],
            "members": members,
            "pending": selectors.pending_move_in_permits(household),
            "may_change": services.may_change_households(request.user),
        },
    )


def _frame(*, title: str, office: Any, issued_on: Any, number: str | None, back_url: str) -> Any:
    from hukou_portal.casework.document_views import Frame
    from hukou_portal.casework.issued_documents import office_full_name

    return Frame(
        title=title,
        issuer=office_full_name(office),
        issued_on=issued_on,
        number=number,
        without_number=number is None,
        back_url=back_url,
    )


def _show_full_id(request: HttpRequest, people: list[Any]) -> bool:
    """Printed pages show the full ID number to roles allowed to see it (each view audited, D3),
    masked to everyone else — as the person's file does."""
    show = request.user.has_perm("people.view_full_id_number")
    if show:
        for person in people:
            person_record_full_view(actor=request.user, person=person)
    return show


@never_cache
@permission_needed("people.view_household")
def household_register_card(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    """户口簿 page of one member, in the layout of the 常住人口登记卡 (A4)."""
    member = selectors.household_member_get_for_user(user=request.user, household_pk=pk, pk=member_pk)
    household = member.household
    frame = _frame(
        title=_("Permanent resident registration card (常住人口登记卡)"),
        office=household.office,
        issued_on=timezone.localdate(),
        number=None,
        back_url=reverse("people:household_detail", args=[household.pk]),
    )
    return render(
        request,
        "people/household_register_card.html",
        {
            "household": household,
            "member": member,
            "person": member.person,
            "frame": frame,
            "show_full_id": _show_full_id(request, [member.person]),
        },
    )


def _member_for_change(request: HttpRequest, pk: int, member_pk: int) -> Any:
    """The member, in a household of the user's offices (404 otherwise), for a user who records
    moves (403 otherwise)."""
    member = selectors.household_member_get_for_user(user=request.user, household_pk=pk, pk=member_pk)
    if not services.may_change_households(request.user):
        raise PermissionDenied
    return member


@permission_needed("people.change_household")
def household_member_move(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    """迁出 this household and 迁入 another in Huzhou, or a new home of the member's own."""
    member = _member_for_change(request, pk, member_pk)
    form = MemberMoveForm(request.POST or None, initial={"moved_on": timezone.localdate()})
    if request.method == "POST" and member.left_on is None and form.is_valid():
        data = form.cleaned_data
        to_household_id = None
        new_home = None
        if data["destination"] == MemberMoveForm.INTO_HOUSEHOLD:
            target = selectors.household_by_number_for_user(user=request.user, number=data["to_household"])
            if target is None:
                form.add_error("to_household", _("No household with this number at your offices."))
            else:
                to_household_id = target.pk
        else:
            new_home = services.NewHome(town=data["town"], address=data["address"])
        if not form.errors:
            joined = run_service(
                form,
                lambda: services.household_member_move(
                    actor=request.user,
                    member_id=member.pk,
                    moved_on=data["moved_on"],
                    relation=data["relation"],
                    to_household_id=to_household_id,
                    new_home=new_home,
                    note=data["note"],
                ),
            )
            if joined is not None:
                messages.success(
                    request,
                    _("%(name)s moved to household %(number)s.")
                    % {"name": member.person.name, "number": joined.household.number},
                )
                return redirect("people:household_detail", pk=joined.household_id)
    return render(
        request,
        "people/household_member_action.html",
        {
            "household": member.household,
            "member": member,
            "form": form,
            "title": _("Move to another household (迁移)"),
            "explanation": _(
                "The membership here ends on the day of the move and a new one starts in the other "
                "household; both stay in the history."
            ),
            "confirm": _("Confirm the move"),
        },
    )


@permission_needed("people.change_household")
def household_member_move_out(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    """迁出 out of Huzhou: the membership ends and a 迁出 record keeps where to and when."""
    member = _member_for_change(request, pk, member_pk)
    form = MoveOutForm(request.POST or None, initial={"moved_out_on": timezone.localdate()})
    if request.method == "POST" and member.left_on is None and form.is_valid():
        done = run_service(
            form,
            lambda: services.household_member_move_out_of_huzhou(
                actor=request.user, member_id=member.pk, **form.cleaned_data
            ),
        )
        if done is not None:
            messages.success(request, _("%(name)s moved out of Huzhou.") % {"name": member.person.name})
            return redirect("people:household_detail", pk=member.household.pk)
    return render(
        request,
        "people/household_member_action.html",
        {
            "household": member.household,
            "member": member,
            "form": form,
            "title": _("Move out of Huzhou (迁出)"),
            "explanation": _(
                "The membership ends on the day of the move out; the household keeps it in its history, "
                "with where the person moved to."
            ),
            "confirm": _("Confirm the move out"),
        },
    )


@never_cache
@permission_needed("people.view_household")
def move_in_permit(request: HttpRequest, pk: int) -> HttpResponse:
    """准予迁入证明 (准迁证), printable on A4, numbered when the settlement was completed."""
    permit = selectors.move_in_permit_get_for_user(user=request.user, pk=pk)
    people = list(permit.people.select_related("person"))
    frame = _frame(
        title=_("Permit to move in (准予迁入证明)"),
        office=permit.issuing_office,
        issued_on=permit.issued_on,
        number=permit.number,
        back_url=reverse("casework:case_detail", args=[permit.case_id]),
    )
    confirmation = getattr(permit, "confirmation", None)  # None until the origin confirms
    return render(
        request,
        "people/move_in_permit.html",
        {
            "permit": permit,
            "people": people,
            "household": permit.household,
            "confirmation": confirmation,
            "frame": frame,
            "show_full_id": _show_full_id(request, [row.person for row in people]),
        },
    )


@permission_needed("people.change_household")
def move_in_permit_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the origin office's 迁出 confirmation: the people of the permit join the household."""
    permit = selectors.move_in_permit_get_for_user(user=request.user, pk=pk)
    form = MoveInConfirmationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.move_in_permit_confirm(actor=request.user, permit_id=permit.pk, **form.cleaned_data),
        )
        if done is not None:
            messages.success(
                request,
                _("The move out is confirmed: the people of %(number)s joined household %(household)s.")
                % {"number": permit.number, "household": permit.household.number},
            )
            return redirect("people:household_detail", pk=permit.household_id)
    return render(
        request,
        "people/move_in_permit_confirm.html",
        {
            "permit": permit,
            "people": list(permit.people.select_related("person")),
            "form": form,
            "already": hasattr(permit, "confirmation"),
        },
    )
