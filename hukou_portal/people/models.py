"""People (identified by citizen ID number, kept sealed) and the areas of Huzhou."""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import id_numbers, id_vault


class Area(models.Model):
    """A county-level area of Huzhou (区/县)."""

    code = models.CharField(_("area code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        verbose_name = _("county-level area")
        verbose_name_plural = _("county-level areas")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Town(models.Model):
    """A sub-district, town or township (街道/镇/乡). ``is_urban`` decides where the
    settlement clauses apply (RULES.md, "Areas"); administrators correct it.

    ``station`` is the police station whose jurisdiction holds the town (辖区派出所): the office
    of a home there (N2 goes to it). A town with none yet, or whose station is closed, is
    answered for by the county-level bureau of its area (``people.selectors.town_offices``)."""

    class Kind(models.TextChoices):
        SUBDISTRICT = "街道", _("Sub-district")
        TOWN = "镇", _("Town")
        TOWNSHIP = "乡", _("Township")

    area = models.ForeignKey(Area, verbose_name=_("county-level area"), on_delete=models.PROTECT, related_name="towns")
    name = models.CharField(_("name"), max_length=50)
    kind = models.CharField(_("kind"), max_length=4, choices=Kind.choices)
    is_urban = models.BooleanField(
        _("urban area"), help_text=_("Settlement under the reform notice is limited to urban areas (S0).")
    )
    station = models.ForeignKey(
        "accounts.Office",
        verbose_name=_("police station"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="towns",
        limit_choices_to={"level": "station"},
    )

    class Meta:
        verbose_name = _("town or sub-district")
        verbose_name_plural = _("towns and sub-districts")
        ordering = ["area__code", "name"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="town_unique_name_in_area")]

    def __str__(self) -> str:
        return f"{self.area.name}{self.name}"


mobile_validator = RegexValidator(r"^1\d{10}$", _("A mobile number has 11 digits and starts with 1."))


class CodeOrder(models.Func):
    """A text column compared character code by character code: PostgreSQL's "C" collation;
    on SQLite the column as it is (BINARY, its default, already compares so).

    Under the database's own collation a ``LIKE '王%'`` cannot bound the index that gives the
    name order, so "the first 20 people whose name starts with 王, by name" walked the name index
    from its first name up to 王 (150 ms at 500,000 people, bench/lists.py). Through this
    expression, and an index on it, both are one index range."""

    template = '(%(expressions)s COLLATE "C")'

    def __init__(self, expression: Any) -> None:
        super().__init__(expression, output_field=models.CharField())

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return super().as_sql(compiler, connection, template="%(expressions)s", **extra_context)


def name_key() -> CodeOrder:
    """The people list's name order and name search (index ``person_by_name_in_code_order``)."""
    return CodeOrder("name")


class SealedIdNumber(models.Model):
    """A row that holds a citizen ID number, never in clear (``id_vault``): its blind index, its
    AES-GCM ciphertext and the id of the key that sealed it.

    ``id_number`` reads and writes it like a field: reading opens the ciphertext (once per
    instance), writing normalises the number, computes the index and seals it, so
    ``Person(id_number=...)`` and ``Person.objects.create(id_number=...)`` work as before. What
    cannot work is filtering on it: the database holds no number to compare, so lookups go by the
    index (``Person.objects.with_id_number``). ``clean`` validates the number (GB 11643).

    ``ID_NUMBER_PURPOSE`` is the column's name in the ciphertexts' associated data: fixed text,
    not derived from the model's name, so renaming a model never makes its numbers unreadable.
    """

    ID_NUMBER_PURPOSE = ""

    id_number_index = models.CharField(
        _("citizen ID number (blind index)"), max_length=id_vault.INDEX_LENGTH, editable=False
    )
    id_number_sealed = models.BinaryField(_("citizen ID number (encrypted)"), editable=False)
    id_number_key_id = models.CharField(_("encryption key"), max_length=id_vault.KEY_ID_LENGTH, editable=False)

    class Meta:
        abstract = True

    @property
    def id_number(self) -> str:
        sealed = bytes(self.id_number_sealed or b"")
        if not sealed:
            return ""
        opened = self.__dict__.get("_id_number_opened")
        if opened is None or opened[0] != sealed:  # first read, or the row was reloaded
            number = id_vault.unseal(
                sealed, key=self.id_number_key_id, purpose=self.ID_NUMBER_PURPOSE, index=self.id_number_index
            )
            opened = self.__dict__["_id_number_opened"] = (sealed, number)
        return opened[1]

    @id_number.setter
    def id_number(self, value: str) -> None:
        number = id_numbers.normalise(value or "")
        self.id_number_index = id_vault.blind_index(number)
        self.id_number_key_id, sealed = id_vault.seal(
            number, purpose=self.ID_NUMBER_PURPOSE, index=self.id_number_index
        )
        self.id_number_sealed = sealed
        self.__dict__["_id_number_opened"] = (sealed, number)

    def id_number_reseal(self) -> None:
        """Seal the number again under the current keys (``rotate_id_number_key``)."""
        self.id_number = self.id_number

    def clean(self) -> None:
        super().clean()
        try:
            id_numbers.validate_id_number(self.id_number)
        except ValidationError as error:
            raise ValidationError({"id_number": error.messages}) from error


class PersonQuerySet(models.QuerySet["Person"]):
    def with_id_number(self, number: str) -> "PersonQuerySet":
        """The person with this citizen ID number (normalised first), found by its blind index:
        the one way to look a number up, since no row holds it in clear."""
        return self.filter(id_number_index=id_vault.blind_index(number))

    def get_or_create_by_id_number(self, number: str, *, defaults: dict[str, Any]) -> tuple["Person", bool]:
        """``get_or_create`` by number: concurrent creators meet at the unique blind index."""
        return self.get_or_create(
            id_number_index=id_vault.blind_index(number), defaults={**defaults, "id_number": number}
        )


class Person(SealedIdNumber):
    """A person the offices deal with. Birth date and sex come from the ID number, which is
    sealed at rest (``SealedIdNumber``); the city has one row per number (the blind index is
    unique)."""

    ID_NUMBER_PURPOSE = "people.person.id_number"

    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    mobile = models.CharField(_("mobile number"), max_length=11, blank=True, validators=[mobile_validator])
    office = models.ForeignKey(
        "accounts.Office",
        verbose_name=_("recorded by office"),
        on_delete=models.PROTECT,
        related_name="people",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["-created_at"]
        permissions = [("view_full_id_number", _("Can see full citizen ID numbers"))]
        constraints = [
            # One person per number, city-wide: said of the blind index (the number is sealed).
            models.UniqueConstraint(fields=["id_number_index"], name="person_unique_id_number"),
            models.CheckConstraint(condition=~Q(id_number_index=""), name="person_id_number_present"),
        ]
        indexes = [
            models.Index(fields=["office", "-created_at"], name="person_by_office_recent"),
            # The people list: newest first (its default), and sorted by name.
            models.Index(fields=["created_at", "id"], name="person_list_by_recorded"),
            # Sorted by name, and searched by a name's first characters in that order: one range.
            models.Index(name_key(), F("id"), name="person_by_name_in_code_order"),
            # A search by the first characters of a name (LIKE '王%' needs the pattern operators
            # on PostgreSQL unless the database collation is C).
            models.Index(fields=["name"], name="person_by_name_prefix", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.masked_id_number})"

    @property
    def masked_id_number(self) -> str:
        return id_numbers.mask(self.id_number)

    @property
    def birth_date(self) -> dt.date:
        return id_numbers.parse(self.id_number).birth_date

    @property
    def sex(self) -> str:
        return id_numbers.parse(self.id_number).sex

    @property
    def sex_label(self) -> str:
        return str(_("Male")) if self.sex == id_numbers.Sex.MALE else str(_("Female"))


class LookupReason(models.TextChoices):
    """Why an officer looks a person up by citizen ID number in the city register (policy D3:
    every access to personal data is accountable). ``other`` needs words."""

    BUSINESS = "business", _("Business for the person (办理业务)")
    VERIFICATION = "verification", _("Verification (核查)")
    OTHER = "other", _("Other (其他)")


class PersonOffice(models.Model):
    """An office that has served a person (全域就近办: a person belongs to the city, a case to an
    office): it recorded them, opened a case for them, received one of their cases by transfer,
    or recorded a lease filing of theirs. One row per person and office, with the first and the
    latest time and how. Written only by ``people.services.person_office_touch``, which the
    services doing those things call; backfilled from ``Person.office`` and ``Case.office``.

    A person is in an office's people list and file once a row names that office or one below it
    (``people.selectors.person_list_for_user``). A lookup by ID number (D3) writes none: looking
    someone up never makes them an office's."""

    class Via(models.TextChoices):
        RECORDED = "recorded", _("Recorded the person")
        CASE = "case", _("Opened a case")
        TRANSFER = "transfer", _("Received a case by transfer")
        LEASE_FILING = "lease_filing", _("Recorded a lease filing")

    # No index of their own: person_office_once leads with the person, person_office_by_office
    # with the office.
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="served_by", db_index=False
    )
    office = models.ForeignKey(
        "accounts.Office",
        verbose_name=_("office"),
        on_delete=models.PROTECT,
        related_name="people_served",
        db_index=False,
    )
    first_at = models.DateTimeField(_("first served at"))
    first_via = models.CharField(_("first served by"), max_length=16, choices=Via.choices)
    last_at = models.DateTimeField(_("last served at"))
    last_via = models.CharField(_("last served by"), max_length=16, choices=Via.choices)

    class Meta:
        verbose_name = _("office that served a person")
        verbose_name_plural = _("offices that served a person")
        ordering = ["first_at", "id"]
        constraints = [
            # One row per person and office; it also serves "has any of these offices served
            # this person" (the people list's EXISTS, person first).
            models.UniqueConstraint(fields=["person", "office"], name="person_office_once"),
            models.CheckConstraint(condition=Q(last_at__gte=F("first_at")), name="person_office_last_after_first"),
        ]
        indexes = [
            # The people an office (or a subtree) has served, when few of the city's are its.
            models.Index(fields=["office", "person"], name="person_office_by_office"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.office_id}"
