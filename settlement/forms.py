"""The settlement intake: the facts each category needs as proper fields, and the family.

``SettlementIntake`` bundles the facts form and the family formset behind the interface the
generic intake view uses (``is_valid``, ``cleaned_data``); ``facts_document`` turns them into
the ELIGIBILITY.md facts the engine reads.
"""

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hukou_portal.people import id_numbers
from hukou_portal.people.models import Area, Town

from . import eligibility as e

MARITAL = [
    ("unmarried", _("Unmarried")),
    ("married", _("Married")),
    ("divorced", _("Divorced")),
    ("widowed", _("Widowed")),
]
EDUCATION = [
    ("none", _("None")),
    ("primary", _("Primary school")),
    ("junior_secondary", _("Junior secondary school")),
    ("senior_secondary", _("Senior secondary school (普通高中)")),
    ("secondary_vocational", _("Secondary vocational (中专/职高/技校)")),
    ("associate", _("Associate degree (大专)")),
    ("bachelor", _("Bachelor's degree")),
    ("master", _("Master's degree")),
    ("doctorate", _("Doctorate")),
]
QUALIFICATION_KIND = [("", "—"), ("skill", _("Skill level (职业技能等级)")), ("title", _("Professional title (职称)"))]
QUALIFICATION_LEVEL = [
    ("", "—"),
    ("junior", _("Junior (初级/五级)")),
    ("intermediate", _("Intermediate (中级/四级)")),
    ("senior", _("Senior (三级/正高)")),
    ("associate_senior", _("Associate senior title (副高)")),
    ("technician", _("Technician (二级)")),
    ("senior_technician", _("Senior technician (一级)")),
]
HOME_HOLDER = [
    ("", "—"),
    ("self", _("The applicant")),
    ("spouse", _("Spouse")),
    ("parent", _("Parent")),
    ("grandparent", _("Grandparent")),
    ("child", _("Child")),
    ("grandchild", _("Grandchild")),
]
HOME_RIGHT = [
    ("ownership", _("Ownership")),
    ("use_right", _("Right of use")),
    ("public_tenancy", _("Public housing tenancy")),
]
INVESTMENT = [
    ("", "—"),
    ("enterprise", _("Set up an enterprise")),
    ("shareholder", _("Shareholder of an enterprise")),
    ("individual_business", _("Individual business")),
    ("commercial_property", _("Bought commercial property")),
]
HOST_RELATION = [
    ("", "—"),
    ("spouse", _("Spouse of the host")),
    ("child", _("Child of the host")),
    ("grandchild", _("Grandchild of the host")),
    ("parent", _("Parent of the host")),
    ("grandparent", _("Grandparent of the host")),
    ("spouse_parent", _("Parent of the host's spouse")),
    ("spouse_grandparent", _("Grandparent of the host's spouse")),
    ("child_spouse", _("Spouse of the host's child")),
    ("sibling", _("Sibling of the host")),
    ("other", _("Other")),
]
FAMILY_RELATION = [
    ("spouse", _("Spouse")),
    ("child", _("Child")),
    ("parent", _("Parent")),
    ("sibling", _("Sibling")),
    ("grandchild", _("Grandchild")),
    ("other", _("Other")),
]


def _town_field(label: Any, required: bool = False) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label=label, queryset=Town.objects.select_related("area"), required=required)


def _area_field(label: Any) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(label=label, queryset=Area.objects.all(), required=False, to_field_name="code")


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(label=label, required=False, widget=forms.DateInput(attrs={"type": "date"}))


