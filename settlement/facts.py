"""The facts document of ELIGIBILITY.md, validated by DRF serializers (which also give the
OpenAPI schema). ``parse_facts`` turns a JSON document into ``eligibility.Facts`` or raises
``FactsError`` naming the first offending field as a dotted path."""

import datetime as dt
from typing import Any

from rest_framework import serializers

from hukou_portal.core.input_hygiene import ASCII_DIGITS_6

from . import eligibility as e

DATE_ERRORS = {"invalid": "not a date (YYYY-MM-DD)", "required": "required", "null": "required"}

# Every date of the contract lies in this range; the engine then never computes past year 9999.
EARLIEST_DATE, LATEST_DATE = dt.date(1900, 1, 1), dt.date(2100, 12, 31)


def _in_date_range(value: dt.date) -> None:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise serializers.ValidationError(f"out of range ({EARLIEST_DATE} to {LATEST_DATE})")


class _AsciiDateField(serializers.DateField):
    """``strptime`` reads any script's digits (``２０２６-12-01``); the contract takes ASCII only."""

    def to_internal_value(self, value: Any) -> dt.date:
        if isinstance(value, str) and not value.isascii():
            self.fail("invalid", format="YYYY-MM-DD")
        return super().to_internal_value(value)


def _date(**kwargs: Any) -> serializers.DateField:
    return _AsciiDateField(
        input_formats=["%Y-%m-%d"], error_messages=DATE_ERRORS, validators=[_in_date_range], **kwargs
    )


def _area_code() -> serializers.RegexField:
    """Six ASCII digits: a machine sends these, so full-width or other scripts' digits are refused
    (not normalised) — ``core.input_hygiene``."""
    return serializers.RegexField(ASCII_DIGITS_6, error_messages={"invalid": "not an area code (6 ASCII digits 0-9)"})


def _choice(choices: tuple[str, ...], **kwargs: Any) -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=list(choices), error_messages={"invalid_choice": f"must be one of {', '.join(choices)}"}, **kwargs
    )


def _area(**kwargs: Any) -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=list(e.HUZHOU_AREAS),
        error_messages={"invalid_choice": f"not a Huzhou county-level area ({', '.join(e.HUZHOU_AREAS)})"},
        **kwargs,
    )


def _town(**kwargs: Any) -> serializers.CharField:
    """A sub-district/town name of huzhou-towns.csv (月河街道); optional, "" meaning not given.
    Compared as text with the other towns of the document (ELIGIBILITY.md, "Towns")."""
    return serializers.CharField(
        allow_blank=True,
        max_length=50,
        default="",
        error_messages={
            "max_length": "not a town name (at most 50 characters)",
            "invalid": "not a town name",
            "null": "not a town name",
        },
        **kwargs,
    )


class TargetSerializer(serializers.Serializer):
    area = _area()
    town = _town()
    urban = serializers.BooleanField()


class EducationSerializer(serializers.Serializer):
    level = _choice(e.EDUCATION_LEVELS, default="none")
    full_time = serializers.BooleanField(default=False)


class QualificationSerializer(serializers.Serializer):
    kind = _choice(tuple(e.QUALIFICATION_LADDERS))
    level = serializers.CharField()

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        ladder = e.QUALIFICATION_LADDERS[data["kind"]]
        if data["level"] not in ladder:
            raise serializers.ValidationError({"level": f"must be one of {', '.join(ladder)}"})
        return data


class HomeSerializer(serializers.Serializer):
    holder = _choice(e.HOME_HOLDERS)
    right = _choice(e.HOME_RIGHTS)
    area = _area_code()
    town = _town()
    urban = serializers.BooleanField()


class LeaseSerializer(serializers.Serializer):
    private_housing = serializers.BooleanField(default=False)
    area = _area_code()
    urban = serializers.BooleanField(default=False)
    filed_on = _date()
    owner_consents = serializers.BooleanField(default=False)
    town = _town()


class EmploymentSerializer(serializers.Serializer):
    labour_contract = serializers.BooleanField(default=False)
    area = _area_code()
    social_insurance_months = serializers.IntegerField(
        min_value=0,
        max_value=1200,
        default=0,
        error_messages={
            "min_value": "cannot be below 0",
            "max_value": "cannot be above 1200",
            "invalid": "not a whole number",
        },
    )


class InvestmentSerializer(serializers.Serializer):
    kind = _choice(e.INVESTMENT_KINDS)
    area = _area_code()


class PermitSerializer(serializers.Serializer):
    issuer_area = _area_code()
    issued_on = _date()
    valid = serializers.BooleanField(default=True)
    held_since = _date(required=False)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        held_since = data.get("held_since")
        if held_since is not None and held_since < data["issued_on"]:
            raise serializers.ValidationError({"held_since": ["before issued_on"]})
        return data


class HostSerializer(serializers.Serializer):
    relation = _choice(e.HOST_RELATIONS)
    lives_with_host = serializers.BooleanField(default=False)
    area = _area_code()
    host_has_urban_stable_residence = serializers.BooleanField(default=False)
    household = _choice(("family", "collective"), default="family")


