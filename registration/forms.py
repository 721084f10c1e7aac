import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hukou_portal.core.widgets import DateInput
from hukou_portal.people import id_numbers
from hukou_portal.people.models import Town


class DeclarationForm(forms.Form):
    town = forms.ModelChoiceField(label=_("Town or sub-district"), queryset=Town.objects.select_related("area"))
    address = forms.CharField(label=_("Address"), max_length=200)
    lived_since = forms.DateField(
        label=_("Living there since (as stated)"),
        widget=DateInput(),
        help_text=_(
            "Kept as the applicant's statement. Registration time counts from the day the declaration is accepted."
        ),
    )

    def clean_lived_since(self) -> dt.date:
        value = self.cleaned_data["lived_since"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class ChangeForm(forms.Form):
    town = forms.ModelChoiceField(label=_("New town or sub-district"), queryset=Town.objects.select_related("area"))
    address = forms.CharField(label=_("New address"), max_length=200)
    effective_on = forms.DateField(label=_("Moved on"), widget=DateInput())

    def clean_effective_on(self) -> dt.date:
        value = self.cleaned_data["effective_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class CancelForm(forms.Form):
    effective_on = forms.DateField(label=_("Moved away on"), widget=DateInput())

    def clean_effective_on(self) -> dt.date:
        value = self.cleaned_data["effective_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return value


class ElsewhereRegistrationForm(forms.Form):
    region_code = forms.RegexField(
        label=_("Area code of the registration"),
        regex=r"^\d{6}$",
        help_text=_(
            "The six-digit administrative area code of the place, e.g. <code>330106</code> for Xihu District, Hangzhou."
        ),
        error_messages={"invalid": _("An area code has six digits.")},
    )
    address = forms.CharField(label=_("Address"), max_length=200)
    started_on = forms.DateField(label=_("Registered from"), widget=DateInput())
    ended_on = forms.DateField(label=_("Registered until"), widget=DateInput())


class LeaseFilingForm(forms.Form):
    filing_number = forms.CharField(label=_("Filing number"), max_length=40)
    filed_on = forms.DateField(label=_("Filed on"), widget=DateInput())
    town = forms.ModelChoiceField(label=_("Town or sub-district"), queryset=Town.objects.select_related("area"))
    address = forms.CharField(label=_("Address"), max_length=200)
    housing = forms.ChoiceField(
        label=_("Housing"), choices=[("private", _("Private housing")), ("public", _("Public housing"))]
    )
    landlord = forms.CharField(label=_("Landlord"), max_length=100)
    tenant_id_number = forms.CharField(
        label=_("Tenant's citizen ID number"), max_length=24, validators=[id_numbers.validate_id_number]
    )
    term_start = forms.DateField(label=_("Term from"), widget=DateInput())
    term_end = forms.DateField(label=_("Term until"), widget=DateInput())

    def clean_tenant_id_number(self) -> str:
        return id_numbers.normalise(self.cleaned_data["tenant_id_number"])
