"""Residence registration (居住登记, RULES.md R1): the declaration case's facts and the
registration it creates on completion. Change and cancel come with issue 5."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ResidenceDeclaration(models.Model):
    """The facts of a declaration (申报) case, taken at intake. ``lived_since`` is what the
    applicant states; it is kept as a fact and never counts as registration time (R1.4): the
    registration starts on the day the declaration is accepted."""

    case = models.OneToOneField("casework.Case", on_delete=models.PROTECT, related_name="residence_declaration")
    town = models.ForeignKey("people.Town", verbose_name=_("town or sub-district"), on_delete=models.PROTECT)
    address = models.CharField(_("address"), max_length=200)
    lived_since = models.DateField(_("living there since (as stated)"))

    class Meta:
        verbose_name = _("residence declaration")
        verbose_name_plural = _("residence declarations")

    def __str__(self) -> str:
        return f"{self.town}{self.address}"


class ResidenceRegistration(models.Model):
    """A period of residence registration (居住登记): evidence of residence time (R1.4, R3.2).

    Local registrations are made by this portal's cases (declare, change, cancel); one is active
    per person at a time. Registrations made elsewhere in Zhejiang or a recognised region (R3.3)
    are recorded as evidence with their region and dates."""

    class Source(models.TextChoices):
        LOCAL = "local", _("Registered in Huzhou")
        ELSEWHERE = "elsewhere", _("Registered elsewhere (evidence)")

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="residence_registrations")
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.LOCAL)
    region_code = models.CharField(_("region code"), max_length=6)
    town = models.ForeignKey(
        "people.Town", verbose_name=_("town or sub-district"), null=True, blank=True, on_delete=models.PROTECT
    )
    address = models.CharField(_("address"), max_length=200)
    started_on = models.DateField(_("registered from"))
    ended_on = models.DateField(_("registered until"), null=True, blank=True)
    case = models.OneToOneField(
        "casework.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="residence_registration"
    )
    recorded_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("residence registration")
        verbose_name_plural = _("residence registrations")
        ordering = ["-started_on"]
        indexes = [
            models.Index(fields=["person", "started_on"], name="registration_by_person"),
            # The registrations list, newest first.
            models.Index(fields=["started_on", "id"], name="registration_list_by_start"),
            # The statistics' day (stats/rollups.py): the registrations that ended on one day.
            models.Index(fields=["ended_on"], name="registration_by_end", condition=models.Q(ended_on__isnull=False)),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(ended_on__isnull=True, source="local"),
                name="one_active_local_registration",
            ),
            models.CheckConstraint(
                name="registration_ends_after_it_starts",
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=models.F("started_on")),
            ),
        ]

    def __str__(self) -> str:
        from hukou_portal.core.areas import short_area_name

        if self.town:
            return f"{self.town}{self.address}"
        # Registered elsewhere: the address as written there, or else the area's name.
        return self.address or short_area_name(self.region_code) or self.region_code

    @property
    def is_active(self) -> bool:
        return self.ended_on is None


class RegistrationChange(models.Model):
    """The facts of a change (变更) or cancellation (注销) case, taken at intake."""

    case = models.OneToOneField("casework.Case", on_delete=models.PROTECT, related_name="registration_change")
    registration = models.ForeignKey(ResidenceRegistration, on_delete=models.PROTECT, related_name="+")
    town = models.ForeignKey("people.Town", null=True, blank=True, on_delete=models.PROTECT)
    address = models.CharField(_("new address"), max_length=200, blank=True)
    effective_on = models.DateField(_("effective on"))

    def __str__(self) -> str:
        return f"{self.case_id}"


class LeaseFiling(models.Model):
    """A lease filed with the construction department (房屋租赁登记备案), recorded from its
    certificate. The day it reaches ``lease_filing_min_months`` is derived, never stored."""

    class Housing(models.TextChoices):
        PRIVATE = "private", _("Private housing")
        PUBLIC = "public", _("Public housing")

    filing_number = models.CharField(_("filing number"), max_length=40, unique=True)
    filed_on = models.DateField(_("filed on"))
    town = models.ForeignKey("people.Town", verbose_name=_("town or sub-district"), on_delete=models.PROTECT)
    address = models.CharField(_("address"), max_length=200)
    is_urban = models.BooleanField(_("urban area"))
    housing = models.CharField(_("housing"), max_length=10, choices=Housing.choices)
    landlord = models.CharField(_("landlord"), max_length=100)
    tenant = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="lease_filings")
    term_start = models.DateField(_("term from"))
    term_end = models.DateField(_("term until"))
    office = models.ForeignKey("accounts.Office", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lease filing")
        verbose_name_plural = _("lease filings")
        ordering = ["-filed_on"]
        indexes = [models.Index(fields=["filed_on"], name="lease_filing_by_date")]
        constraints = [
            models.CheckConstraint(
                name="lease_term_ends_after_start", condition=models.Q(term_end__gt=models.F("term_start"))
            )
        ]

    def __str__(self) -> str:
        return self.filing_number
