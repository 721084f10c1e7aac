"""Residence permits (居住证, RULES.md R2–R3): applications, conversions and issued permits."""

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _


class Condition(models.TextChoices):
    """The three conditions of R3.1 and R3.2 (the application's category)."""

    STABLE_RESIDENCE = "stable_residence", _("Legal stable residence")
    STABLE_EMPLOYMENT = "stable_employment", _("Legal stable employment")
    CONTINUOUS_SCHOOLING = "continuous_schooling", _("Continuous schooling")


class ResidencePermit(models.Model):
    """An issued 浙江省居住证. Valid while active and endorsed; lapsed when the endorsement is
    overdue; cancelled with the holder's registration; replaced after a loss."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CANCELLED = "cancelled", _("Cancelled")
        REPLACED = "replaced", _("Replaced")

    number = models.CharField(_("permit number"), max_length=24, unique=True)
    holder = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="permits")
    office = models.ForeignKey("accounts.Office", verbose_name=_("issued by"), on_delete=models.PROTECT)
    area_code = models.CharField(_("area"), max_length=6)
    issued_on = models.DateField(_("issued on"))
    endorsed_until = models.DateField(_("endorsed until"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    replaces = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by")
    case = models.ForeignKey("casework.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="permits")
    token = models.TextField(_("electronic permit token"), editable=False)
    key_id = models.CharField(max_length=40, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("residence permit")
        verbose_name_plural = _("residence permits")
        ordering = ["-issued_on", "-id"]
        indexes = [
            models.Index(fields=["issued_on"], name="permit_by_issue_date"),
            models.Index(fields=["endorsed_until"], name="permit_by_endorsement"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["holder"], condition=models.Q(status="active"), name="one_active_permit_per_holder"
            )
        ]

    def __str__(self) -> str:
        return self.number

    def state_on(self, day: dt.date) -> str:
        """valid | lapsed | cancelled | replaced."""
        if self.status != self.Status.ACTIVE:
            return self.status
        return "valid" if day <= self.endorsed_until else "lapsed"


class PermitApplication(models.Model):
    """The facts of a permit application (申领, R3.2) or conversion (互认转换, R3.1)."""

    case = models.OneToOneField("casework.Case", on_delete=models.PROTECT, related_name="permit_application")
    area = models.ForeignKey("people.Area", verbose_name=_("area applied to"), on_delete=models.PROTECT)
    lease_filing = models.ForeignKey(
        "registration.LeaseFiling", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("lease filing")
    )
    owns_home = models.BooleanField(_("owns or has the use of a home in the area"), default=False)
    employer = models.CharField(_("employer or business"), max_length=100, blank=True)
    has_labour_contract = models.BooleanField(_("labour contract or business licence"), default=False)
    school = models.CharField(_("school"), max_length=100, blank=True)
    # Conversion (R3.1) only: the permit issued elsewhere in Zhejiang.
    other_permit_number = models.CharField(_("permit number elsewhere"), max_length=40, blank=True)
    other_permit_region = models.CharField(_("issued in (area code)"), max_length=6, blank=True)
    other_permit_valid_until = models.DateField(_("valid until"), null=True, blank=True)
    basis = models.JSONField(_("checks at the decision"), null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.case_id}"
