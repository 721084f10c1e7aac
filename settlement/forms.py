"""The settlement intake: the facts each category needs as proper fields, and the family.

``SettlementIntake`` bundles the facts form and the family formset behind the interface the
generic intake view uses (``is_valid``, ``cleaned_data``); ``facts_document`` turns them into
the ELIGIBILITY.md facts the engine reads.

The facts form shows the shared facts (town, address, marital status) and only the groups of
the category applied for (``CATEGORY_GROUPS``); those are validated, and the facts the category
cannot do without are required. The other groups' values are *carried*: rendered as hidden
inputs so that switching the category back and forth (htmx swaps the groups) loses nothing
typed or pre-filled, but neither validated nor used — the facts document holds only what the
officer saw for this category.
"""

import copy
import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from hukou_portal.core.widgets import DateInput, HiddenDateInput
from hukou_portal.people import id_numbers
from hukou_portal.people.models import Area, Town

from . import eligibility as e
from .labels import EDUCATION_LEVELS
from .models import Category

MARITAL = [
    ("unmarried", _("Unmarried")),
    ("married", _("Married")),
    ("divorced", _("Divorced")),
    ("widowed", _("Widowed")),
]
# The same words as the pre-check and the notices (labels.py: one vocabulary, one name per level).
EDUCATION = list(EDUCATION_LEVELS.items())
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
    ("spouse_child", _("Child of the host's spouse")),
    ("spouse_grandchild", _("Grandchild of the host's spouse")),
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
    return forms.DateField(label=label, required=False, widget=DateInput())


@dataclass(frozen=True)
class FactGroup:
    """A fieldset of the intake: the facts one clause reads."""

    key: str
    legend: str | Promise
    fields: tuple[str, ...]


SHARED_FIELDS = ("town", "address", "community", "marital_status", "origin_outside_huzhou", "origin_address")
# Facts the engine does not read: who and where the household is (S7.1) and where the hukou is
# now (迁移). The pre-check runs without them; the case cannot be opened without those required.
HOUSEHOLD_FIELDS = frozenset(
    {"community", "origin_outside_huzhou", "origin_address", "host_name", "host_id_number", "employer_name"}
)
_HOME = ("home_holder", "home_right", "home_town")
FACT_GROUPS = {
    group.key: group
    for group in (
        FactGroup("home", _("Home (S1.1)"), _HOME),
        FactGroup(
            "lease",
            _("Lease filing (S1.2)"),
            (
                "lease_private_housing",
                "lease_town",
                "lease_filed_on",
                "lease_owner_consents",
                "owns_home_in_target_town",
            ),
        ),
        FactGroup(
            "host",
            _("Host and relation (S2)"),
            (
                "host_name",
                "host_id_number",
                "host_relation",
                "host_area",
                "host_lives_with_host",
                "host_has_urban_stable_residence",
                "host_family_household",
            ),
        ),
        FactGroup(
            "talent",
            _("Education and qualifications (S3.1)"),
            (
                "education_level",
                "education_full_time",
                "qualification_kind",
                "qualification_level",
                "designated_talent",
            ),
        ),
        FactGroup(
            "employment",
            _("Employment (S4.1)"),
            ("employment_labour_contract", "employment_area", "social_insurance_months"),
        ),
        FactGroup("investment", _("Investment (S4.2)"), ("investment_kind", "investment_area")),
        FactGroup(
            "permit",
            _("Residence permit (S5.1)"),
            ("permit_issuer_area", "permit_issued_on", "permit_held_since", "permit_valid"),
        ),
        # S3.1, S4.1, S4.2 and S5.1 settle at the first available address of S7.1: a home that
        # meets S1.1 comes first, then the household options.
        FactGroup(
            "household",
            _("Household to settle in (S7.1)"),
            (
                *_HOME,
                "option_relative_family_household",
                "option_employer_collective_household",
                "employer_name",
                "option_talent_market_collective_household",
            ),
        ),
    )
}
CATEGORY_GROUPS: dict[str, tuple[str, ...]] = {
    Category.OWN_HOME: ("home",),
    Category.RENTAL: ("lease",),
    Category.RELATIVES: ("host",),
    Category.TALENT: ("talent", "household"),
    Category.EMPLOYMENT: ("employment", "household"),
    Category.INVESTMENT: ("investment", "household"),
    Category.PERMIT: ("permit", "household"),
}
# A category whose household may end up the community public collective household (S1.2 without
# the owner's consent; S7.1 (5) for S3.1, S4.1, S4.2 and S5.1) names the community at intake.
COMMUNITY_REQUIRED = _("Enter the community (社区) of the registration address.")
# The facts a category cannot be decided without, with the error the officer reads.
CATEGORY_REQUIRED: dict[str, dict[str, Any]] = {
    Category.OWN_HOME: {
        "home_holder": _("Choose who holds the home."),
        "home_town": _("Choose the town of the home."),
    },
    Category.RENTAL: {
        "lease_town": _("Choose the town of the rented home."),
        "lease_filed_on": _("Enter the date the lease was filed."),
        "community": COMMUNITY_REQUIRED,
    },
    Category.RELATIVES: {
        # The host's household is found by the host's ID number (S2: 在被投靠人户内落户).
        "host_name": _("Enter the host's full name."),
        "host_id_number": _("Enter the host's citizen ID number."),
        "host_relation": _("Choose what the applicant is to the host."),
        "host_area": _("Choose the area of the host's household."),
    },
    Category.TALENT: {"community": COMMUNITY_REQUIRED},
    Category.EMPLOYMENT: {
        "employment_area": _("Choose the area of employment."),
        "social_insurance_months": _("Enter the months of social insurance paid in Huzhou."),
        "community": COMMUNITY_REQUIRED,
    },
    Category.INVESTMENT: {
        "investment_kind": _("Choose the kind of investment."),
        "investment_area": _("Choose the area of the investment."),
        "community": COMMUNITY_REQUIRED,
    },
    Category.PERMIT: {
        "permit_issuer_area": _("Choose the area that issued the permit."),
        "permit_issued_on": _("Enter the date the permit was issued."),
        "community": COMMUNITY_REQUIRED,
    },
}
DEFAULT_CATEGORY = Category.OWN_HOME.value


