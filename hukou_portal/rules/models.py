"""The working-day calendar: public holidays and make-up working days (调休), per year.

A year is known when it has a ``CalendarYear`` row: seeded from the chinese-calendar package
for the years it covers, entered by administrators for later years (the State Council publishes
each year's arrangement late in the year before). Deadlines never guess an unknown year.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    class Source(models.TextChoices):
        PACKAGE = "package", _("chinese-calendar package")
        ADMINISTRATOR = "administrator", _("Entered by an administrator")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """A date that differs from the plain rule "Monday to Friday are working days"."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Public holiday")
        MAKEUP_WORKDAY = "makeup_workday", _("Make-up working day")  # 调休上班日

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}"


class RuleParameterValue(models.Model):
    """One value of a rule parameter, in force from ``effective_from`` until the next one.

    Rows are never changed: a new value is a new row; a scheduled value that has not taken
    effect yet can be withdrawn. Decisions store the values they used."""

    key = models.CharField(_("parameter"), max_length=60)
    value = models.JSONField(_("value"))
    effective_from = models.DateField(_("in force from"))
    reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("set by")
    )
    created_at = models.DateTimeField(_("set at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rule parameter value")
        verbose_name_plural = _("rule parameter values")
        ordering = ["key", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["key", "effective_from"], name="parameter_one_value_per_day"),
        ]
        indexes = [models.Index(fields=["key", "effective_from"], name="parameter_in_force")]

    def __str__(self) -> str:
        return f"{self.key} = {self.value} ({self.effective_from:%Y-%m-%d})"
