"""Every [param] of RULES.md: its type, range, default and the clause it belongs to.

Values live in ``RuleParameterValue`` rows with an effective date; the value in force on a day
is the latest row effective on or before it. The defaults below are in force from the first
``migrate`` (rows effective from ``DEFAULTS_EFFECTIVE_FROM``).

``case_deadline_days`` is one parameter per case kind (``case_deadline_days.<kind code>``): each
kind registers its own when it is registered (``casework.kinds.register``), with the working days
the kind declares as the default, so a kind added later gets its parameter without an edit here.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

DEFAULTS_EFFECTIVE_FROM = dt.date(2000, 1, 1)

EDUCATION_CHOICES = ("primary", "junior_secondary", "senior_secondary", "secondary_vocational", "associate", "bachelor")
REGION_CHOICES = ("330000", "310000", "320000", "340000")  # Zhejiang, Shanghai, Jiangsu, Anhui (R3.3)


@dataclass(frozen=True)
class ParameterSpec:
    key: str
    label: str | Promise
    clause: str
    kind: str  # int | bool | choice | regions
    default: Any
    minimum: int | None = None
    maximum: int | None = None
    choices: tuple[str, ...] = ()
    # How a value reads on a page: a kind of the portal's vocabulary (months, days, a code set…).
    words: str = "text"
    # Where the default comes from, when not from the reform notice itself.
    default_source: str | Promise | None = None

    def clean(self, value: Any) -> Any:
        """The value in its type, or ValueError with the reason (shown to the administrator)."""
        if self.kind == "int":
            if isinstance(value, bool) or not isinstance(value, int | str):
                raise ValueError(_("Enter a whole number."))
            try:
                number = int(value)
            except ValueError:
                raise ValueError(_("Enter a whole number.")) from None
            if (self.minimum is not None and number < self.minimum) or (
                self.maximum is not None and number > self.maximum
            ):
                raise ValueError(
                    _("The value must be between %(min)d and %(max)d.") % {"min": self.minimum, "max": self.maximum}
                )
            return number
        if self.kind == "bool":
            if isinstance(value, bool):
                return value
            if str(value).lower() in {"true", "1", "on", "yes"}:
                return True
            if str(value).lower() in {"false", "0", "off", "no", ""}:
                return False
            raise ValueError(_("Enter yes or no."))
        if self.kind == "choice":
            if value not in self.choices:
                raise ValueError(_("Choose one of: %(choices)s.") % {"choices": ", ".join(self.choices)})
            return value
        if self.kind == "regions":
            regions = (
                value if isinstance(value, list) else [part.strip() for part in str(value).split(",") if part.strip()]
            )
            if not regions or any(region not in self.choices for region in regions):
                raise ValueError(_("Choose one or more of: %(choices)s.") % {"choices": ", ".join(self.choices)})
            if "330000" not in regions:
                raise ValueError(_("Zhejiang (330000) is always recognised."))
            return sorted(set(regions))
        raise ValueError(f"unknown parameter kind {self.kind}")


SPECS: dict[str, ParameterSpec] = {
    spec.key: spec
    for spec in [
        ParameterSpec(
            "permit_registration_min_months",
            _("Registration months for a residence permit"),
            "R3.2",
            "int",
            6,
            1,
            60,
            words="months",
        ),
        ParameterSpec(
            "registration_gap_tolerance_days",
            _("Gap allowed between registrations"),
            "R3.2",
            "int",
            0,
            0,
            90,
            words="days",
        ),
        ParameterSpec(
            "recognised_regions",
            _("Regions whose registrations and permits are recognised"),
            "R3.3",
            "regions",
            ["330000"],
            choices=REGION_CHOICES,
            words="full_area",
        ),
        ParameterSpec(
            "lease_filing_min_months", _("Months a lease must be filed"), "S1.2", "int", 6, 0, 60, words="months"
        ),
        ParameterSpec(
            "talent_min_education",
            _("Lowest education for talent settlement"),
            "S3.1",
            "choice",
            "secondary_vocational",
            choices=EDUCATION_CHOICES,
            words="education_level",
        ),
        ParameterSpec(
            "talent_full_time_required", _("Education must be full time"), "S3.1", "bool", True, words="bool"
        ),
        ParameterSpec(
            "talent_min_qualification",
            _("Lowest skill level or professional title"),
            "S3.1",
            "choice",
            "junior",
            choices=("junior", "intermediate"),
            words="qualification_minimum",
        ),
        ParameterSpec(
            "social_insurance_min_months",
            _("Months of social insurance paid"),
            "S4.1",
            "int",
            1,
            0,
            120,
            words="months",
        ),
        ParameterSpec(
            "permit_holding_min_months",
            _("Months a residence permit must be held"),
            "S5.1",
            "int",
            6,
            0,
            60,
            words="months",
        ),
        ParameterSpec("minor_age_years", _("Age of majority"), "S6.1", "int", 18, 14, 22, words="age"),
        ParameterSpec(
            "endorsement_notice_days",
            _("Notice before an endorsement falls due"),
            "N3",
            "int",
            30,
            1,
            180,
            words="days",
        ),
        ParameterSpec(
            "endorsement_interval_months", _("Time between endorsements"), "N3", "int", 12, 1, 36, words="months"
        ),
    ]
}


# RULES.md N4: "a case passes its processing deadline ([param] `case_deadline_days` per case type)".
CASE_DEADLINE_PREFIX = "case_deadline_days."
# A statutory processing time in working days: at least one, at most three months of them.
CASE_DEADLINE_MIN, CASE_DEADLINE_MAX = 1, 60


def case_deadline_key(kind_code: str) -> str:
    """The parameter holding the processing deadline of the case kind ``kind_code``."""
    return f"{CASE_DEADLINE_PREFIX}{kind_code}"


def register_case_deadline(*, kind_code: str, kind_label: str | Promise, default: int) -> None:
    """Give a case kind its ``case_deadline_days`` parameter (versioned like every other one);
    ``default`` is in force until an administrator schedules another value."""
    key = case_deadline_key(kind_code)
    SPECS[key] = ParameterSpec(
        key,
        format_lazy(_("Processing deadline: {kind}"), kind=kind_label),
        "N4",
        "int",
        default,
        CASE_DEADLINE_MIN,
        CASE_DEADLINE_MAX,
        words="working_days",
        default_source=_("Default: the processing time the case kind declares"),
    )


def unregister_case_deadline(kind_code: str) -> None:
    """For tests that register a kind of their own."""
    SPECS.pop(case_deadline_key(kind_code), None)