class CarriedBooleanInput(forms.HiddenInput):
    """A yes/no fact of another category, carried as ``on`` or empty (what a checkbox posts)."""

    def format_value(self, value: Any) -> str:
        if value in (None, False, "", "False", "false", "0"):
            return ""
        return "on"


def _carried_widget(field: forms.Field) -> forms.Widget:
    if isinstance(field, forms.BooleanField):
        return CarriedBooleanInput()
    if isinstance(field, forms.DateField):
        return HiddenDateInput()
    return forms.HiddenInput()


class SettlementFactsForm(forms.Form):
    town = _town_field(_("Town of settlement"), required=True)
    address = forms.CharField(label=_("Registration address"), max_length=200)
    community = forms.CharField(
        label=_("Community (社区) of the registration address"),
        max_length=100,
        required=False,
        help_text=_(
            "The community public collective household (社区公共集体户) of this community takes the "
            "applicant when no home or other household does (S1.2, S7.1)."
        ),
    )
    marital_status = forms.ChoiceField(label=_("Marital status"), choices=MARITAL)
    origin_outside_huzhou = forms.BooleanField(
        label=_("The applicant's hukou is outside Huzhou now"),
        required=False,
        help_text=_(
            "Completing the case then issues a move-in permit (准迁证); the applicant joins the household "
            "once the origin office confirms the move out (迁出). A citizen ID number from outside Huzhou "
            "counts as outside anyway."
        ),
    )
    origin_address = forms.CharField(label=_("Origin hukou address (原户籍地址)"), max_length=200, required=False)

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
    permit_held_since = _date_field(_("Holding time counts from (if re-endorsed after a lapse)"))
    permit_valid = forms.BooleanField(label=_("The permit is valid"), required=False, initial=True)

    host_name = forms.CharField(label=_("Host's full name"), max_length=50, required=False)
    host_id_number = forms.CharField(
        label=_("Host's citizen ID number"),
        max_length=24,
        required=False,
        validators=[id_numbers.validate_id_number],
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "class": "intake-id-number"}),
        help_text=_("The applicant settles in the host's household, found by this number."),
    )
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
    employer_name = forms.CharField(
        label=_("Employer keeping the collective household"), max_length=100, required=False
    )
    option_talent_market_collective_household = forms.BooleanField(
        label=_("The talent market collective household accepts the applicant"), required=False
    )

    def clean_host_id_number(self) -> str:
        return id_numbers.normalise(self.cleaned_data.get("host_id_number") or "")

    def clean_lease_filed_on(self) -> dt.date | None:
        return self._not_in_future("lease_filed_on", _("A lease cannot be filed in the future."))

    def clean_permit_issued_on(self) -> dt.date | None:
        return self._not_in_future("permit_issued_on", _("A permit cannot be issued in the future."))

    def clean_permit_held_since(self) -> dt.date | None:
        return self._not_in_future("permit_held_since", _("The date cannot be in the future."))

    def _not_in_future(self, name: str, message: Any) -> dt.date | None:
        value = self.cleaned_data.get(name)
        if value and value > timezone.localdate():
            raise forms.ValidationError(message)
        return value

    def __init__(self, *args: Any, category: str | None = None, **kwargs: Any) -> None:
        """``category`` None shows and checks every group (callers outside the intake page)."""
        super().__init__(*args, **kwargs)
        self.category = category if category in CATEGORY_GROUPS else None
        self.groups = [FACT_GROUPS[key] for key in CATEGORY_GROUPS[self.category]] if self.category else []
        if self.category:
            shown = {*SHARED_FIELDS, *(name for group in self.groups for name in group.fields)}
            self.carried_fields = {name: self.fields.pop(name) for name in list(self.fields) if name not in shown}
            for name, message in CATEGORY_REQUIRED[self.category].items():
                field = self.fields[name]
                field.required = True
                field.error_messages["required"] = message
        else:
            self.groups = [group for group in FACT_GROUPS.values() if group.key != "household"]
            self.carried_fields = {}

    def carried(self) -> Iterator[forms.BoundField]:
        """The other categories' fields as hidden inputs, with what was typed or pre-filled."""
        for name in self.carried_fields:
            yield self[name]

    def __getitem__(self, name: str) -> forms.BoundField:
        if name not in self.carried_fields:
            return super().__getitem__(name)
        cache = self.__dict__.setdefault("_carried_bound", {})
        if name not in cache:
            hidden = copy.deepcopy(self.carried_fields[name])
            hidden.widget = _carried_widget(hidden)
            hidden.required = False
            cache[name] = hidden.get_bound_field(self, name)
        return cache[name]

    def fieldsets(self) -> Iterator[tuple[FactGroup, list[forms.BoundField]]]:
        for group in self.groups:
            yield group, [self[name] for name in group.fields]

    def raw_values(self) -> dict[str, Any]:
        """What the browser sent for every field, shown or carried (for a re-render)."""
        values = {name: self[name].data for name in self.fields}
        values.update({bound.name: bound.data for bound in self.carried()})
        return values

    @classmethod
    def redisplay(cls, data: Mapping[str, Any], *, category: str, prefix: str = "details") -> "SettlementFactsForm":
        """An unbound form for ``category`` showing what ``data`` holds, without error messages:
        the fragment htmx swaps in when the category changes must not scold unfinished input."""
        sent = cls(data, prefix=prefix, category=category)
        return cls(prefix=prefix, category=category, initial=sent.raw_values())

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
            ("option_employer_collective_household", "employer_name", _("Name the employer.")),
            ("origin_outside_huzhou", "origin_address", _("Enter the origin hukou address.")),
        ]
        for given, needed, message in pairs:
            if needed in self.fields and data.get(given) and not data.get(needed) and needed not in self.errors:
                self.add_error(needed, message)
        issued_on, held_since = data.get("permit_issued_on"), data.get("permit_held_since")
        if issued_on and held_since and held_since < issued_on and "permit_held_since" in self.fields:
            self.add_error("permit_held_since", _("Holding time cannot count from before the permit was issued."))
        if "qualification_level" in self.fields:
            kind, level = data.get("qualification_kind"), data.get("qualification_level")
            if bool(kind) != bool(level):
                self.add_error("qualification_level", _("Choose both the kind and the level of the qualification."))
            elif kind and level and level not in e.QUALIFICATION_LADDERS[kind]:
                self.add_error("qualification_level", _("This level does not exist for this kind of qualification."))
        # The other categories' facts count as not given.
        for name, field in self.carried_fields.items():
            data[name] = field.initial if field.initial is not None else field.to_python(None)
        return data