class SettlementFactsForm(forms.Form):
    town = _town_field(_("Town of settlement"), required=True)
    address = forms.CharField(label=_("Registration address"), max_length=200)
    marital_status = forms.ChoiceField(label=_("Marital status"), choices=MARITAL)

    education_level = forms.ChoiceField(label=_("Education"), choices=EDUCATION, initial="none")
    education_full_time = forms.BooleanField(label=_("Full-time education"), required=False)
    qualification_kind = forms.ChoiceField(label=_("Qualification"), choices=QUALIFICATION_KIND, required=False)
    qualification_level = forms.ChoiceField(label=_("Qualification level"), choices=QUALIFICATION_LEVEL, required=False)
    designated_talent = forms.BooleanField(
        label=_("Meets a talent definition of a county-level department"), required=False
    )

    home_holder = forms.ChoiceField(label=_("Home held by"), choices=HOME_HOLDER, required=False)
    home_right = forms.ChoiceField(label=_("Right to the home"), choices=HOME_RIGHT, required=False)
    home_town = _town_field(_("Town of the home"))
    owns_home_in_target_town = forms.BooleanField(
        label=_("Applicant, spouse or a minor child owns a home in the town of settlement"), required=False
    )

    lease_private_housing = forms.BooleanField(label=_("Rents private housing"), required=False)
    lease_town = _town_field(_("Town of the rented home"))
    lease_filed_on = _date_field(_("Lease filed on (租赁登记备案)"))
    lease_owner_consents = forms.BooleanField(
        label=_("The owner consents to settlement in the rented home"), required=False
    )

    employment_labour_contract = forms.BooleanField(label=_("Has a labour contract"), required=False)
    employment_area = _area_field(_("Area of employment"))
    social_insurance_months = forms.IntegerField(
        label=_("Months of social insurance paid in Huzhou"), min_value=0, required=False, initial=0
    )

    investment_kind = forms.ChoiceField(label=_("Investment"), choices=INVESTMENT, required=False)
    investment_area = _area_field(_("Area of the investment"))

    permit_issuer_area = _area_field(_("Residence permit issued in"))
    permit_issued_on = _date_field(_("Residence permit issued on"))
    permit_valid = forms.BooleanField(label=_("The permit is valid"), required=False, initial=True)

    host_relation = forms.ChoiceField(label=_("The applicant is the host's"), choices=HOST_RELATION, required=False)
    host_area = _area_field(_("Area of the host's household"))
    host_lives_with_host = forms.BooleanField(label=_("Lives with the host"), required=False)
    host_has_urban_stable_residence = forms.BooleanField(
        label=_("The host has a legal stable residence in an urban area"), required=False
    )
    host_family_household = forms.BooleanField(
        label=_("The host's household is a family household"), required=False, initial=True
    )

    option_relative_family_household = forms.BooleanField(
        label=_("A relative or friend's family household accepts the applicant"), required=False
    )
    option_employer_collective_household = forms.BooleanField(
        label=_("The employer has a collective household"), required=False
    )
    option_talent_market_collective_household = forms.BooleanField(
        label=_("The talent market collective household accepts the applicant"), required=False
    )

    def clean_lease_filed_on(self) -> dt.date | None:
        return self._not_in_future("lease_filed_on", _("A lease cannot be filed in the future."))

    def clean_permit_issued_on(self) -> dt.date | None:
        return self._not_in_future("permit_issued_on", _("A permit cannot be issued in the future."))

    def _not_in_future(self, name: str, message: Any) -> dt.date | None:
        value = self.cleaned_data.get(name)
        if value and value > timezone.localdate():
            raise forms.ValidationError(message)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        pairs = [
            ("home_holder", "home_town", _("Choose the town of the home.")),
            ("lease_private_housing", "lease_town", _("Choose the town of the rented home.")),
            ("lease_private_housing", "lease_filed_on", _("Enter the date the lease was filed.")),
            ("employment_labour_contract", "employment_area", _("Choose the area of employment.")),
            ("social_insurance_months", "employment_area", _("Choose the area of employment.")),
            ("investment_kind", "investment_area", _("Choose the area of the investment.")),
            ("permit_issued_on", "permit_issuer_area", _("Choose the area that issued the permit.")),
            ("host_relation", "host_area", _("Choose the area of the host's household.")),
        ]
        for given, needed, message in pairs:
            if data.get(given) and not data.get(needed):
                self.add_error(needed, message)
        if bool(data.get("qualification_kind")) != bool(data.get("qualification_level")):
            self.add_error("qualification_level", _("Choose both the kind and the level of the qualification."))
        kind, level = data.get("qualification_kind"), data.get("qualification_level")
        if kind and level and level not in e.QUALIFICATION_LADDERS[kind]:
            self.add_error("qualification_level", _("This level does not exist for this kind of qualification."))
        return data


class FamilyMemberForm(forms.Form):
    # The blank first choices keep an untouched extra row unchanged, so the formset skips it.
    name = forms.CharField(label=_("Name"), max_length=50)
    id_number = forms.CharField(label=_("Citizen ID number"), max_length=20, validators=[id_numbers.validate_id_number])
    relation = forms.ChoiceField(label=_("Relation to the applicant"), choices=[("", "—"), *FAMILY_RELATION])
    marital_status = forms.ChoiceField(label=_("Marital status"), choices=[("", "—"), *MARITAL])

    def clean_id_number(self) -> str:
        return id_numbers.normalise(self.cleaned_data["id_number"])


