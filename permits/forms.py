import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hukou_portal.core.widgets import DateInput
from hukou_portal.people.models import Area


class PermitApplicationForm(forms.Form):
    """The facts of the three conditions (R3.2); the category says which one is claimed."""

    area = forms.ModelChoiceField(label=_("County-level area applied to"), queryset=Area.objects.all())
    lease_filing_number = forms.CharField(
        label=_("Lease filing number (legal stable residence)"), max_length=40, required=False
    )
    owns_home = forms.BooleanField(label=_("Owns or has the use of a home in the area"), required=False)
    employer = forms.CharField(label=_("Employer or business"), max_length=100, required=False)
    has_labour_contract = forms.BooleanField(label=_("Has a labour contract or business licence"), required=False)
    school = forms.CharField(label=_("School (continuous schooling)"), max_length=100, required=False)


class PermitConversionForm(PermitApplicationForm):
    other_permit_number = forms.CharField(label=_("Number of the permit held"), max_length=40)
    other_permit_region = forms.RegexField(
        label=_("Issued in (area code)"),
        regex=r"^33\d{4}$",
        error_messages={"invalid": _("Enter a Zhejiang area code (33xxxx).")},
    )
    other_permit_valid_until = forms.DateField(label=_("Valid until"), widget=DateInput())

    def clean_other_permit_valid_until(self) -> dt.date:
        value = self.cleaned_data["other_permit_valid_until"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("The permit has expired: only a valid permit is converted."))
        return value


class ReplaceForm(forms.Form):
    reason = forms.CharField(label=_("Reason (e.g. lost)"), max_length=200)
