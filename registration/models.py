"""Residence registration (居住登记, RULES.md R1): the declaration case's facts and the
registration it creates on completion. Change and cancel come with issue 5."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ResidenceDeclaration(models.Model):
    """The facts of a declaration (申报) case, taken at intake."""

    case = models.OneToOneField("casework.Case", on_delete=models.PROTECT, related_name="residence_declaration")
    town = models.ForeignKey("people.Town", verbose_name=_("town or sub-district"), on_delete=models.PROTECT)
    address = models.CharField(_("address"), max_length=200)
    lived_since = models.DateField(_("living there since"))

    class Meta:
        verbose_name = _("residence declaration")
        verbose_name_plural = _("residence declarations")

    def __str__(self) -> str:
        return f"{self.town}{self.address}"


class ResidenceRegistration(models.Model):
    """A person's residence registration in a Huzhou area; evidence of residence time (R1.4)."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="residence_registrations")
    town = models.ForeignKey("people.Town", verbose_name=_("town or sub-district"), on_delete=models.PROTECT)
    address = models.CharField(_("address"), max_length=200)
    started_on = models.DateField(_("registered from"))
    ended_on = models.DateField(_("registered until"), null=True, blank=True)
    case = models.OneToOneField("casework.Case", on_delete=models.PROTECT, related_name="residence_registration")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("residence registration")
        verbose_name_plural = _("residence registrations")
        ordering = ["-started_on"]
        indexes = [models.Index(fields=["person", "started_on"], name="registration_by_person")]

    def __str__(self) -> str:
        return f"{self.town}{self.address}"
