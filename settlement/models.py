"""Settlement (落户) applications, their accompanying family, the document list kept in data,
and the hukou entries a completed case writes."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hukou_portal.people.models import SealedIdNumber

from .eligibility import FAMILY_RELATIONS, MARITAL_STATUSES


class Category(models.TextChoices):
    """Section 02's five routes, split where their documents differ (S1 and S4 in two)."""

    OWN_HOME = "own_home", _("S1.1 Legal stable residence")
    RENTAL = "rental", _("S1.2 Rental home")
    RELATIVES = "relatives", _("S2 Joining relatives")
    TALENT = "talent", _("S3.1 Talent")
    EMPLOYMENT = "employment", _("S4.1 Employment")
    INVESTMENT = "investment", _("S4.2 Investment")
    PERMIT = "permit", _("S5.1 Residence permit holders")


# The clause each category applies for (the other routes are still checked and shown).
CATEGORY_CLAUSES: dict[str, tuple[str, ...]] = {
    Category.OWN_HOME: ("S1.1",),
    Category.RENTAL: ("S1.2",),
    Category.RELATIVES: ("S2.1", "S2.2"),
    Category.TALENT: ("S3.1",),
    Category.EMPLOYMENT: ("S4.1",),
    Category.INVESTMENT: ("S4.2",),
    Category.PERMIT: ("S5.1",),
}


class SettlementDocument(models.Model):
    """A document a category requires. Administrators keep this list (落户材料清单)."""

    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    code = models.SlugField(_("code"), max_length=40)
    label = models.CharField(_("document"), max_length=100)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("settlement document")
        verbose_name_plural = _("settlement documents")
        ordering = ["category", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["category", "code"], name="settlement_document_unique")]

    def __str__(self) -> str:
        return self.label


class SettlementApplication(models.Model):
    """The facts of a settlement case, entered at intake as the ELIGIBILITY.md facts document,
    and the engine's decision with the parameters it used.

    ``facts`` stays as taken at intake. The records the intake facts came from — the lease
    filing, the residence permit, the residence registration active that day — are linked, so
    that the decision reads them again (a permit cancelled or re-endorsed, a lease whose term
    ended, a town's urban flag corrected since intake): ``decision_facts`` is what the decision
    used and ``facts_changes`` what differed from intake (``selectors.application_facts_now``)."""

    case = models.OneToOneField("casework.Case", on_delete=models.PROTECT, related_name="settlement")
    town = models.ForeignKey("people.Town", verbose_name=_("town of settlement"), on_delete=models.PROTECT)
    address = models.CharField(_("registration address"), max_length=200)
    facts = models.JSONField(_("facts"))
    decision = models.JSONField(_("engine decision"), null=True, blank=True)
    justification = models.TextField(_("justification for approving against the pre-check"), blank=True)
    lease_filing = models.ForeignKey(
        "registration.LeaseFiling",
        verbose_name=_("lease filing"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    permit = models.ForeignKey(
        "permits.ResidencePermit",
        verbose_name=_("residence permit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    registration = models.ForeignKey(
        "registration.ResidenceRegistration",
        verbose_name=_("residence registration at intake"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_facts = models.JSONField(_("facts at the decision"), null=True, blank=True)
    facts_changes = models.JSONField(_("facts changed since intake"), default=list, blank=True)
    # Where the household is (S7.1), beyond the facts the engine reads: the community (社区) of
    # the registration address, for a community public collective household; the employer, for
    # an employer collective household.
    community = models.CharField(_("community (社区) of the registration address"), max_length=100, blank=True)
    employer_name = models.CharField(_("employer"), max_length=100, blank=True)
    # Where the hukou is now (迁移): outside Huzhou, completing the case issues a 准迁证.
    origin_address = models.CharField(_("origin hukou address"), max_length=200, blank=True)
    origin_outside_huzhou = models.BooleanField(_("the hukou is outside Huzhou"), default=False)

    class Meta:
        verbose_name = _("settlement application")
        verbose_name_plural = _("settlement applications")

    def __str__(self) -> str:
        return f"{self.case.reference}"


class AccompanyingMember(SealedIdNumber):
    """A family member who would move with the applicant (随迁, S6.1). Their ID number is sealed
    like a person's (``SealedIdNumber``); completing the case finds or records the person by it."""

    ID_NUMBER_PURPOSE = "settlement.accompanyingmember.id_number"

    application = models.ForeignKey(SettlementApplication, on_delete=models.PROTECT, related_name="members")
    ref = models.CharField(max_length=10)
    name = models.CharField(_("name"), max_length=50)
    relation = models.CharField(_("relation"), max_length=20, choices=[(r, r) for r in FAMILY_RELATIONS])
    marital_status = models.CharField(_("marital status"), max_length=20, choices=[(m, m) for m in MARITAL_STATUSES])

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "ref"], name="member_ref_unique"),
            models.CheckConstraint(condition=~Q(id_number_index=""), name="member_id_number_present"),
        ]

    def __str__(self) -> str:
        return self.name


class ApplicationHost(SealedIdNumber):
    """The host (被投靠人) an applicant joins under S2: their name and ID number (sealed like a
    person's), so that completing the case finds the host's household in the register — or
    records the host and their household at the registration address."""

    ID_NUMBER_PURPOSE = "settlement.applicationhost.id_number"

    application = models.OneToOneField(SettlementApplication, on_delete=models.PROTECT, related_name="host")
    name = models.CharField(_("host's name"), max_length=50)

    class Meta:
        verbose_name = _("host (被投靠人)")
        verbose_name_plural = _("hosts (被投靠人)")
        constraints = [models.CheckConstraint(condition=~Q(id_number_index=""), name="host_id_number_present")]

    def __str__(self) -> str:
        return self.name


class HukouEntry(models.Model):
    """A permanent hukou registration written by a completed settlement case.

    One per person (一人一户口): a person with a hukou in Huzhou cannot open a settlement case,
    and the database refuses a second entry whatever the services do. Writing the entry ends
    the person's floating-population records in Huzhou on that day — the active residence
    registration and residence permit, kept here so the case and the person's file show them."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="hukou_entries")
    household_type = models.CharField(_("household"), max_length=40)
    town = models.ForeignKey("people.Town", on_delete=models.PROTECT)
    address = models.CharField(_("address"), max_length=200)
    clause = models.CharField(_("clause"), max_length=10)
    registered_on = models.DateField(_("registered on"))
    case = models.ForeignKey("casework.Case", on_delete=models.PROTECT, related_name="hukou_entries")
    # The household the entry puts the person in (null: entries written before households
    # existed). A person from outside Huzhou joins it once the origin confirms the 迁出.
    household = models.ForeignKey(
        "people.Household",
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hukou_entries",
    )
    ended_registration = models.ForeignKey(
        "registration.ResidenceRegistration",
        verbose_name=_("residence registration ended"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cancelled_permit = models.ForeignKey(
        "permits.ResidencePermit",
        verbose_name=_("residence permit cancelled"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("hukou entry")
        verbose_name_plural = _("hukou entries")
        constraints = [models.UniqueConstraint(fields=["person"], name="one_hukou_entry_per_person")]

    def __str__(self) -> str:
        return f"{self.person} {self.town}"