class OptionsSerializer(serializers.Serializer):
    relative_family_household = serializers.BooleanField(default=False)
    employer_collective_household = serializers.BooleanField(default=False)
    talent_market_collective_household = serializers.BooleanField(default=False)


class PersonSerializer(serializers.Serializer):
    birth_date = _date()
    marital_status = _choice(e.MARITAL_STATUSES)
    education = EducationSerializer(required=False)
    qualifications = QualificationSerializer(many=True, required=False)
    designated_talent = serializers.BooleanField(default=False)
    homes = HomeSerializer(many=True, required=False)
    owns_home_in_target_town = serializers.BooleanField(default=False)
    lease = LeaseSerializer(required=False, allow_null=True)
    employment = EmploymentSerializer(required=False, allow_null=True)
    investment = InvestmentSerializer(many=True, required=False)
    permits = PermitSerializer(many=True, required=False)
    host = HostSerializer(required=False, allow_null=True)
    options = OptionsSerializer(required=False)


class FamilyMemberSerializer(serializers.Serializer):
    ref = serializers.CharField(max_length=40)
    relation = _choice(e.FAMILY_RELATIONS)
    birth_date = _date()
    marital_status = _choice(e.MARITAL_STATUSES)


class FactsSerializer(serializers.Serializer):
    """The facts document of ELIGIBILITY.md."""

    as_of = _date()
    target = TargetSerializer()
    person = PersonSerializer()
    family = FamilyMemberSerializer(many=True, required=False)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        """Facts that contradict themselves: dates after ``as_of``."""
        as_of: dt.date = data["as_of"]
        person = data["person"]
        errors: dict[str, Any] = {}
        if person["birth_date"] > as_of:
            errors["person"] = {"birth_date": ["after as_of"]}
        lease = person.get("lease")
        if lease and lease["filed_on"] > as_of:
            errors.setdefault("person", {})["lease"] = {"filed_on": ["after as_of (a lease filed in the future)"]}
        for index, permit in enumerate(person.get("permits") or []):
            if permit["issued_on"] > as_of:
                errors.setdefault("person", {})["permits"] = {str(index): {"issued_on": ["after as_of"]}}
            elif permit.get("held_since") and permit["held_since"] > as_of:
                errors.setdefault("person", {})["permits"] = {str(index): {"held_since": ["after as_of"]}}
        for index, member in enumerate(data.get("family") or []):
            if member["birth_date"] > as_of:
                errors["family"] = {str(index): {"birth_date": ["after as_of"]}}
        if errors:
            raise serializers.ValidationError(errors)
        return data


class FactsError(Exception):
    def __init__(self, field: str, message: str, errors: dict[str, Any]) -> None:
        super().__init__(f"{field}: {message}")
        self.field, self.message, self.errors = field, message, errors


def _first_error(errors: Any, path: str = "") -> tuple[str, str]:
    if isinstance(errors, dict):
        key = next(iter(errors))
        sub = f"{path}.{key}" if path and key != "non_field_errors" else (path or str(key))
        return _first_error(errors[key], sub)
    if isinstance(errors, list):
        for index, item in enumerate(errors):
            if item:
                if isinstance(item, dict | list):
                    return _first_error(item, f"{path}.{index}" if isinstance(item, dict) else path)
                return path, str(item)
    return path, str(errors)


def parse_facts(document: Any) -> e.Facts:
    """Validate a facts document (already decoded from JSON) and build the engine's Facts."""
    if not isinstance(document, dict):
        raise FactsError("(document)", "not a JSON object", {"non_field_errors": ["not a JSON object"]})
    serializer = FactsSerializer(data=document)
    if not serializer.is_valid():
        field, message = _first_error(serializer.errors)
        raise FactsError(field, message, serializer.errors)
    return facts_from_validated(serializer.validated_data)


def facts_from_validated(data: dict[str, Any]) -> e.Facts:
    person = data["person"]
    education = person.get("education") or {}
    options = person.get("options") or {}
    lease, job, host = person.get("lease"), person.get("employment"), person.get("host")
    return e.Facts(
        as_of=data["as_of"],
        target_area=data["target"]["area"],
        target_urban=data["target"]["urban"],
        target_town=data["target"].get("town", ""),
        birth_date=person["birth_date"],
        marital_status=person["marital_status"],
        education_level=education.get("level", "none"),
        education_full_time=education.get("full_time", False),
        qualifications=tuple(e.Qualification(**q) for q in person.get("qualifications") or []),
        designated_talent=person.get("designated_talent", False),
        homes=tuple(e.Home(**home) for home in person.get("homes") or []),
        owns_home_in_target_town=person.get("owns_home_in_target_town", False),
        lease=e.Lease(**lease) if lease else None,
        employment=e.Employment(**job) if job else None,
        investments=tuple((item["kind"], item["area"]) for item in person.get("investment") or []),
        permits=tuple(e.Permit(**permit) for permit in person.get("permits") or []),
        host=e.Host(**host) if host else None,
        relative_family_household=options.get("relative_family_household", False),
        employer_collective_household=options.get("employer_collective_household", False),
        talent_market_collective_household=options.get("talent_market_collective_household", False),
        family=tuple(e.FamilyMember(**member) for member in data.get("family") or []),
    )
