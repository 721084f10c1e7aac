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
    overdue; cancelled with the holder's registration; replaced after a loss; converted when a
    mutual-recognition conversion (R3.1) issues the holder a permit of another county-level area.

    ``office`` is who issued it (the office that completed the case) and ``area_code`` that
    office's county-level area — the public security organ S5.1 asks about
    (「拟落户地公安机关签发」), not the area written on the application.

    ``held_since`` is the day from which holding time counts continuously (S5.1, N1): the issue
    day, or the day a lapsed permit was re-endorsed (居住证暂行条例 第十三条: 逾期未签注的…补办签注
    手续的，居住年限自补办签注手续之日起连续计算). The endorse, replace and issue services keep it."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        CANCELLED = "cancelled", _("Cancelled")
        REPLACED = "replaced", _("Replaced")
        CONVERTED = "converted", _("Converted to a permit of another area")

    number = models.CharField(_("permit number"), max_length=24, unique=True)
    holder = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="permits")
    office = models.ForeignKey("accounts.Office", verbose_name=_("issued by"), on_delete=models.PROTECT)
    area_code = models.CharField(_("issuing area"), max_length=6)
    issued_on = models.DateField(_("issued on"))
    held_since = models.DateField(_("holding time counts from"))
    endorsed_until = models.DateField(_("endorsed until"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # The day the permit stopped being active (cancelled, replaced or converted), set by the
    # service that ended it; None while active. The statistics read the permits in force on a
    # past day from it (``stats.rollups``). Filled for older permits from the audit trail.
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
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
            # N1: the permits whose holding time reaches the months in a window (a range on it).
            models.Index(fields=["held_since"], name="permit_by_holding_start"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["holder"], condition=models.Q(status="active"), name="one_active_permit_per_holder"
            ),
            models.CheckConstraint(
                name="permit_held_since_issue", condition=models.Q(held_since__gte=models.F("issued_on"))
            ),
            models.CheckConstraint(
                name="permit_active_has_no_end", condition=~models.Q(status="active") | models.Q(ended_on__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def state_on(self, day: dt.date) -> str:
        """valid | lapsed | cancelled | replaced | converted."""
        if self.status != self.Status.ACTIVE:
            return self.status
        return "valid" if day <= self.endorsed_until else "lapsed"


class PermitEndorsement(models.Model):
    """One endorsement (签注) of a permit: the day it was made, the endorsed-until day before and
    after it, the office and the officer. Written by ``services.permit_endorse`` with its audit
    event (and filled for older endorsements from those events by migration 0005); never edited.

    An endorsement made after ``previous_until`` restored a lapsed permit (its holding time
    restarts that day); one made on or before it was on time. The history lets the statistics
    say, for any past day, whether a permit was valid then and on which day it lapsed."""

    permit = models.ForeignKey(ResidencePermit, on_delete=models.PROTECT, related_name="endorsements")
    endorsed_on = models.DateField(_("endorsed on"))
    previous_until = models.DateField(_("endorsed until, before"))
    until = models.DateField(_("endorsed until"))
    office = models.ForeignKey(
        "accounts.Office", verbose_name=_("endorsed by office"), on_delete=models.PROTECT, related_name="+"
    )
    endorsed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("endorsed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("residence permit endorsement")
        verbose_name_plural = _("residence permit endorsements")
        ordering = ["endorsed_on", "id"]
        constraints = [
            models.CheckConstraint(
                name="endorsement_extends_the_period", condition=models.Q(until__gt=models.F("previous_until"))
            ),
        ]
        indexes = [
            # The statistics' day (stats/rollups.py): the endorsements made on one day, and the
            # late ones whose period had ended on a given day.
            models.Index(fields=["endorsed_on"], name="endorsement_by_day"),
            models.Index(fields=["previous_until"], name="endorsement_by_previous_end"),
        ]

    def __str__(self) -> str:
        return f"{self.permit_id} {self.endorsed_on}: {self.previous_until} → {self.until}"


class EmploymentEvidence(models.TextChoices):
    """What shows legal stable employment (R3.*): a labour contract with an employer, or the
    business licence of the applicant's own business."""

    LABOUR_CONTRACT = "labour_contract", _("Labour contract")
    BUSINESS_LICENCE = "business_licence", _("Business licence")


class PermitApplication(models.Model):
    """The facts of a permit application (申领, R3.2) or conversion (互认转换, R3.1).

    Each condition is evidence *in the area applied to* (R3.1, R3.2): a filed lease in force or a
    home there; a labour contract or business licence with an employer there; an enrolment at a
    school there. The checks (``permits.conditions``) compare each piece's area with ``area``."""

    case = models.OneToOneField("casework.Case", on_delete=models.PROTECT, related_name="permit_application")
    area = models.ForeignKey("people.Area", verbose_name=_("area applied to"), on_delete=models.PROTECT)
    lease_filing = models.ForeignKey(
        "registration.LeaseFiling", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("lease filing")
    )
    home_certificate = models.CharField(_("real estate certificate number"), max_length=40, blank=True)
    home_town = models.ForeignKey(
        "people.Town",
        verbose_name=_("town of the home"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    employment_evidence = models.CharField(
        _("proof of employment"), max_length=20, choices=EmploymentEvidence.choices, blank=True
    )
    employer = models.CharField(_("employer or business"), max_length=100, blank=True)
    employer_area = models.ForeignKey(
        "people.Area",
        verbose_name=_("area of the employer or business"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    school = models.CharField(_("school"), max_length=100, blank=True)
    school_area = models.ForeignKey(
        "people.Area",
        verbose_name=_("area of the school"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Conversion (R3.1) only: the permit issued in another county-level area of a recognised region.
    other_permit_number = models.CharField(_("permit number elsewhere"), max_length=40, blank=True)
    other_permit_region = models.CharField(_("issued in (area code)"), max_length=6, blank=True)
    other_permit_valid_until = models.DateField(_("valid until"), null=True, blank=True)
    # ... and when that permit was issued in Huzhou by this portal, the permit itself: it ends
    # when the conversion issues the new one.
    converts = models.ForeignKey(
        ResidencePermit,
        verbose_name=_("permit converted"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    basis = models.JSONField(_("checks at the decision"), null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.case_id}"
