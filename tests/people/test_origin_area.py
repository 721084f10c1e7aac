"""``Person.origin_area``: the first six digits of the ID number, kept in clear beside the sealed
number (docs/personal-data.md) — set by every way a number is written, never more than the masked
number shows, unchanged by a key rotation, and filled for existing rows by migration people.0015."""

import datetime as dt
import importlib

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from hukou_portal.people import id_numbers, id_vault
from hukou_portal.people.models import Person
from hukou_portal.people.services import person_create
from tests.core.list_data import people
from tests.helpers import valid_id_number
from tests.people.test_id_number_migration import migrate
from tests.people.test_id_number_storage import NEW_INDEX_KEY, NEW_KEY, assert_holds_no_number, raw_row, swap

BEFORE = [("people", "0014_household_member_by_join_day")]
backfill = importlib.import_module("hukou_portal.people.migrations.0015_person_origin_area")

HEFEI = "340104"  # 安徽省合肥市蜀山区
XIANTAO = "429004"  # 湖北省仙桃市 (governed by the province directly)


def stored_origin(person: Person) -> str:
    return str(raw_row("people_person", person.pk)["origin_area"])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("34010419900517123X", "340104"),
        ("330502199005171235", "330502"),
        ("3401041990051712", ""),  # not 18 characters: the mask shows none of it
        ("", ""),
        ("３４０１０４19900517123X", ""),  # not normalised: never what is stored
    ],
)
def test_origin_area_is_what_the_mask_shows(value, expected):
    assert id_numbers.origin_area(value) == expected
    assert id_numbers.mask(value).startswith(expected)
    assert "*" not in expected


def test_person_create_keeps_the_first_six_digits(staff):
    number = valid_id_number(address_code=HEFEI)
    person = person_create(actor=staff.officer, id_number=number, name="王小明")
    assert stored_origin(person) == HEFEI
    assert person.masked_id_number.startswith(stored_origin(person))
    # The row still holds neither the number, nor its tail, nor its birth date in any column.
    assert_holds_no_number(raw_row("people_person", person.pk), number)


def test_a_number_typed_with_spaces_and_full_width_digits_is_normalised_first(staff):
    number = valid_id_number(address_code=HEFEI)
    typed = "３４０１０４ " + number[6:14] + " " + number[14:]
    person = person_create(actor=staff.officer, id_number=typed, name="王小明")
    assert stored_origin(person) == HEFEI


def test_get_or_create_by_id_number_keeps_it_when_it_creates(offices):
    number = valid_id_number(address_code=XIANTAO)
    person, created = Person.objects.get_or_create_by_id_number(
        number, defaults={"name": "李四", "office": offices.yuehe}
    )
    assert created and stored_origin(person) == XIANTAO
    again, created = Person.objects.get_or_create_by_id_number(
        number, defaults={"name": "别人", "office": offices.zhili}
    )
    assert not created and again.pk == person.pk and stored_origin(again) == XIANTAO


def test_constructed_and_bulk_created_people_have_it(offices):
    """``Person(id_number=…)`` then ``bulk_create`` (the demo data, the benchmarks, the tests)."""
    made = people(offices.yuehe, 3)
    for person in made:
        assert stored_origin(person) == "330502"
    assert set(Person.objects.filter(pk__in=[p.pk for p in made]).values_list("origin_area", flat=True)) == {"330502"}


def test_a_corrected_number_moves_the_origin_with_it(staff):
    person = person_create(actor=staff.officer, id_number=valid_id_number(address_code=HEFEI), name="王小明")
    person = Person.objects.get(pk=person.pk)  # as loaded: the setter is not run by a read
    assert person.origin_area == HEFEI
    person.id_number = valid_id_number(address_code=XIANTAO)
    person.full_clean()
    person.save()
    assert stored_origin(person) == XIANTAO


