"""Sign-in, the second factor, and the administrators' pages for offices and users."""

import io

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, PageNotAnInteger
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tables2.paginators import LazyPaginator

from hukou_portal.audit.services import record
from hukou_portal.core.decorators import permission_needed
from hukou_portal.core.exceptions import ApplicationError
from hukou_portal.core.forms import run_service
from hukou_portal.core.lists import bind_filter, list_table
from hukou_portal.core.refusals import refusal_message
from hukou_portal.people.selectors import area_names

from . import selectors, services
from .filters import OfficeFilter, UserFilter
from .forms import (
    OfficeCreateForm,
    OfficeUpdateForm,
    PasswordResetForm,
    SecondFactorForm,
    SignInForm,
    UserCreateForm,
    UserUpdateForm,
)
from .roles import Role
from .tables import OfficeTable, UserTable

OFFICES_PER_PAGE = 50


def safe_next_url(request: HttpRequest, candidate: str | None) -> str | None:
    """``candidate`` when it stays on this portal (a local path or an allowed host; https only in
    production), else None: a ``next`` never sends anyone to another site."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate,
        allowed_hosts={request.get_host()},
        require_https=request.is_secure() or settings.SECURE_SSL_REDIRECT,
    ):
        return candidate
    return None


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_redirect_url(self) -> str:
        """The ``next`` of the form or the query, if it stays on this portal; else ''
        (then LOGIN_REDIRECT_URL, the home page)."""
        candidate = self.request.POST.get(self.redirect_field_name, self.request.GET.get(self.redirect_field_name))
        return safe_next_url(self.request, candidate) or ""


class SignOutView(auth_views.LogoutView):
    pass


@never_cache
@login_required
def second_factor(request: HttpRequest) -> HttpResponse:
    """Verify a TOTP code; on the first sign-in, enrol an authenticator app with a QR code."""
    user = request.user
    if user.is_verified():
        return redirect("core:home")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = services.second_factor_device_for_enrolment(user=user)
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            if enrolling:
                services.second_factor_confirm(user=user, device=device)
            otp_login(request, device)
            record(action="auth.second_factor_verified", actor=user, target=user)
            return redirect(safe_next_url(request, request.GET.get("next")) or "core:home")
        record(action="auth.second_factor_failed", actor=user, target=user)
        form.add_error("token", _("The code is wrong or has expired. Enter the code your app shows now."))
    return render(
        request,
        "accounts/second_factor.html",
        {"form": form, "enrolling": enrolling, "secret": _base32_secret(device) if enrolling else ""},
    )


@never_cache
@login_required
def second_factor_qr(request: HttpRequest) -> HttpResponse:
    """The enrolment QR code as SVG (served from our origin: the CSP allows no inline data)."""
    user = request.user
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return HttpResponse(status=404)
    device = services.second_factor_device_for_enrolment(user=user)
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")


def _base32_secret(device: TOTPDevice) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


# --- offices --------------------------------------------------------------------------------


@permission_needed("accounts.view_office")
def office_list(request: HttpRequest) -> HttpResponse:
    """The office tree: small by construction (a city's bureaus and stations), so it pages with
    tables2's LazyPaginator (no COUNT) in tree order."""
    offices = bind_filter(request, OfficeFilter, selectors.office_visible_list(user=request.user))
    table = OfficeTable(
        offices.filtered().order_by("path"),
        can_edit=request.user.has_perm("accounts.change_office"),
        area_names=area_names(),
    )
    try:
        table.paginate(LazyPaginator, per_page=OFFICES_PER_PAGE, page=request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger):
        table.paginate(LazyPaginator, per_page=OFFICES_PER_PAGE, page=1)
    return render(request, "accounts/office_list.html", {"filter": offices, "table": table, "page": table.page})


@permission_needed("accounts.add_office")
def office_create(request: HttpRequest) -> HttpResponse:
    offices = selectors.office_visible_list(user=request.user)
    form = OfficeCreateForm(request.POST or None, offices=offices)
    if request.method == "POST" and form.is_valid():
        office = run_service(form, lambda: services.office_create(actor=request.user, **form.cleaned_data))
        if office is not None:
            messages.success(request, _("Office %(name)s created.") % {"name": office.name})
            return redirect("accounts:office_list")
    return render(request, "accounts/office_form.html", {"form": form})


@permission_needed("accounts.change_office")
def office_update(request: HttpRequest, pk: int) -> HttpResponse:
    office = selectors.office_get_for_user(user=request.user, pk=pk)
    initial = {"name": office.name, "area_code": office.area_code, "is_active": office.is_active}
    form = OfficeUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        updated = run_service(
            form, lambda: services.office_update(actor=request.user, office_id=office.pk, **form.cleaned_data)
        )
        if updated is not None:
            messages.success(request, _("Office %(name)s saved.") % {"name": updated.name})
            return redirect("accounts:office_list")
    return render(request, "accounts/office_form.html", {"form": form, "office": office})


# --- users ----------------------------------------------------------------------------------


@permission_needed("accounts.view_user")
def user_list(request: HttpRequest) -> HttpResponse:
    users = bind_filter(request, UserFilter, selectors.user_list_for_user(user=request.user))
    table = list_table(request, UserTable, users.filtered(), can_edit=request.user.has_perm("accounts.change_user"))
    return render(request, "accounts/user_list.html", {"filter": users, "table": table, "page": table.page})


@permission_needed("accounts.add_user")
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(
        request.POST or None,
        offices=selectors.office_visible_list(user=request.user),
        role_choices=services.grantable_for(request.user),
    )
    if request.method == "POST" and form.is_valid():
        user = run_service(form, lambda: services.user_create(actor=request.user, **form.cleaned_data))
        if user is not None:
            messages.success(request, _("User %(name)s created.") % {"name": user.username})
            return redirect("accounts:user_list")
    return render(request, "accounts/user_form.html", {"form": form})


@permission_needed("accounts.view_user")
def user_update(request: HttpRequest, pk: int) -> HttpResponse:
    """The account's page: its form for those who may manage it (accounts.services), and the
    actions each administrator's role allows (password, second factor, sessions)."""
    target = selectors.user_get_for_user(user=request.user, pk=pk)
    may_manage = services.may_manage_user(request.user, target)
    if request.method == "POST" and not may_manage:
        raise PermissionDenied(
            _("This account holds a role you may not grant: only a security administrator manages it.")
        )
    form = None
    if may_manage:
        form = UserUpdateForm(
            request.POST or None,
            initial=UserUpdateForm.initial_for(target),
            offices=selectors.office_visible_list(user=request.user),
            role_choices=services.grantable_for(request.user),
        )
    if form is not None and request.method == "POST" and form.is_valid():
        updated = run_service(
            form, lambda: services.user_update(actor=request.user, user_id=target.pk, **form.cleaned_data)
        )
        if updated is not None:
            messages.success(request, _("User %(name)s saved.") % {"name": updated.username})
            return redirect("accounts:user_list")
    return render(
        request,
        "accounts/user_form.html",
        {
            "form": form,
            "target": target,
            "role_labels": [Role(role).label for role in Role.values if role in target.roles],
            "password_form": PasswordResetForm() if request.user.has_perm("accounts.reset_password") else None,
        },
    )


@require_POST
@permission_needed("accounts.end_sessions")
def user_end_sessions(request: HttpRequest, pk: int) -> HttpResponse:
    target = selectors.user_get_for_user(user=request.user, pk=pk)
    ended = services.user_end_sessions(actor=request.user, user_id=target.pk)
    messages.success(
        request,
        ngettext("%(count)d session of %(name)s was ended.", "%(count)d sessions of %(name)s were ended.", ended)
        % {"count": ended, "name": target.username},
    )
    url = reverse("accounts:user_update", kwargs={"pk": target.pk})
    if target.pk == request.user.pk:
        logout(request)  # this session is gone too: start a fresh one on the sign-in page
        url = reverse("accounts:sign_in")
    # The button asks for confirmation through htmx (hx-confirm); htmx then loads the page whole.
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)


@require_POST
@permission_needed("accounts.reset_second_factor")
def user_reset_second_factor(request: HttpRequest, pk: int) -> HttpResponse:
    target = selectors.user_get_for_user(user=request.user, pk=pk)
    try:
        services.user_reset_second_factor(actor=request.user, user_id=target.pk)
    except ApplicationError as error:
        refusal_message(request, error)
    else:
        messages.success(request, _("The second factor of %(name)s was reset.") % {"name": target.username})
    return redirect("accounts:user_update", pk=target.pk)


@sensitive_post_parameters("password")
@require_POST
@permission_needed("accounts.reset_password")
def user_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    target = selectors.user_get_for_user(user=request.user, pk=pk)
    form = PasswordResetForm(request.POST)
    if form.is_valid():
        try:
            services.user_password_reset(actor=request.user, user_id=target.pk, password=form.cleaned_data["password"])
        except ApplicationError as error:
            refusal_message(request, error)
        else:
            messages.success(
                request,
                _("A temporary password was set for %(name)s; they choose their own at the next sign-in.")
                % {"name": target.username},
            )
    else:
        messages.error(request, _("Enter a temporary password."))
    return redirect("accounts:user_update", pk=target.pk)
