"""Citizen ID numbers at rest (MLPS level 3, important data confidential in storage): what the
database holds is a blind index and an AES-GCM ciphertext bound to its column and row, never the
number (people/id_vault.py). Attacks are written as what someone with the database would do."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.test import override_settings

from hukou_portal.audit.models import AuditEvent
from hukou_portal.core.exceptions import ApplicationError
from hukou_portal.people import id_vault
from hukou_portal.people.models import Person
from hukou_portal.people.services import person_create
from tests.helpers import valid_id_number

NEW_KEY = "rotated-id-number-key-" + "n3w-" * 8
NEW_INDEX_KEY = "rotated-id-number-index-key-" + "1dx-" * 6


def raw_row(table: str, pk: int) -> dict[str, object]:
    """The row as the database returns it to anyone who can read the table."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} WHERE id = %s", [pk])  # noqa: S608
        names = [column[0] for column in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def as_texts(value: object) -> list[str]:
    """Every way a column's value can be read as text."""
    if isinstance(value, memoryview | bytes | bytearray):
        data = bytes(value)
        return [data.decode("latin-1"), data.hex()]
    return [str(value)]


def assert_holds_no_number(row: dict[str, object], number: str) -> None:
    for column, value in row.items():
        for text in as_texts(value):
            assert number not in text, column
            assert number[-8:] not in text, column  # nor the tail a masked form leaves out
            assert number[6:14] not in text, column  # nor the birth date


def swap(table: str, pk: int, **values: object) -> None:
    assignments = ", ".join(f"{connection.ops.quote_name(name)} = %s" for name in values)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {connection.ops.quote_name(table)} SET {assignments} WHERE id = %s",  # noqa: S608
            [*values.values(), pk],
        )


def test_the_row_holds_no_number_in_any_column(staff):
    number = valid_id_number()
    person = person_create(actor=staff.officer, id_number=number, name="王小明", mobile="13900000000")
    row = raw_row("people_person", person.pk)
    assert "id_number" not in row  # the clear column is gone
    assert_holds_no_number(row, number)
    assert row["id_number_key_id"] == id_vault.key_id(id_vault.current_key()[1])
    # ...and the portal reads it back: the property opens the ciphertext.
    again = Person.objects.get(pk=person.pk)
    assert again.id_number == number
    assert (again.masked_id_number, again.birth_date, again.sex) == ("330502********1237", dt.date(1990, 5, 17), "M")


def test_equal_numbers_give_different_ciphertexts_but_the_same_index(offices):
    number = valid_id_number()
    first = Person(name="甲", office=offices.yuehe, id_number=number)
    second = Person(name="乙", office=offices.yuehe, id_number=number)
    assert first.id_number_index == second.id_number_index
    assert bytes(first.id_number_sealed) != bytes(second.id_number_sealed)  # a fresh nonce each time


def test_lookup_by_number_goes_by_the_blind_index(staff):
    number = valid_id_number(birth_date=dt.date(1985, 3, 9), sequence=452)
    person = person_create(actor=staff.officer, id_number=number, name="李华")
    full_width = number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert Person.objects.with_id_number(number).get() == person
    assert Person.objects.with_id_number(f" {full_width.lower()} ").get() == person
    assert not Person.objects.with_id_number(valid_id_number(sequence=999)).exists()


def test_one_person_per_number_is_held_by_the_database(staff, offices):
    number = valid_id_number()
    person_create(actor=staff.officer, id_number=number, name="王小明")
    with pytest.raises(ApplicationError):
        person_create(actor=staff.officer, id_number=number.lower(), name="王小明")
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(name="冒名", office=offices.zhili, id_number=number)


def test_an_invalid_number_is_refused_by_full_clean(offices):
    person = Person(name="王小明", office=offices.yuehe, id_number="33050219900517123")
    with pytest.raises(ValidationError) as refused:
        person.full_clean()
    assert "id_number" in refused.value.message_dict


def test_a_ciphertext_copied_to_another_row_does_not_open(staff):
    """Someone with write access to the table copies a person's ciphertext into the row of a
    person whose full number they may see, to have the portal decrypt it for them."""
    victim = person_create(actor=staff.officer, id_number=valid_id_number(sequence=111), name="受害人")
    mine = person_create(actor=staff.officer, id_number=valid_id_number(sequence=222), name="自己")
    stolen = raw_row("people_person", victim.pk)
    swap("people_person", mine.pk, id_number_sealed=stolen["id_number_sealed"])
    with pytest.raises(id_vault.IdNumberUnreadable):
        _ = Person.objects.get(pk=mine.pk).id_number


def test_a_ciphertext_copied_to_another_column_does_not_open(staff):
    """A family member's ciphertext and blind index, moved into a person row (another column of
    another table): the associated data names the column, so it does not open there."""
    from settlement.models import AccompanyingMember

    number = valid_id_number(sequence=333)
    member = AccompanyingMember(ref="m1", name="子女", relation="子女", marital_status="未婚")
    member.id_number = number
    mine = person_create(actor=staff.officer, id_number=valid_id_number(sequence=222), name="自己")
    swap(
        "people_person",
        mine.pk,
        id_number_sealed=bytes(member.id_number_sealed),
        id_number_index=member.id_number_index,
        id_number_key_id=member.id_number_key_id,
    )
    with pytest.raises(id_vault.IdNumberUnreadable):
        _ = Person.objects.get(pk=mine.pk).id_number
    assert member.id_number == number  # where it belongs, it opens


