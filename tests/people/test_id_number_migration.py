"""The migrations that seal the clear ID numbers (people.0005-0007, settlement.0003-0005), run on
data with Django's MigrationExecutor: rows written in clear before them come out sealed, the
clear column is gone, no column holds the number, and the number still finds its person. Run
backwards, they open the numbers into the clear column again."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client, override_settings

from hukou_portal.people import id_vault
from hukou_portal.people.models import Person
from settlement.models import AccompanyingMember
from tests.helpers import make_office_tree, make_user, sign_in, valid_id_number
from tests.people.test_id_number_storage import assert_holds_no_number, raw_row

CLEAR = [("people", "0004_person_name_search_in_name_order"), ("settlement", "0002_default_documents")]
COLUMNS_ADDED = [("people", "0005_person_sealed_id_number_columns"), ("settlement", "0002_default_documents")]
KEY_AT_MIGRATE_TIME = "the-key-configured-when-migrate-runs-" + "m1gr4te" * 3


def migrate(targets):  # type: ignore[no-untyped-def]
    """Migrate to ``targets`` (all apps' leaves when None); the state's apps, for its models."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    executor.loader.build_graph()
    return executor.loader.project_state(targets or executor.loader.graph.leaf_nodes()).apps


def columns(table: str) -> set[str]:
    with connection.cursor() as cursor:
        return {column.name for column in connection.introspection.get_table_description(cursor, table)}


@pytest.fixture
def settlement_case(transactional_db):
    """A settlement case with an accompanying child, opened through the pages (sealed rows)."""
    from hukou_portal.accounts.roles import Role
    from hukou_portal.people.models import Town
    from hukou_portal.people.services import person_create
    from tests.settlement.test_settlement_cases import CHILD, NOW, open_rental_case

    offices = make_office_tree()
    officer = make_user(offices.yuehe, Role.COUNTER_OFFICER, username="officer")
    applicant = person_create(actor=officer, id_number=valid_id_number(), name="王小明")
    town = Town.objects.get(area__code="330502", name="月河街道")
    with time_machine.travel(NOW, tick=False):
        case = open_rental_case(
            sign_in(Client(), officer), applicant, town, family=[("小宝", CHILD, "child", "unmarried")]
        )
    yield offices, applicant, case, CHILD
    migrate(None)  # whatever happened, the database ends at the latest schema for the next test


def test_clear_rows_come_out_sealed_and_back(settlement_case):
    offices, applicant, case, child = settlement_case
    applicant_number = applicant.id_number

    # Backwards first: the sealed rows are opened into the clear column again.
    old = migrate(CLEAR)
    assert "id_number" in columns("people_person") and "id_number_sealed" not in columns("people_person")
    old_person = old.get_model("people", "Person")
    old_member = old.get_model("settlement", "AccompanyingMember")
    assert old_person.objects.get(pk=applicant.pk).id_number == applicant_number
    assert old_member.objects.get(application__case_id=case.pk).id_number == child

    # Rows written in clear, as before the change.
    written = [valid_id_number(birth_date=dt.date(1970, 1, 1) + dt.timedelta(days=400 * i)) for i in range(5)]
    clear_people = [
        old_person.objects.create(id_number=number, name=f"旧{i}", office_id=offices.zhili.pk)
        for i, number in enumerate(written)
    ]
    member_number = valid_id_number(birth_date=dt.date(2012, 2, 2), sequence=88)
    clear_member = old_member.objects.create(
        application_id=old_member.objects.get(application__case_id=case.pk).application_id,
        ref="m2",
        name="小二",
        id_number=member_number,
        relation="child",
        marital_status="unmarried",
    )

    with override_settings(ID_NUMBER_KEY=KEY_AT_MIGRATE_TIME, ID_NUMBER_RETIRED_KEYS=[]):
        migrate(None)
        assert "id_number" not in columns("people_person")
        assert "id_number" not in columns("settlement_accompanyingmember")
        for row, number in [*zip(clear_people, written, strict=True), (applicant, applicant_number)]:
            raw = raw_row("people_person", row.pk)
            assert_holds_no_number(raw, number)
            assert raw["id_number_key_id"] == id_vault.key_id(KEY_AT_MIGRATE_TIME)
            assert raw["origin_area"] == number[:6]  # people.0014, from the numbers 0006 sealed
            assert Person.objects.with_id_number(number).get().pk == row.pk
            assert Person.objects.get(pk=row.pk).id_number == number
        for member_pk, number in ((clear_member.pk, member_number),):
            assert_holds_no_number(raw_row("settlement_accompanyingmember", member_pk), number)
            assert AccompanyingMember.objects.get(pk=member_pk).id_number == number
        assert AccompanyingMember.objects.get(application__case=case, ref="m1").id_number == child


def test_sealing_again_seals_nothing_twice(settlement_case):
    """The data migration commits batch by batch; run again (after an interruption, or twice),
    it seals only what is left and leaves sealed rows as they are."""
    _offices, applicant, _case, _child = settlement_case
    state = migrate(COLUMNS_ADDED)
    model = state.get_model("people", "Person")
    using = connection.alias
    purpose = Person.ID_NUMBER_PURPOSE
    assert model.objects.filter(id_number_sealed__isnull=True).exists()
    sealed_first = id_vault.seal_clear_column(model, purpose=purpose, using=using, batch_size=1)
    assert sealed_first == model.objects.count()
    before = bytes(raw_row("people_person", applicant.pk)["id_number_sealed"])
    assert id_vault.seal_clear_column(model, purpose=purpose, using=using) == 0
    migrate(None)  # 0006 runs the same sealing: nothing left to do
    assert bytes(raw_row("people_person", applicant.pk)["id_number_sealed"]) == before
    assert Person.objects.get(pk=applicant.pk).id_number == applicant.id_number


def test_the_clear_column_is_not_dropped_while_a_row_is_unsealed(settlement_case):
    _offices, applicant, _case, _child = settlement_case
    migrate(CLEAR)
    state = migrate([("people", "0006_seal_person_id_numbers"), ("settlement", "0002_default_documents")])
    model = state.get_model("people", "Person")
    model.objects.filter(pk=applicant.pk).update(id_number_sealed=None)
    with pytest.raises(RuntimeError, match="not sealed yet"):
        migrate([("people", "0007_drop_clear_id_numbers")])
    assert "id_number" in columns("people_person")
    assert model.objects.get(pk=applicant.pk).id_number == applicant.id_number  # nothing was lost
    # What the error says to do: run migrate again (0006 seals what is left, then 0007 goes on).
    assert id_vault.seal_clear_column(model, purpose=Person.ID_NUMBER_PURPOSE, using=connection.alias) == 1
