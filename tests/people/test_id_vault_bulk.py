"""Opening many sealed numbers at once (an export): the cached keyring follows the settings, the
opener gives what ``unseal`` gives and refuses what it refuses, and a number's birth date and
sex read from its digits are those ``parse`` gives."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from hukou_portal.people import id_numbers, id_vault
from hukou_portal.people.models import Person
from hukou_portal.people.services import person_create
from tests.helpers import valid_id_number

NEW_KEY = "rotated-id-number-key-" + "bulk" * 8


def test_the_cached_keyring_follows_rotation_and_changed_settings(settings):
    old_key = settings.ID_NUMBER_KEY
    assert id_vault.keyring() == {id_vault.key_id(old_key): old_key}
    with override_settings(ID_NUMBER_KEY=NEW_KEY, ID_NUMBER_RETIRED_KEYS=[old_key]):
        assert id_vault.keyring() == {id_vault.key_id(NEW_KEY): NEW_KEY, id_vault.key_id(old_key): old_key}
    with override_settings(ID_NUMBER_KEY=NEW_KEY, ID_NUMBER_RETIRED_KEYS=[]):
        assert id_vault.keyring() == {id_vault.key_id(NEW_KEY): NEW_KEY}
    assert id_vault.keyring() == {id_vault.key_id(old_key): old_key}
    # A caller changing its copy changes nobody else's.
    id_vault.keyring().clear()
    assert id_vault.keyring() == {id_vault.key_id(old_key): old_key}


def _sealed(person: Person) -> tuple[bytes, str, str]:
    row = Person.objects.values_list("id_number_sealed", "id_number_key_id", "id_number_index").get(pk=person.pk)
    return bytes(row[0]), row[1], row[2]


def test_the_opener_opens_as_unseal_does_under_current_and_retired_keys(staff, settings):
    old_key = settings.ID_NUMBER_KEY
    old = person_create(actor=staff.officer, id_number=valid_id_number(sequence=201), name="旧")
    with override_settings(ID_NUMBER_KEY=NEW_KEY, ID_NUMBER_RETIRED_KEYS=[old_key]):
        new = person_create(actor=staff.officer, id_number=valid_id_number(sequence=202), name="新")
        open_ = id_vault.opener(purpose=Person.ID_NUMBER_PURPOSE)
        assert open_(*_sealed(old)) == valid_id_number(sequence=201)
        assert open_(*_sealed(new)) == valid_id_number(sequence=202)
        assert open_(None, "", "") == "" and open_(b"", "", "") == ""


def test_the_opener_refuses_what_unseal_refuses(staff):
    first = person_create(actor=staff.officer, id_number=valid_id_number(sequence=211), name="甲")
    second = person_create(actor=staff.officer, id_number=valid_id_number(sequence=212), name="乙")
    open_ = id_vault.opener(purpose=Person.ID_NUMBER_PURPOSE)
    sealed, key, _index = _sealed(first)
    with pytest.raises(id_vault.IdNumberUnreadable):  # copied to another row
        open_(sealed, key, _sealed(second)[2])
    with pytest.raises(id_vault.IdNumberUnreadable):  # another column's
        id_vault.opener(purpose="settlement.accompanyingmember.id_number")(*_sealed(first))
    with pytest.raises(id_vault.IdNumberUnreadable):  # a key nobody configured
        open_(sealed, "0" * id_vault.KEY_ID_LENGTH, _sealed(first)[2])


def test_a_key_configured_after_the_opener_was_made_still_opens(staff, settings):
    """An export that began before a rotation: rows re-sealed meanwhile open through ``unseal``."""
    old_key = settings.ID_NUMBER_KEY
    open_ = id_vault.opener(purpose=Person.ID_NUMBER_PURPOSE)
    with override_settings(ID_NUMBER_KEY=NEW_KEY, ID_NUMBER_RETIRED_KEYS=[old_key]):
        person = person_create(actor=staff.officer, id_number=valid_id_number(sequence=221), name="丙")
        assert open_(*_sealed(person)) == valid_id_number(sequence=221)


@pytest.mark.parametrize(
    ("birth_date", "sequence"),
    [(dt.date(1990, 5, 17), 123), (dt.date(2000, 2, 29), 124), (dt.date(1901, 12, 31), 7), (dt.date(1985, 1, 1), 10)],
)
def test_birth_date_and_sex_from_the_digits_are_those_parse_gives(birth_date, sequence):
    number = valid_id_number(birth_date=birth_date, sequence=sequence)
    parsed = id_numbers.parse(number)
    assert id_numbers.stored_birth_date_and_sex(number) == (parsed.birth_date.isoformat(), parsed.sex)


def test_a_number_not_of_the_shape_is_refused_as_parse_refuses_it():
    with pytest.raises(ValidationError):
        id_numbers.stored_birth_date_and_sex("33050219900517123")
    with pytest.raises(ValidationError):
        id_numbers.stored_birth_date_and_sex("")