class FamilyMemberForm(forms.Form):
    """One row of the family table (rendered bare, one cell per field: hence the classes)."""

    # The blank first choices keep an untouched extra row unchanged, so the formset skips it.
    name = forms.CharField(label=_("Full name"), max_length=50, widget=forms.TextInput(attrs={"class": "form-control"}))
    id_number = forms.CharField(
        label=_("Citizen ID number"),
        max_length=24,
        validators=[id_numbers.validate_id_number],
        widget=forms.TextInput(attrs={"class": "form-control intake-id-number", "autocomplete": "off"}),
    )
    relation = forms.ChoiceField(
        label=_("Relation"),
        choices=[("", "—"), *FAMILY_RELATION],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    marital_status = forms.ChoiceField(
        label=_("Marital status"),
        choices=[("", "—"), *MARITAL],
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def clean_id_number(self) -> str:
        return id_numbers.normalise(self.cleaned_data["id_number"])


FamilyFormSet = forms.formset_factory(FamilyMemberForm, extra=2, max_num=8, validate_max=True)


class SettlementIntake:
    """The facts form and the family formset, validated and rendered together."""

    def __init__(
        self,
        data: Any = None,
        prefix: str = "details",
        initial: dict[str, Any] | None = None,
        category: str | None = None,
    ) -> None:
        """The category comes from ``category``, else the posted ``category`` (the intake
        page's select), else ``initial``; an unbound form without one shows the select's first
        category. Bound data without a category checks every group."""
        if category is None:
            category = data.get("category") if data is not None else (initial or {}).get("category")
        if category not in CATEGORY_GROUPS and data is None:
            category = DEFAULT_CATEGORY
        self.category = category if category in CATEGORY_GROUPS else None
        self.facts = SettlementFactsForm(data, prefix=prefix, initial=initial, category=self.category)
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
                "town": home_town.name,
                "urban": home_town.is_urban,
            }
        ]
    if data.get("lease_private_housing"):
        lease_town = data["lease_town"]
        person["lease"] = {
            "private_housing": True,
            "area": _area_code(lease_town),
            "town": lease_town.name,
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
        permit = {
            "issuer_area": data["permit_issuer_area"].code,
            "issued_on": data["permit_issued_on"].isoformat(),
            "valid": data["permit_valid"],
        }
        if data.get("permit_held_since"):
            permit["held_since"] = data["permit_held_since"].isoformat()
        person["permits"] = [permit]
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
        # The towns (乡镇/街道) go with the areas: S1.1 and S1.2 settle a person in the town of the
        # home or of the rented home, not anywhere in its county (ELIGIBILITY.md, "Towns").
        "target": {"area": town.area.code, "town": town.name, "urban": town.is_urban},
        "person": person,
        "family": family,
    }


def data_with_records(data: QueryDict, records: dict[str, Any], *, prefix: str = "details") -> QueryDict:
    """``data`` (a posted intake) with the facts from the applicant's records written over it,
    as the browser would post them: booleans ``on`` or empty, dates ISO, rows by key."""
    fields = SettlementFactsForm.base_fields
    merged = data.copy()
    for name, value in records.items():
        field = fields[name]
        if isinstance(field, forms.BooleanField):
            text = "on" if value else ""
        elif isinstance(value, dt.date):
            text = value.isoformat()
        elif value is None:
            text = ""
        else:
            text = str(field.prepare_value(value))
        merged[f"{prefix}-{name}"] = text
    return merged


class SettlementDocumentForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=[])
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        help_text=_(
            "Used inside the system only: lower-case letters, digits and underscores, e.g. "
            "<code>marriage_certificate</code>. The applicant sees the document's name."
        ),
    )
    label = forms.CharField(label=_("Document"), max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from .models import Category

        super().__init__(*args, **kwargs)
        self.fields["category"].choices = Category.choices  # type: ignore[attr-defined]
