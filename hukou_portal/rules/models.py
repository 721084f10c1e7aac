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