def test_key_rotation_leaves_it_as_it_is(staff, settings):
    """``rotate_id_number_key`` (also ``--all``, which recomputes the index) re-seals the number and
    writes only the sealed columns: the origin stays right and no command needed a change."""
    old_key = settings.ID_NUMBER_KEY
    person = person_create(actor=staff.officer, id_number=valid_id_number(address_code=HEFEI), name="王小明")
    with override_settings(ID_NUMBER_KEY=NEW_KEY, ID_NUMBER_RETIRED_KEYS=[old_key]):
        call_command("rotate_id_number_key")
        assert raw_row("people_person", person.pk)["id_number_key_id"] == id_vault.key_id(NEW_KEY)
        assert stored_origin(person) == HEFEI
    with override_settings(ID_NUMBER_KEY=NEW_KEY, ID_NUMBER_INDEX_KEY=NEW_INDEX_KEY):
        call_command("rotate_id_number_key", "--all")
        assert stored_origin(person) == HEFEI


# --- migration people.0015 ------------------------------------------------------------------------


def test_the_backfill_fills_in_batches_and_a_rerun_fills_nothing(staff):
    numbers = [valid_id_number(address_code=code, sequence=i) for i, code in enumerate((HEFEI, XIANTAO, "330502"))]
    made = [person_create(actor=staff.officer, id_number=n, name=f"人{i}") for i, n in enumerate(numbers)]
    Person.objects.update(origin_area="")  # as the column is right after it is added

    filled, unreadable = backfill.fill_origin_area(Person, using=connection.alias, batch_size=2)
    assert (filled, unreadable) == (3, [])
    assert [stored_origin(p) for p in made] == [HEFEI, XIANTAO, "330502"]
    assert backfill.fill_origin_area(Person, using=connection.alias) == (0, [])


def test_the_backfill_leaves_a_number_that_does_not_open_empty_and_names_it(staff):
    first = person_create(actor=staff.officer, id_number=valid_id_number(address_code=HEFEI, sequence=1), name="甲")
    second = person_create(actor=staff.officer, id_number=valid_id_number(address_code=XIANTAO, sequence=2), name="乙")
    # The first row carries the second's ciphertext: bound to the second's index, it does not open.
    swap("people_person", first.pk, id_number_sealed=raw_row("people_person", second.pk)["id_number_sealed"])
    Person.objects.update(origin_area="")
    assert backfill.fill_origin_area(Person, using=connection.alias) == (1, [first.pk])
    assert (stored_origin(first), stored_origin(second)) == ("", XIANTAO)


@pytest.fixture
def migrated_back(transactional_db):
    yield
    migrate(None)  # whatever happened, the database ends at the latest schema for the next test


def test_the_migration_fills_existing_rows_and_goes_back(migrated_back, offices, capsys):
    old = migrate(BEFORE)
    assert "origin_area" not in {
        column.name for column in connection.introspection.get_table_description(connection.cursor(), "people_person")
    }
    old_person = old.get_model("people", "Person")
    rows = {}
    for i, code in enumerate((HEFEI, XIANTAO, "330502", "110105")):
        number = valid_id_number(address_code=code, birth_date=dt.date(1970, 1, 1) + dt.timedelta(days=400 * i))
        index = id_vault.blind_index(number)
        key, sealed = id_vault.seal(number, purpose=Person.ID_NUMBER_PURPOSE, index=index)
        row = old_person.objects.create(
            name=f"旧{i}",
            office_id=offices.yuehe.pk,
            id_number_index=index,
            id_number_sealed=sealed,
            id_number_key_id=key,
        )
        rows[row.pk] = code

    migrate(None)
    assert dict(Person.objects.values_list("pk", "origin_area")) == rows
    assert "did not open" not in capsys.readouterr().err

    migrate(BEFORE)  # backwards the column goes; forwards again it is filled again
    migrate(None)
    assert dict(Person.objects.values_list("pk", "origin_area")) == rows


def test_the_migration_runs_on_an_empty_table(migrated_back):
    migrate(BEFORE)
    assert not Person.objects.exists()
    migrate(None)
    assert not Person.objects.exists()
