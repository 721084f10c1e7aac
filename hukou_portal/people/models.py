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
        self.id_number_derive(number)

    def id_number_derive(self, number: str) -> None:
        """Keep what a model derives from its number, each time the number is set (normalised,
        not validated yet): ``Person.origin_area``. Nothing here."""

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
    # The number's first six digits (GB/T 2260 code of the area that issued it), in clear: what
    # the masked number shows on every page already (docs/personal-data.md). Set with the number
    # (``id_number_derive``), never on its own; the inflow statistics count by it (stats/inflow.py),
    # reaching it through the person's key, so it needs no index of its own.
    origin_area = models.CharField(_("area of origin (ID number)"), max_length=6, blank=True, editable=False)
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

    def id_number_derive(self, number: str) -> None:
        self.origin_area = id_numbers.origin_area(number)

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


# --- Households (户) and their members; moves into and out of Huzhou (issue 12, parts 2 and 4) ---


def address_key(address: str) -> str:
    """An address as it is compared: full-width characters made half-width (NFKC) and every
    space taken out, so 「人民路 66 号」 and 「人民路66号」 are one home."""
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", address or "").split())


def unit_name_clean(name: str) -> str:
    """A unit's name (employer, community) as kept: NFKC, inner runs of spaces made one, trimmed —
    so that one community typed twice finds its one household."""
    import unicodedata

    return " ".join(unicodedata.normalize("NFKC", name or "").split())


class HouseholdType(models.TextChoices):
    """户别 (GLOSSARY.md): a family at its home, or one of the three collective households."""

    FAMILY = "family", _("Family household")
    EMPLOYER_COLLECTIVE = "employer_collective", _("Employer collective household")
    TALENT_MARKET_COLLECTIVE = "talent_market_collective", _("Talent market collective household")
    COMMUNITY_COLLECTIVE = "community_collective", _("Community public collective household")


