"""Daily rollups (E1): one row per Asia/Shanghai calendar day, office and dimension.

Written only by ``rollups.rollup_day`` (delete-then-insert of one day inside one transaction,
so a rerun never doubles); read by ``selectors.figures``. Every count is additive across days
and offices; the time to decision is kept as a histogram (cases per working-days value), since
medians and percentiles do not add up across days.
"""

from django.db import models
from django.db.models import Q


class CaseDay(models.Model):
    """Cases per day, office (the case's), kind and category."""

    day = models.DateField()
    office = models.ForeignKey("accounts.Office", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=40)
    category = models.CharField(max_length=40)
    received = models.PositiveIntegerField(default=0)  # accepted at the counter (受理) that day
    decided_approved = models.PositiveIntegerField(default=0)
    decided_rejected = models.PositiveIntegerField(default=0)
    decided_within_deadline = models.PositiveIntegerField(default=0)
    # Of the cases decided that day, those that had been asked for documents (补正) at least once
    # (``Case.supplement_requests`` ≥ 1): the 补正 rate is this over the decisions.
    decided_after_supplement = models.PositiveIntegerField(default=0)
    completed = models.PositiveIntegerField(default=0)  # 办结 that day (``Case.completed_at``)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "office", "kind", "category"], name="case_day_once"),
        ]
        indexes = [models.Index(fields=["office", "day"], name="case_day_by_office_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.office_id} {self.kind}/{self.category}"


class CaseDecisionTime(models.Model):
    """How many cases decided that day took ``working_days`` working days from acceptance to
    decision (the days waiting for 补正 not counted): a histogram per day, office, kind and
    category, from which a period's median and 90th percentile are read."""

    day = models.DateField()
    office = models.ForeignKey("accounts.Office", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=40)
    category = models.CharField(max_length=40)
    working_days = models.PositiveIntegerField()
    cases = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "office", "kind", "category", "working_days"], name="case_decision_time_once"
            ),
            models.CheckConstraint(name="case_decision_time_cases_positive", condition=Q(cases__gte=1)),
        ]
        indexes = [models.Index(fields=["office", "day"], name="decision_time_by_office_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.office_id} {self.kind}: {self.working_days} wd × {self.cases}"


class RegistrationDay(models.Model):
    """Local residence registrations (居住登记) opened and ended per day, office (the office of
    the case that made them) and town. A change of address ends one and opens another."""

    day = models.DateField()
    office = models.ForeignKey("accounts.Office", on_delete=models.PROTECT, related_name="+")
    town = models.ForeignKey("people.Town", null=True, on_delete=models.PROTECT, related_name="+")
    started = models.PositiveIntegerField(default=0)
    ended = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "office", "town"], name="registration_day_once", nulls_distinct=False
            ),
        ]
        indexes = [models.Index(fields=["office", "day"], name="registration_day_by_office")]

    def __str__(self) -> str:
        return f"{self.day} {self.office_id} {self.town_id}"


class PermitDay(models.Model):
    """Residence permits per day and office.

    - ``issued``: permits issued that day by a case (application or conversion), at the issuing
      office; a replacement after a loss (补领) is not a new permit and is not counted;
    - ``converted``: of those, the ones issued by a mutual-recognition conversion (R3.1);
    - ``endorsed``: endorsements (签注) made that day, at the office that made them;
    - ``lapsed``: permits that lapsed that day, at their issuing office: their endorsement ran
      until the day before, and at the end of that day they were still in force (not cancelled,
      replaced or converted) and not endorsed again. A permit endorsed late the next day still
      lapsed (its holding time restarts: 居住证暂行条例 第十三条)."""

    day = models.DateField()
    office = models.ForeignKey("accounts.Office", on_delete=models.PROTECT, related_name="+")
    issued = models.PositiveIntegerField(default=0)
    converted = models.PositiveIntegerField(default=0)
    endorsed = models.PositiveIntegerField(default=0)
    lapsed = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "office"], name="permit_day_once")]
        indexes = [models.Index(fields=["office", "day"], name="permit_day_by_office")]

    def __str__(self) -> str:
        return f"{self.day} {self.office_id}: {self.issued}"


class SettlementDay(models.Model):
    """People placed in a household (落户) per day by a settlement case: the day they joined, the
    case's office and category (the route of settlement) and the household's type (S7.1: family,
    employer / talent market / community collective). The applicant and the family moving with
    them count one each; people from outside Huzhou count on the day they join (when the origin's
    迁出 is recorded), not the day the 准迁证 is issued; a host recorded as already registered
    there is not a settlement."""

    day = models.DateField()
    office = models.ForeignKey("accounts.Office", on_delete=models.PROTECT, related_name="+")
    category = models.CharField(max_length=40)
    household_type = models.CharField(max_length=30)
    people = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "office", "category", "household_type"], name="settlement_day_once"),
            models.CheckConstraint(name="settlement_day_people_positive", condition=Q(people__gte=1)),
        ]
        indexes = [models.Index(fields=["office", "day"], name="settlement_day_by_office")]

    def __str__(self) -> str:
        return f"{self.day} {self.office_id} {self.category}/{self.household_type}: {self.people}"


