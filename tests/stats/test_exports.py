"""Exports of the lists: read back (CSV with its BOM, XLSX with openpyxl) and compared with the
database; formula cells escaped; masked or full ID numbers by permission; office scope and forged
filters; the rate limit; the audit event with its row count; the export command."""

import csv
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.test import Client

from hukou_portal.accounts.roles import Role
from hukou_portal.audit.models import AuditEvent
from hukou_portal.casework.models import Case
from hukou_portal.people import id_numbers
from hukou_portal.people.models import Person
from permits.models import ResidencePermit
from registration.models import LeaseFiling, ResidenceRegistration
from tests.core import list_data
from tests.helpers import make_user, sign_in, zh


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode()), "the BOM lets Excel read the file as UTF-8"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def _xlsx(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [["" if value is None else value for value in row] for row in book.active.iter_rows(values_only=True)]


def _exported(**new) -> AuditEvent:
    events = list(AuditEvent.objects.filter(action="export.downloaded").order_by("-id"))
    assert events, "the export is audited"
    return events[0]


@pytest.fixture
def yuehe_data(staff, offices):
    list_data.populate(offices.yuehe, staff.officer, 4)
    return offices.yuehe


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_people_export_matches_the_database(staff, offices, yuehe_data, file_format):
    list_data.people(offices.nanxun_station, 2, name="南浔人")  # another county's people
    client = sign_in(Client(), staff.supervisor)
    response = client.get(f"/stats/export/people.{file_format}")
    header, *rows = _csv(response) if file_format == "csv" else _xlsx(response)
    assert header == [
        zh("Name", "person"),
        zh("Citizen ID number"),
        zh("Sex"),
        zh("Date of birth"),
        zh("Mobile number"),
        zh("Recorded by office"),
        zh("Recorded at"),
    ]
    people = list(Person.objects.filter(office=offices.yuehe).order_by("-created_at", "-id"))
    assert [row[0] for row in rows] == [person.name for person in people]
    # A supervisor may see full numbers: the export holds them, and the dates read YYYY-MM-DD.
    assert [row[1] for row in rows] == [person.id_number for person in people]
    assert [row[3] for row in rows] == [person.birth_date.isoformat() for person in people]
    assert {row[5] for row in rows} == {"月河派出所"}
    assert all(row[2] in (zh("Male"), zh("Female")) for row in rows)
    assert not any(cell in ("None", "True", "False") for row in rows for cell in row)
    event = _exported()
    assert event.actor == staff.supervisor
    assert event.new_values["rows"] == len(people) and event.new_values["complete"] is True
    assert event.new_values["format"] == file_format.upper() and event.new_values["full_id_numbers"] is True


def test_without_the_permission_the_numbers_are_masked(staff, offices, yuehe_data):
    auditor_like = make_user(offices.yuehe, Role.COUNTER_OFFICER, username="masked")
    auditor_like.groups.clear()
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.create(name="people readers without full numbers")
    group.permissions.add(Permission.objects.get(codename="view_person", content_type__app_label="people"))
    auditor_like.groups.add(group)
    _header, *rows = _csv(sign_in(Client(), auditor_like).get("/stats/export/people.csv"))
    people = list(Person.objects.filter(office=offices.yuehe).order_by("-created_at", "-id"))
    assert [row[1] for row in rows] == [id_numbers.mask(person.id_number) for person in people]
    assert all("********" in row[1] for row in rows)
    event = _exported()
    assert event.new_values["full_id_numbers"] is False
    assert not any(person.id_number in str(event.new_values) for person in people)


def test_a_formula_in_a_name_is_escaped_in_csv_and_xlsx(staff, offices):
    [person] = list_data.people(offices.yuehe, 1)
    Person.objects.filter(pk=person.pk).update(name='=HYPERLINK("http://x","y")')
    client = sign_in(Client(), staff.officer)
    _header, row = _csv(client.get("/stats/export/people.csv"))
    assert row[0] == '\'=HYPERLINK("http://x","y")'
    _header, row = _xlsx(client.get("/stats/export/people.xlsx"))
    assert row[0] == '\'=HYPERLINK("http://x","y")'
    # ... and the cell is a string, not a formula.
    raw = client.get("/stats/export/people.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(b"".join(raw.streaming_content)))
    cell = book.active["A2"]
    assert cell.data_type == "s" and cell.value.startswith("'=")


@pytest.mark.parametrize(
    ("kind", "model", "count_filter"),
    [
        ("cases", Case, {"office__code": "33050201"}),
        ("registrations", ResidenceRegistration, {"person__office__code": "33050201"}),
        ("lease-filings", LeaseFiling, {"office__code": "33050201"}),
        ("permits", ResidencePermit, {"office__code": "33050201"}),
    ],
)
def test_each_list_exports_its_rows_in_words(staff, offices, yuehe_data, kind, model, count_filter):
    list_data.populate(
        offices.nanxun_station, make_user(offices.nanxun_station, Role.COUNTER_OFFICER, username="nx"), 3
    )
    client = sign_in(Client(), staff.supervisor)
    query = {"queue": "all"} if kind == "cases" else {}
    header, *rows = _csv(client.get(f"/stats/export/{kind}.csv", query))
    assert len(rows) == model.objects.filter(**count_filter).count() > 0
    assert all(len(row) == len(header) for row in rows)
    assert not any(cell in ("None", "True", "False") for row in rows for cell in row)
    _header, *xlsx_rows = _xlsx(client.get(f"/stats/export/{kind}.xlsx", query))
    assert xlsx_rows == rows
    assert _exported().new_values["rows"] == len(rows)


def test_the_case_export_honours_the_queue_and_filters(staff, offices, yuehe_data):
    client = sign_in(Client(), staff.supervisor)
    _header, *rows = _csv(client.get("/stats/export/cases.csv", {"queue": "all", "status": "completed"}))
    expected = Case.objects.filter(office=offices.yuehe, status="completed").order_by("-id")
    assert [row[0] for row in rows] == [case.reference for case in expected]
    assert {row[7] for row in rows} == {zh("Completed")}
    filters = _exported().new_values["filters"]
    assert zh("All cases") in filters and zh("Completed") in filters


def test_another_office_filter_is_refused_and_exports_nothing(staff, offices, yuehe_data):
    list_data.people(offices.nanxun_station, 2, name="南浔人")
    client = sign_in(Client(), staff.officer)
    response = client.get("/stats/export/people.csv", {"office": offices.nanxun_station.pk})
    assert response.status_code == 302 and "/people/" in response["Location"]
    assert not AuditEvent.objects.filter(action="export.downloaded").exists()
    # Without the forged filter, still only the user's own offices.
    _header, *rows = _csv(client.get("/stats/export/people.csv"))
    assert not any(row[0].startswith("南浔人") for row in rows)


def test_a_county_bureau_exports_its_stations_but_not_a_sibling(staff, offices, yuehe_data):
    list_data.people(offices.zhili, 1, name="织里人")
    list_data.people(offices.nanxun_station, 1, name="南浔人")
    county = make_user(offices.wuxing, Role.SUPERVISOR, username="wuxing_supervisor")
    _header, *rows = _csv(sign_in(Client(), county).get("/stats/export/people.csv"))
    names = {row[0] for row in rows}
    assert any(name.startswith("织里人") for name in names)
    assert not any(name.startswith("南浔人") for name in names)


def test_only_the_auditor_exports_the_trail(staff, offices, yuehe_data):
    for role in ("officer", "supervisor", "admin"):
        assert sign_in(Client(), getattr(staff, role)).get("/stats/export/audit.csv").status_code == 403
    _header, *rows = _csv(sign_in(Client(), staff.auditor).get("/stats/export/audit.csv"))
    assert rows
    # The auditor reads the trail but no list of people or cases.
    auditor = sign_in(Client(), staff.auditor)
    for kind in ("people", "cases", "permits", "registrations", "lease-filings", "households"):
        assert auditor.get(f"/stats/export/{kind}.csv").status_code == 403


def test_anonymous_and_unknown_kinds(staff):
    assert Client().get("/stats/export/people.csv").status_code == 302
    client = sign_in(Client(), staff.officer)
    assert client.get("/stats/export/users.csv").status_code == 404
    assert client.get("/stats/export/people.pdf").status_code == 404


def test_exports_are_rate_limited_per_user(staff, offices, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "export": "2/min"}
    client = sign_in(Client(), staff.officer)
    for _ in range(2):
        _csv(client.get("/stats/export/people.csv"))
    response = client.get("/stats/export/people.xlsx")
    assert response.status_code == 429
    assert "秒" in response.content.decode() and response["Retry-After"]
    assert AuditEvent.objects.filter(action="export.downloaded").count() == 2
    # Another user has their own count.
    _csv(sign_in(Client(), staff.supervisor).get("/stats/export/people.csv"))


def test_an_interrupted_stream_is_audited_as_failed_with_the_rows_sent(staff, offices, monkeypatch):
    from hukou_portal.stats import exports

    monkeypatch.setattr(exports, "ROWS_PER_WRITE", 1)
    list_data.people(offices.yuehe, 5)
    response = sign_in(Client(), staff.officer).get("/stats/export/people.csv")
    stream = response.streaming_content
    next(stream)  # the header
    next(stream)  # one row
    # The client went away: the server closes the response, and so the generator. (Through the
    # test client's own closing wrapper, which keeps the test's database connection open.)
    response._iterator.close()
    event = _exported()
    assert event.outcome == "failed" and event.new_values["complete"] is False
    assert 1 <= event.new_values["rows"] < 5


def test_the_export_buttons_carry_the_filters(staff, offices, yuehe_data):
    client = sign_in(Client(), staff.officer)
    page = client.get("/people/", {"q": "测试"}).content.decode()
    assert "/stats/export/people.csv?q=" in page and "/stats/export/people.xlsx?q=" in page
    assert zh("Export CSV") in page
    page = client.get("/cases/queue/mine/").content.decode()
    assert "/stats/export/cases.csv?queue=mine" in page
    # Nobody sees a button for a list they may not export.
    assert "/stats/export/" not in sign_in(Client(), staff.admin).get("/").content.decode()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_command_writes_the_file_prints_the_count_and_is_audited(staff, offices, yuehe_data, tmp_path, file_format):
    list_data.people(offices.nanxun_station, 3, name="南浔人")
    out = tmp_path / f"people.{file_format}"
    printed = io.StringIO()
    call_command("export", "people", "--format", file_format, "--office", "33050301", "--out", str(out), stdout=printed)
    assert printed.getvalue().strip() == "3"
    if file_format == "csv":
        rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    else:
        rows = [list(row) for row in openpyxl.load_workbook(out, read_only=True).active.iter_rows(values_only=True)]
    assert len(rows) == 4 and all(row[0].startswith("南浔人") for row in rows[1:])
    event = AuditEvent.objects.filter(action="export.written").latest("id")
    assert event.actor is None and event.new_values["rows"] == 3
    assert "--office 33050301" in event.new_values["arguments"]
    assert "南浔派出所" in event.new_values["filters"]


def test_the_command_bounds_by_dates_and_refuses_bad_input(staff, offices, yuehe_data, tmp_path):
    from django.core.management.base import CommandError

    out = tmp_path / "permits.csv"
    printed = io.StringIO()
    permits = ResidencePermit.objects.order_by("issued_on")
    first = permits.first().issued_on
    call_command(
        "export",
        "permits",
        "--format",
        "csv",
        "--from",
        first.isoformat(),
        "--to",
        first.isoformat(),
        "--out",
        str(out),
        stdout=printed,
    )
    assert int(printed.getvalue()) == ResidencePermit.objects.filter(issued_on=first).count()
    with pytest.raises(CommandError):
        call_command("export", "people", "--format", "csv", "--office", "999999", "--out", str(out))
    with pytest.raises(CommandError):
        call_command("export", "people", "--format", "csv", "--from", "2026-13-01", "--out", str(out))


def test_the_export_event_keeps_the_lists_name_and_reads_it_in_chinese(staff, offices, yuehe_data):
    """The trail keeps which list was exported as its name, whatever the exporter's language,
    and the auditor reads it in words."""
    from django.utils import translation

    from hukou_portal.audit.labels import event_changes

    client = sign_in(Client(), staff.officer)
    _csv(client.get("/stats/export/lease-filings.csv", HTTP_ACCEPT_LANGUAGE="en"))
    event = _exported()
    assert event.new_values["kind"] == "lease-filings"
    with translation.override("zh-hans"):
        rows = {str(row.label): row for row in event_changes(event)}
    assert zh("List exported") in rows
    assert zh("Lease filings") in rows[zh("List exported")].after
    assert "lease-filings" not in rows[zh("List exported")].after