class Household(models.Model):
    """A household (户) of the register: its number (户号), its type (户别), where it is, and —
    for a family household — its head (户主); for a collective household the unit that keeps it
    (the employer, the talent market, the community).

    One collective household per unit: per employer and town, per county-level area for the
    talent market, per community (社区) and town for the community public collective household
    — the database holds it (``household_one_*``). A household is never edited: its members come
    and go (``HouseholdMember``). ``office`` is the office answering for its town
    (``selectors.town_offices``), the scope of the household pages."""

    number = models.CharField(_("household number (户号)"), max_length=20, unique=True, editable=False)
    type = models.CharField(_("household type (户别)"), max_length=30, choices=HouseholdType.choices)
    area = models.ForeignKey(Area, verbose_name=_("county-level area"), on_delete=models.PROTECT, related_name="+")
    town = models.ForeignKey(Town, verbose_name=_("town or sub-district"), on_delete=models.PROTECT, related_name="+")
    address = models.CharField(_("address"), max_length=200, blank=True)
    address_key = models.CharField(max_length=200, blank=True, editable=False)
    unit_name = models.CharField(_("unit keeping the collective household"), max_length=100, blank=True)
    head = models.ForeignKey(
        Person,
        verbose_name=_("head of household (户主)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="households_headed",
    )
    created_by_case = models.ForeignKey(
        "casework.Case",
        verbose_name=_("created by case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    office = models.ForeignKey(
        "accounts.Office", verbose_name=_("office"), on_delete=models.PROTECT, related_name="households"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            # A family household has a head and an address; a collective one the unit keeping it.
            models.CheckConstraint(
                condition=(
                    Q(type="family", head__isnull=False, unit_name="") & ~Q(address_key="")
                    | (~Q(type="family") & Q(head__isnull=True) & ~Q(unit_name=""))
                ),
                name="household_head_or_unit",
            ),
            models.UniqueConstraint(
                fields=["town", "unit_name"],
                condition=Q(type="employer_collective"),
                name="household_one_per_employer_and_town",
            ),
            models.UniqueConstraint(
                fields=["area"],
                condition=Q(type="talent_market_collective"),
                name="household_one_talent_market_per_area",
            ),
            models.UniqueConstraint(
                fields=["town", "unit_name"],
                condition=Q(type="community_collective"),
                name="household_one_per_community",
            ),
        ]
        indexes = [
            # The household list in 户号 order, and its search by the first digits of a 户号:
            # one index range (the number compared code by code, like the people's names).
            models.Index(CodeOrder("number"), F("id"), name="household_by_number"),
            models.Index(fields=["office", "created_at", "id"], name="household_by_office_recent"),
            # A family household found by its home (find-or-create at settlement).
            models.Index(fields=["town", "address_key"], name="household_by_home"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_type_display()}"

    @property
    def is_family(self) -> bool:
        return self.type == HouseholdType.FAMILY

    @property
    def place(self) -> str:
        """Where the household is, as printed: the area, the town and the address — or, for a
        collective household without an address of its own, the unit keeping it."""
        return f"{self.area.name}{self.town.name}{self.address or self.unit_name}"


class HouseholdRelation(models.TextChoices):
    """与户主关系: what a member is to the head (GB/T 4761 in words); collective households have
    no head, their members are 集体户成员."""

    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", pgettext_lazy("relation to the head", "Spouse")
    SON = "son", _("Son")
    DAUGHTER = "daughter", _("Daughter")
    FATHER = "father", _("Father")
    MOTHER = "mother", _("Mother")
    GRANDSON = "grandson", _("Grandson")
    GRANDDAUGHTER = "granddaughter", _("Granddaughter")
    GRANDFATHER = "grandfather", _("Grandfather")
    GRANDMOTHER = "grandmother", _("Grandmother")
    SON_IN_LAW = "son_in_law", _("Son-in-law")
    DAUGHTER_IN_LAW = "daughter_in_law", _("Daughter-in-law")
    HUSBANDS_FATHER = "husbands_father", _("Husband's father")
    HUSBANDS_MOTHER = "husbands_mother", _("Husband's mother")
    WIFES_FATHER = "wifes_father", _("Wife's father")
    WIFES_MOTHER = "wifes_mother", _("Wife's mother")
    BROTHER = "brother", _("Brother")
    SISTER = "sister", _("Sister")
    OTHER = "other", pgettext_lazy("relation to the head", "Other")
    COLLECTIVE_MEMBER = "collective_member", _("Member of the collective household")


class JoinReason(models.TextChoices):
    SETTLED = "settled", _("Settled (落户)")
    MOVED_IN = "moved_in", _("Moved in from another household in Huzhou")
    MOVED_IN_FROM_ELSEWHERE = "moved_in_from_elsewhere", _("Moved in from outside Huzhou (准迁证)")
    RECORDED = "recorded", _("Recorded as registered here (host of a settlement)")
    BORN = "born", _("Born")


class LeaveReason(models.TextChoices):
    MOVED_TO_HOUSEHOLD = "moved_to_household", _("Moved to another household in Huzhou")
    MOVED_OUT_OF_HUZHOU = "moved_out_of_huzhou", _("Moved out of Huzhou (迁出)")
    DIED = "died", _("Died")


class HouseholdMember(models.Model):
    """A person's membership of a household: when and why they joined, and — once they leave —
    when and why. Rows are never edited but to end them: a move ends one row and starts another,
    both kept, so the household and the person keep their whole history. A person is an active
    member of at most one household (``household_member_one_active``)."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="members"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="household_memberships"
    )
    relation = models.CharField(_("relation to the head"), max_length=30, choices=HouseholdRelation.choices)
    joined_on = models.DateField(_("joined on"))
    join_reason = models.CharField(_("reason for joining"), max_length=30, choices=JoinReason.choices)
    join_case = models.ForeignKey(
        "casework.Case",
        verbose_name=_("case of joining"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    moved_in_from = models.CharField(_("moved here from"), max_length=200, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    leave_reason = models.CharField(_("reason for leaving"), max_length=30, choices=LeaveReason.choices, blank=True)
    leave_case = models.ForeignKey(
        "casework.Case",
        verbose_name=_("case of leaving"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(left_on__isnull=True), name="household_member_one_active"
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(left_on__isnull=True, relation="head"),
                name="household_member_one_active_head",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True, leave_reason="") | (Q(left_on__isnull=False) & ~Q(leave_reason="")),
                name="household_member_left_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="household_member_left_after_joining",
            ),
        ]
        indexes = [
            models.Index(fields=["household", "joined_on", "id"], name="household_member_history"),
            # The statistics' day (stats/rollups.py): the people a case placed in a household on one day.
            models.Index(
                fields=["joined_on"], name="household_member_by_join_day", condition=Q(join_case__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person.name} · {self.household.number}"

    @property
    def is_active(self) -> bool:
        return self.left_on is None


class MoveInPermit(models.Model):
    """准予迁入证明 (准迁证): issued when a settlement is completed for people whose hukou is
    outside Huzhou. It names the origin, the destination household and the day it is valid until;
    the people it covers (``MoveInPermitPerson``) join the household only when the origin office's
    迁出 confirmation is recorded (``MoveInConfirmation``). Never edited."""

    number = models.CharField(_("permit number"), max_length=40, unique=True, editable=False)
    case = models.OneToOneField(
        "casework.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="move_in_permit"
    )
    household = models.ForeignKey(
        Household, verbose_name=_("destination household"), on_delete=models.PROTECT, related_name="move_in_permits"
    )
    origin_address = models.CharField(_("origin hukou address"), max_length=200)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"))
    office = models.ForeignKey(
        "accounts.Office", verbose_name=_("office of the case"), on_delete=models.PROTECT, related_name="+"
    )
    issuing_office = models.ForeignKey(
        "accounts.Office", verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    issued_by = models.ForeignKey(
        "accounts.User", verbose_name=_("issued by officer"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("move-in permit (准迁证)")
        verbose_name_plural = _("move-in permits (准迁证)")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("issued_on")), name="move_in_permit_valid_after_issue"
            )
        ]
        indexes = [models.Index(fields=["office", "issued_on", "id"], name="move_in_permit_by_office")]

    def __str__(self) -> str:
        return self.number


class MoveInPermitPerson(models.Model):
    """A person a 准迁证 covers, with the relation to the head they will join with."""

    permit = models.ForeignKey(MoveInPermit, on_delete=models.PROTECT, related_name="people")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    relation = models.CharField(_("relation to the head"), max_length=30, choices=HouseholdRelation.choices)

    class Meta:
        verbose_name = _("person moving in")
        verbose_name_plural = _("people moving in")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["permit", "person"], name="move_in_permit_person_once")]

    def __str__(self) -> str:
        return f"{self.permit.number} {self.person.name}"


class MoveInConfirmation(models.Model):
    """The origin office's confirmation that the people of a 准迁证 moved out there (迁出), as
    recorded here: the day, the office and its reference. Recording it joins them to the
    destination household; it is recorded once and never edited."""

    permit = models.OneToOneField(
        MoveInPermit, verbose_name=_("move-in permit"), on_delete=models.PROTECT, related_name="confirmation"
    )
    moved_out_on = models.DateField(_("moved out of the origin on"))
    origin_office = models.CharField(_("origin office"), max_length=100)
    origin_reference = models.CharField(_("origin office's reference"), max_length=60)
    recorded_by = models.ForeignKey(
        "accounts.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("move-out confirmation of the origin")
        verbose_name_plural = _("move-out confirmations of the origin")

    def __str__(self) -> str:
        return f"{self.permit.number} {self.origin_reference}"


class MoveOut(models.Model):
    """迁出: a person moving out of Huzhou. The membership it ended stays in the household's
    history; this row says where to and when. Never edited."""

    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="moves_out")
    membership = models.OneToOneField(
        HouseholdMember, verbose_name=_("membership ended"), on_delete=models.PROTECT, related_name="move_out"
    )
    destination_address = models.CharField(_("moving to (address)"), max_length=200)
    destination_reference = models.CharField(_("destination's move-in permit number"), max_length=60, blank=True)
    moved_out_on = models.DateField(_("moved out on"))
    case = models.ForeignKey(
        "casework.Case", verbose_name=_("case"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    office = models.ForeignKey(
        "accounts.Office", verbose_name=_("recorded by office"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        "accounts.User", verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("move out of Huzhou (迁出)")
        verbose_name_plural = _("moves out of Huzhou (迁出)")

    def __str__(self) -> str:
        return f"{self.person.name} → {self.destination_address}"


class LookupReason(models.TextChoices):
    """Why an officer looks a person up by citizen ID number in the city register (policy D3:
    every access to personal data is accountable). ``other`` needs words."""

    BUSINESS = "business", _("Business for the person (办理业务)")
    VERIFICATION = "verification", _("Verification (核查)")
    OTHER = "other", _("Other (其他)")


class PersonOffice(models.Model):
    """An office that has served a person (全域就近办: a person belongs to the city, a case to an
    office): it recorded them, opened a case for them, received one of their cases by transfer,
    recorded a lease filing of theirs, or keeps the household they joined. One row per person
    and office, with the first and the latest time and how. Written only by
    ``people.services.person_office_touch``, which the services doing those things call;
    backfilled from ``Person.office`` and ``Case.office``.

    A person is in an office's people list and file once a row names that office or one below it
    (``people.selectors.person_list_for_user``). A lookup by ID number (D3) writes none: looking
    someone up never makes them an office's."""

    class Via(models.TextChoices):
        RECORDED = "recorded", _("Recorded the person")
        CASE = "case", _("Opened a case")
        TRANSFER = "transfer", _("Received a case by transfer")
        LEASE_FILING = "lease_filing", _("Recorded a lease filing")
        HOUSEHOLD = "household", _("Keeps the household the person joined")

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