def test_an_altered_ciphertext_does_not_open(staff):
    person = person_create(actor=staff.officer, id_number=valid_id_number(), name="王小明")
    sealed = bytearray(bytes(raw_row("people_person", person.pk)["id_number_sealed"]))
    sealed[-1] ^= 1
    swap("people_person", person.pk, id_number_sealed=bytes(sealed))
    with pytest.raises(id_vault.IdNumberUnreadable):
        _ = Person.objects.get(pk=person.pk).id_number


def test_rotation_retired_keys_still_open_and_the_command_reseals(staff, settings):
    old_key = settings.ID_NUMBER_KEY
    old_number = valid_id_number(sequence=101)
    old = person_create(actor=staff.officer, id_number=old_number, name="旧")
    with override_settings(ID_NUMBER_KEY=NEW_KEY, ID_NUMBER_RETIRED_KEYS=[old_key]):
        assert Person.objects.get(pk=old.pk).id_number == old_number  # a retired key still opens
        new = person_create(actor=staff.officer, id_number=valid_id_number(sequence=102), name="新")
        assert raw_row("people_person", new.pk)["id_number_key_id"] == id_vault.key_id(NEW_KEY)
        call_command("rotate_id_number_key", "--batch-size", "1")
        assert set(Person.objects.values_list("id_number_key_id", flat=True)) == {id_vault.key_id(NEW_KEY)}
        event = AuditEvent.objects.get(action="id_numbers.resealed")
        assert event.new_values == {"key": id_vault.key_id(NEW_KEY), "rows": 1, "index_recomputed": False}
        call_command("rotate_id_number_key")  # a second run finds nothing left
        assert AuditEvent.objects.filter(action="id_numbers.resealed").order_by("id").last().new_values["rows"] == 0
    with override_settings(ID_NUMBER_KEY=NEW_KEY, ID_NUMBER_RETIRED_KEYS=[]):
        # The old key is gone: every number still opens, and is still found by its number.
        assert Person.objects.get(pk=old.pk).id_number == old_number
        assert Person.objects.with_id_number(old_number).get() == old


def test_a_row_under_a_key_nobody_kept_is_reported_and_left_alone(staff, settings):
    lost = person_create(actor=staff.officer, id_number=valid_id_number(sequence=101), name="旧")
    before = raw_row("people_person", lost.pk)
    with override_settings(ID_NUMBER_KEY=NEW_KEY, ID_NUMBER_RETIRED_KEYS=[]):
        with pytest.raises(id_vault.IdNumberUnreadable):
            _ = Person.objects.get(pk=lost.pk).id_number
        with pytest.raises(CommandError, match=f"people.person #{lost.pk}"):
            call_command("rotate_id_number_key")
    assert raw_row("people_person", lost.pk) == before


def test_a_new_index_key_is_applied_by_reindexing_every_row(staff, settings):
    number = valid_id_number(sequence=101)
    person = person_create(actor=staff.officer, id_number=number, name="王小明")
    with override_settings(ID_NUMBER_INDEX_KEY=NEW_INDEX_KEY):
        assert not Person.objects.with_id_number(number).exists()  # not until the rows are recomputed
        call_command("rotate_id_number_key", "--all")
        assert Person.objects.with_id_number(number).get() == person
        assert Person.objects.get(pk=person.pk).id_number == number


def test_family_members_numbers_are_sealed_too(staff):
    """Settlement's accompanying family: the numbers typed at intake, sealed like a person's."""
    import time_machine
    from django.test import Client

    from hukou_portal.people.models import Town
    from settlement.models import AccompanyingMember
    from tests.helpers import sign_in
    from tests.settlement.test_settlement_cases import CHILD, NOW, open_rental_case

    applicant = person_create(actor=staff.officer, id_number=valid_id_number(), name="王小明")
    town = Town.objects.get(area__code="330502", name="月河街道")
    with time_machine.travel(NOW, tick=False):
        case = open_rental_case(
            sign_in(Client(), staff.officer), applicant, town, family=[("小宝", CHILD, "child", "unmarried")]
        )
    member = AccompanyingMember.objects.get(application__case=case)
    assert member.id_number == CHILD
    assert_holds_no_number(raw_row("settlement_accompanyingmember", member.pk), CHILD)


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ({"ID_NUMBER_KEY": "", "ID_NUMBER_INDEX_KEY": "prod-index-" + "k" * 30}, "ID_NUMBER_KEY and"),
        ({"ID_NUMBER_KEY": "prod-key-" + "k" * 30, "ID_NUMBER_INDEX_KEY": "short"}, "ID_NUMBER_INDEX_KEY must be"),
        ({"ID_NUMBER_KEY": "prod-key-" + "k" * 30, "ID_NUMBER_INDEX_KEY": "prod-key-" + "k" * 30}, "of its own"),
    ],
)
def test_production_refuses_to_start_without_proper_id_number_keys(tmp_path, keys, message):
    import json

    from hukou_portal.settings.epermit_keys import new_keyset
    from tests.core.test_settings import SAFE_KEY, run_manage

    keyfile = tmp_path / "keys.json"
    keyfile.write_text(json.dumps(new_keyset("prod-1")))
    result = run_manage(
        "check",
        SECRET_KEY=SAFE_KEY,
        ALLOWED_HOSTS="hukou.example",
        EPERMIT_KEYS_FILE=str(keyfile),
        AUDIT_CHAIN_KEY="prod-audit-" + "c4a1n-" * 6,
        **keys,
    )
    assert result.returncode != 0
    assert message in result.stderr