class TownStockDay(models.Model):
    """实有人口 at the end of a day, per town: a snapshot, not a count of moves (never summed over
    days — a period reads its last day).

    - ``residents``: local residence registrations in force in the town at the end of the day
      (started on or before it, not ended on or before it);
    - ``permits_valid``: residence permits valid at the end of the day (in force, endorsed until
      that day or later, as the endorsement history stood then) whose holder's local
      registration in force then is in the town. A holder with none counts under ``town`` None,
      at the permit's issuing office.

    ``office`` is the office answering for the town (``people.selectors.town_offices``: its police
    station, else its county-level bureau; the city bureau for a town with neither)."""

    day = models.DateField()
    office = models.ForeignKey("accounts.Office", on_delete=models.PROTECT, related_name="+")
    town = models.ForeignKey("people.Town", null=True, on_delete=models.PROTECT, related_name="+")
    residents = models.PositiveIntegerField(default=0)
    permits_valid = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "office", "town"], name="town_stock_day_once", nulls_distinct=False),
        ]
        indexes = [models.Index(fields=["office", "day"], name="town_stock_day_by_office")]

    def __str__(self) -> str:
        return f"{self.day} {self.office_id} {self.town_id}: {self.residents} / {self.permits_valid}"


class RollupState(models.Model):
    """How far the rollups are complete: every day up to ``rolled_to`` has its rows, so the
    nightly job rolls up (rolled_to, yesterday] and a night it missed is caught up."""

    name = models.CharField(max_length=20, unique=True, default="daily")
    rolled_to = models.DateField()

    class Meta:
        # Not a table's right: who may read the dashboard, its figures and the lists behind them.
        permissions = [("view_statistics", "Can read the statistics dashboard")]

    def __str__(self) -> str:
        return f"{self.name} → {self.rolled_to}"


class PipelineSnapshot(models.Model):
    """The reform pipeline (E1) as computed on the night of ``day``: how many permits (N1, at
    their issuing office) and lease filings (N2, at the office answering for the rental home's
    town) reach their milestone in ``month`` (its first day) within (day, day + 90 days]. Written
    only by ``pipeline.snapshot_pipeline``: one night's rows replaced at once, counts only (no
    person), a row only where the count is at least one; ``PipelineSnapshotTaken`` says which
    nights were taken (a night with nobody in the pipeline has no rows at all)."""

    day = models.DateField()
    office = models.ForeignKey("accounts.Office", on_delete=models.PROTECT, related_name="+")
    milestone = models.CharField(max_length=2)  # n1 | n2
    month = models.DateField()
    people = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "office", "milestone", "month"], name="pipeline_snapshot_once"),
            models.CheckConstraint(name="pipeline_snapshot_milestone", condition=Q(milestone__in=["n1", "n2"])),
            models.CheckConstraint(name="pipeline_snapshot_month_first", condition=Q(month__day=1)),
            models.CheckConstraint(name="pipeline_snapshot_people_positive", condition=Q(people__gte=1)),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.office_id} {self.milestone} {self.month:%Y-%m}: {self.people}"


class PipelineSnapshotTaken(models.Model):
    """A night whose pipeline snapshot was taken (its rows may be none): the dashboard reads the
    latest one, never an older night's counts in place of an empty latest one."""

    day = models.DateField(unique=True)
    taken_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.day} (taken {self.taken_at:%Y-%m-%d %H:%M})"


class InflowDay(models.Model):
    """Inflow by origin (E1, population movement): local residence registrations (居住登记)
    started per day, office (the office of the case that made them, as ``RegistrationDay``), town
    and the person's origin city — the first four digits of ``Person.origin_area``, the area that
    issued their ID number ("" when unknown). People from inside Huzhou (``3305``) are counted
    too, so a move within the city shows as one. Written only by ``inflow.rollup_inflow_day``; a
    row only where the count is at least one. Summed over origin cities, a day's rows give
    ``RegistrationDay.started``."""

    day = models.DateField()
    office = models.ForeignKey("accounts.Office", on_delete=models.PROTECT, related_name="+")
    town = models.ForeignKey("people.Town", null=True, on_delete=models.PROTECT, related_name="+")
    origin_city = models.CharField(max_length=4, blank=True)
    started = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "office", "town", "origin_city"], name="inflow_day_once", nulls_distinct=False
            ),
            models.CheckConstraint(name="inflow_day_started_positive", condition=Q(started__gte=1)),
        ]
        indexes = [models.Index(fields=["office", "day"], name="inflow_day_by_office")]

    def __str__(self) -> str:
        return f"{self.day} {self.office_id} {self.town_id} {self.origin_city or '-'}: {self.started}"
