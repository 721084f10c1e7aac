import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hukou_portal.core.widgets import DateInput
from hukou_portal.people.models import Area, Town

from .models import EmploymentEvidence


@dataclass(frozen=True)
class Fieldset:
    title: str | Promise
    help: str | Promise
    fields: tuple[str, ...]


def _area_field(label: Any, *, required: bool = False) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label=label, queryset=Area.objects.all(), required=required, empty_label="—")


class PermitApplicationForm(forms.Form):
    """The evidence of the three conditions (R3.2), each with the place where it lies: a
    condition counts only with evidence in the area applied to. The category says which one is
    claimed; the case page shows which piece of evidence met it."""

    area = _area_field(_("County-level area applied to"), required=True)
    lease_filing_number = forms.CharField(
        label=_("Lease filing number"),
        max_length=40,
        required=False,
        help_text=_("A lease filing already recorded for the applicant (租赁登记备案)."),
    )
    home_certificate = forms.CharField(
        label=_("Real estate certificate number"),
        max_length=40,
        required=False,
        help_text=_("A home the applicant owns or has the use of (不动产权证书 or proof of use right)."),
    )
    home_town = forms.ModelChoiceField(
        label=_("Town or sub-district of the home"),
        queryset=Town.objects.select_related("area"),
        required=False,
        empty_label="—",
    )
    employment_evidence = forms.ChoiceField(
        label=_("Proof of employment"), choices=[("", "—"), *EmploymentEvidence.choices], required=False
    )
    employer = forms.CharField(label=_("Employer or business"), max_length=100, required=False)
    employer_area = _area_field(_("County-level area of the employer or business"))
    school = forms.CharField(label=_("School"), max_length=100, required=False)
    school_area = _area_field(_("County-level area of the school"))

    FIELDSETS: tuple[Fieldset, ...] = (
        Fieldset(
            _("Legal stable residence"),
            _("A filed lease in force, or a home, in the area applied to."),
            ("lease_filing_number", "home_certificate", "home_town"),
        ),
        Fieldset(
            _("Legal stable employment"),
            _("A labour contract with an employer, or a business licence, in the area applied to."),
            ("employment_evidence", "employer", "employer_area"),
        ),
        Fieldset(
            _("Continuous schooling"),
            _("Enrolment at a school in the area applied to."),
            ("school", "school_area"),
        ),
    )

    def fieldsets(self) -> Iterator[tuple[Fieldset, list[forms.BoundField]]]:
        for fieldset in self.FIELDSETS:
            yield fieldset, [self[name] for name in fieldset.fields]

    def clean(self) -> dict[str, Any]:
        """A piece of evidence is whole or absent: a certificate with its town, an employer with
        the kind of proof and its area, a school with its area."""
        data = super().clean() or {}
        groups = [
            (
                ("home_certificate", "home_town"),
                {
                    "home_certificate": _("Enter the number of the real estate certificate."),
                    "home_town": _("Choose the town or sub-district of the home."),
                },
            ),
            (
                ("employment_evidence", "employer", "employer_area"),
                {
                    "employment_evidence": _("Choose the proof of employment: labour contract or business licence."),
                    "employer": _("Enter the employer or business named on the contract or licence."),
                    "employer_area": _("Choose the county-level area where the employer or business is."),
                },
            ),
            (
                ("school", "school_area"),
                {
                    "school": _("Enter the school."),
                    "school_area": _("Choose the county-level area of the school."),
                },
            ),
        ]
        for names, messages in groups:
            given = [name for name in names if data.get(name)]
            if given and len(given) < len(names):
                for name in names:
                    if not data.get(name) and name not in self.errors:
                        self.add_error(name, messages[name])
        return data


class PermitConversionForm(PermitApplicationForm):
    other_permit_number = forms.CharField(label=_("Number of the permit held"), max_length=40)
    other_permit_region = forms.RegexField(
        label=_("Issued in (area code)"),
        regex=r"^\d{6}$",
        help_text=_(
            "The six-digit code of the county-level area that issued it, e.g. <code>330106</code> for Xihu "
            "District, Hangzhou, or <code>330502</code> for Wuxing District."
        ),
        error_messages={"invalid": _("Enter the six-digit code of the area that issued the permit.")},
    )
    other_permit_valid_until = forms.DateField(label=_("Valid until"), widget=DateInput())

    FIELDSETS: tuple[Fieldset, ...] = (
        Fieldset(
            _("The residence permit held"),
            _("A valid permit issued by another county-level area of a recognised region (R3.1, R3.3)."),
            ("other_permit_number", "other_permit_region", "other_permit_valid_until"),
        ),
        *PermitApplicationForm.FIELDSETS,
    )

    def clean_other_permit_valid_until(self) -> dt.date:
        value = self.cleaned_data["other_permit_valid_until"]
        if value < timezone.localdate():
            raise forms.ValidationError(_("The permit has expired: only a valid permit is converted."))
        return value


class ReplaceForm(forms.Form):
    reason = forms.CharField(label=_("Reason (e.g. lost)"), max_length=200)
