"""The people export's quick path (``kinds._person_reader``: tuples, not model instances) gives
exactly the cells of its columns, whatever the rows, the sort and the user's right to full
numbers; and the export's transaction reads its cursor to the end (``read_whole_result``)."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.http import QueryDict
from django.test import Client
from django.utils import timezone

from hukou_portal.accounts.models import User
from hukou_portal.accounts.roles import Role
from hukou_portal.people.models import Person
from hukou_portal.people.services import person_create
from hukou_portal.stats import exports
from hukou_portal.stats.exports import Export
from hukou_portal.stats.kinds import Scope, export_kind
from tests.core import list_data
from tests.helpers import make_user, sign_in, valid_id_number, zh


class _Request:
    def __init__(self, user: User) -> None:
        self.user = user


def _both_ways(user: User, *, full: bool, query: str = "") -> tuple[list[list[str]], list[list[str]]]:
    """The people export's cells read through its reader, and through its columns alone."""
    spec = export_kind("people")
    assert spec is not None and spec.reader is not None
    scope = Scope(user=user, full_id_numbers=full, today=timezone.localdate())
    params = QueryDict(query)
    bound = spec.bind(scope, params, _Request(user))
    assert not bound.is_bound or bound.is_valid()
    rows = spec.ordered(bound.filtered(), params)
    quick = spec.export(scope, rows)
    assert quick.reader is not None
    plain = Export(columns=spec.columns(scope), rows=rows)
    return list(quick.cells()), list(plain.cells())


@pytest.fixture
def awkward_people(staff, offices):
    """People whose cells test the quick path: formula starts in the name and the mobile number,
    a recording time whose Shanghai day is not its UTC day, both sexes, and an empty mobile."""
    people = list_data.people(offices.yuehe, 6)  # men (an odd sequence)
    people.append(
        person_create(
            actor=staff.officer,
            id_number=valid_id_number(birth_date=dt.date(1970, 12, 31), sequence=2),
            name="测试女",
            mobile="13900000000",
        )
    )
    Person.objects.filter(pk=people[0].pk).update(name='=HYPERLINK("http://x","y")', mobile="")
    Person.objects.filter(pk=people[1].pk).update(name="-1+1", mobile="+1380000000")
    Person.objects.filter(pk=people[2].pk).update(
        name="@SUM(A1)", created_at=dt.datetime(2026, 1, 31, 16, 30, tzinfo=dt.UTC)
    )
    Person.objects.filter(pk=people[3].pk).update(name="\t制表", mobile="13800000000")
    list_data.people(offices.nanxun_station, 2, name="南浔人")  # another county's: left out
    return people


@pytest.mark.parametrize("full", [True, False])
@pytest.mark.parametrize(("query", "count"), [("", 7), ("sort=name", 7), ("sort=-recorded", 7), ("q=测试", 3)])
def test_the_reader_gives_exactly_the_cells_of_the_columns(staff, offices, awkward_people, full, query, count):
    quick, plain = _both_ways(staff.supervisor, full=full, query=query)
    assert quick == plain
    assert len(quick) == count  # the search keeps the three names still starting with 测试
    assert all(("********" in row[1]) != full for row in quick)
    if query.startswith("q="):
        return
    by_name = {row[0]: row for row in quick}
    assert '\'=HYPERLINK("http://x","y")' in by_name and "'-1+1" in by_name and "'\t制表" in by_name
    assert by_name["'-1+1"][4] == "'+1380000000"
    assert by_name["'@SUM(A1)"][6] == "2026-02-01 00:30"  # Asia/Shanghai, not UTC
    assert by_name["测试女"][2:4] == [zh("Female"), "1970-12-31"]
    assert {row[2] for row in quick} == {zh("Male"), zh("Female")}


def test_the_reader_keeps_the_office_scope(staff, offices, awkward_people):
    """Another county's supervisor exports their own two people, not 月河's."""
    nanxun = make_user(offices.nanxun_station, Role.SUPERVISOR, username="nanxun_supervisor")
    quick, plain = _both_ways(nanxun, full=True)
    assert quick == plain
    assert len(quick) == 2 and all(row[0].startswith("南浔人") for row in quick)


def test_a_number_that_does_not_open_fails_the_export_as_before(staff, offices, awkward_people):
    """A ciphertext copied to another row does not open by either path (GCM binds it to its row)."""
    first, second = awkward_people[4], awkward_people[5]
    Person.objects.filter(pk=second.pk).update(id_number_sealed=first.id_number_sealed)
    from hukou_portal.people.id_vault import IdNumberUnreadable

    with pytest.raises(IdNumberUnreadable):
        _both_ways(staff.supervisor, full=True)
    spec = export_kind("people")
    scope = Scope(user=staff.supervisor, full_id_numbers=True, today=timezone.localdate())
    rows = spec.ordered(spec.bind(scope, QueryDict(), _Request(staff.supervisor)).filtered(), QueryDict())
    with pytest.raises(IdNumberUnreadable):
        list(Export(columns=spec.columns(scope), rows=rows).cells())


def test_the_download_runs_a_fixed_number_of_queries(staff, offices, django_assert_max_num_queries):
    """The rows are read as tuples with their office's name: no query per row or per chunk of rows."""
    list_data.people(offices.yuehe, 30)
    client = sign_in(Client(), staff.supervisor)
    with django_assert_max_num_queries(30) as small:
        b"".join(client.get("/stats/export/people.csv").streaming_content)
    list_data.people(offices.yuehe, 120)
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = b"".join(client.get("/stats/export/people.csv").streaming_content)
    assert body.count(b"\n") == 1 + 150


def test_the_export_reads_its_cursor_to_the_end_and_the_setting_ends_with_it(transactional_db):
    def fraction() -> float:
        with connection.cursor() as cursor:
            cursor.execute("SHOW cursor_tuple_fraction")
            return float(cursor.fetchone()[0])

    default = fraction()
    assert default < 1
    with transaction.atomic():
        exports.read_whole_result()
        assert fraction() == 1.0
    assert fraction() == default