FamilyFormSet = forms.formset_factory(FamilyMemberForm, extra=2, max_num=8, validate_max=True)


class SettlementIntake:
    """The facts form and the family formset, validated and rendered together."""

    def __init__(self, data: Any = None, prefix: str = "details", initial: dict[str, Any] | None = None) -> None:
        self.facts = SettlementFactsForm(data, prefix=prefix, initial=initial)
        self.family = FamilyFormSet(data, prefix=f"{prefix}-family")

    def is_valid(self) -> bool:
        facts_ok = self.facts.is_valid()
        family_ok = self.family.is_valid()
        return facts_ok and family_ok

    @property
    def cleaned_data(self) -> dict[str, Any]:
        members = [form.cleaned_data for form in self.family.forms if form.cleaned_data]
        return {**self.facts.cleaned_data, "family": members}


def _area_code(town: Town | None) -> str:
    return town.area.code if town else ""


def facts_document(data: dict[str, Any], *, applicant_id_number: str, as_of: dt.date) -> dict[str, Any]:
    """The ELIGIBILITY.md facts document for the intake's cleaned data."""
    town: Town = data["town"]
    person: dict[str, Any] = {
        "birth_date": id_numbers.parse(applicant_id_number).birth_date.isoformat(),
        "marital_status": data["marital_status"],
        "education": {"level": data["education_level"], "full_time": data["education_full_time"]},
        "designated_talent": data["designated_talent"],
        "owns_home_in_target_town": data["owns_home_in_target_town"],
        "options": {
            "relative_family_household": data["option_relative_family_household"],
            "employer_collective_household": data["option_employer_collective_household"],
            "talent_market_collective_household": data["option_talent_market_collective_household"],
        },
    }
    if data.get("qualification_kind"):
        person["qualifications"] = [{"kind": data["qualification_kind"], "level": data["qualification_level"]}]
    if data.get("home_holder"):
        home_town = data["home_town"]
        person["homes"] = [
            {
                "holder": data["home_holder"],
                "right": data["home_right"],
                "area": _area_code(home_town),
                "urban": home_town.is_urban,
            }
        ]
    if data.get("lease_private_housing"):
        lease_town = data["lease_town"]
        person["lease"] = {
            "private_housing": True,
            "area": _area_code(lease_town),
            "urban": lease_town.is_urban,
            "filed_on": data["lease_filed_on"].isoformat(),
            "owner_consents": data["lease_owner_consents"],
        }
    if data.get("employment_area"):
        person["employment"] = {
            "labour_contract": data["employment_labour_contract"],
            "area": data["employment_area"].code,
            "social_insurance_months": data.get("social_insurance_months") or 0,
        }
    if data.get("investment_kind"):
        person["investment"] = [{"kind": data["investment_kind"], "area": data["investment_area"].code}]
    if data.get("permit_issued_on"):
        person["permits"] = [
            {
                "issuer_area": data["permit_issuer_area"].code,
                "issued_on": data["permit_issued_on"].isoformat(),
                "valid": data["permit_valid"],
            }
        ]
    if data.get("host_relation"):
        person["host"] = {
            "relation": data["host_relation"],
            "lives_with_host": data["host_lives_with_host"],
            "area": data["host_area"].code,
            "host_has_urban_stable_residence": data["host_has_urban_stable_residence"],
            "household": "family" if data["host_family_household"] else "collective",
        }
    family = [
        {
            "ref": f"m{index + 1}",
            "relation": member["relation"],
            "birth_date": id_numbers.parse(member["id_number"]).birth_date.isoformat(),
            "marital_status": member["marital_status"],
        }
        for index, member in enumerate(data.get("family", []))
    ]
    return {
        "as_of": as_of.isoformat(),
        "target": {"area": town.area.code, "urban": town.is_urban},
        "person": person,
        "family": family,
    }


class SettlementDocumentForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=[])
    code = forms.SlugField(label=_("Code"), max_length=40)
    label = forms.CharField(label=_("Document"), max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .models import Category

        super().__init__(*args, **kwargs)
        self.fields["category"].choices = Category.choices  # type: ignore[attr-defined]
