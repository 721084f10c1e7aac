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


class PersonPhotoQuerySet(models.QuerySet["PersonPhoto"]):
    def current(self) -> "PersonPhotoQuerySet":
        """Photos not replaced: at most one per person (``person_photo_one_current``)."""
        return self.filter(replaced_at__isnull=True)


class PersonPhoto(models.Model):
    """A person's ID photo (一窗通拍, policy D2): taken once at a counter and reused by every later
    case, the e-permit card and the household register page.

    The image is a 358×441 JPEG made by ``people.photos`` (upright, centre-cropped to the ID-photo
    ratio, no metadata), kept in the private document storage under a random name and served
    only by ``people.views.person_photo_image`` to those who may see the person. A row is never
    edited or deleted: a new photo *replaces* the current one, which keeps its row and file with
    ``replaced_at`` and ``replaced_by`` set, so the history stays. The current photo is the one
    not replaced (at most one per person: a partial unique index).

    ``people.photos`` makes the picture, ``services.person_photo_take`` takes it,
    ``selectors.person_photo_current`` reads it."""

    class Source(models.TextChoices):
        WEBCAM = "webcam", _("Camera at the counter")
        UPLOAD = "upload", _("Uploaded file")

    WIDTH, HEIGHT = 358, 441  # pixels; the ID-photo ratio

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="photos")
    stored_name = models.CharField(_("stored file"), max_length=100, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    size = models.PositiveIntegerField(_("size in bytes"), editable=False)
    source = models.CharField(_("taken with"), max_length=10, choices=Source.choices)
    taken_at = models.DateTimeField(_("taken at"))
    taken_by = models.ForeignKey(
        "accounts.User", verbose_name=_("taken by"), on_delete=models.PROTECT, related_name="+"
    )
    office = models.ForeignKey(
        "accounts.Office", verbose_name=_("taken at office"), on_delete=models.PROTECT, related_name="+"
    )
    # The photo this one replaced (None: the person's first). The replaced one says when and by
    # whom; it is marked before this row is inserted, so one photo is current at every moment.
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_with",
    )
    replaced_at = models.DateTimeField(_("replaced at"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = PersonPhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("person's photo")
        verbose_name_plural = _("people's photos")
        ordering = ["-taken_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(replaced_at__isnull=True), name="person_photo_one_current"
            ),
            models.CheckConstraint(
                condition=Q(replaced_at__isnull=True, replaced_by__isnull=True)
                | Q(replaced_at__isnull=False, replaced_by__isnull=False),
                name="person_photo_replaced_with_its_successor",
            ),
        ]
        indexes = [
            # The person page's history, newest first.
            models.Index(fields=["person", "-taken_at", "-id"], name="person_photo_history"),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} {self.taken_at:%Y-%m-%d}"

    @property
    def is_current(self) -> bool:
        return self.replaced_at is None

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValidationError(_("A photo is kept: a new photo replaces it, nothing deletes it."))
