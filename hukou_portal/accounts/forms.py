from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import Office, User, area_code_validator, office_code_validator


class SignInForm(AuthenticationForm):
    """Django's form: one message for an unknown name and for a wrong password."""

    error_messages = {
        "invalid_login": _("The username or password is wrong. Note that both fields may be case-sensitive."),
        "inactive": _("This account is inactive."),
    }


class SecondFactorForm(forms.Form):
    token = forms.CharField(
        label=_("Six-digit code"),
        min_length=6,
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class OfficeCreateForm(forms.Form):
    code = forms.CharField(label=_("Office code"), max_length=12, validators=[office_code_validator])
    name = forms.CharField(label=_("Name"), max_length=100)
    level = forms.ChoiceField(label=_("Level"), choices=Office.Level.choices)
    parent = forms.ModelChoiceField(label=_("Parent office"), queryset=Office.objects.none(), required=False)
    area_code = forms.CharField(label=_("Area code"), max_length=6, validators=[area_code_validator])

    def __init__(self, *args, offices, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = offices


class OfficeUpdateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    area_code = forms.CharField(label=_("Area code"), max_length=6, validators=[area_code_validator])
    is_active = forms.BooleanField(label=_("Active"), required=False)


class _UserFormBase(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=50)
    email = forms.EmailField(label=_("E-mail"), required=False)
    office = forms.ModelChoiceField(label=_("Office"), queryset=Office.objects.none())
    roles = forms.MultipleChoiceField(label=_("Roles"), choices=(), widget=forms.CheckboxSelectMultiple, required=False)

    def __init__(self, *args, offices, role_choices, **kwargs):  # type: ignore[no-untyped-def]
        """``role_choices``: only the roles the signed-in administrator may grant
        (accounts.services.grantable_for); the service refuses any other."""
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        self.fields["roles"].choices = role_choices


class UserCreateForm(_UserFormBase):
    username = forms.CharField(label=_("Username"), max_length=150)
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput(render_value=False))

    field_order = ["username", "full_name", "email", "office", "roles", "password"]


class UserUpdateForm(_UserFormBase):
    is_active = forms.BooleanField(label=_("Active"), required=False)

    @classmethod
    def initial_for(cls, user: User) -> dict:
        return {
            "full_name": user.full_name,
            "email": user.email,
            "office": user.office,
            "roles": sorted(user.roles),
            "is_active": user.is_active,
        }


class PasswordResetForm(forms.Form):
    """A temporary password a system administrator gives a user who forgot theirs."""

    password = forms.CharField(
        label=_("Temporary password"),
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("Tell it to the user in person; they must choose their own at the next sign-in."),
    )
