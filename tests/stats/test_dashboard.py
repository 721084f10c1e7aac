"""The dashboard (E1): each figure against hand-counted rows, the records behind every number,
the JSON the charts are drawn from, the period picker's errors, scoping and who may read it."""

import csv
import datetime as dt
import io
import re

import openpyxl
import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hukou_portal.accounts.roles import Role
from hukou_portal.audit.models import AuditEvent
from hukou_portal.casework.models import Case, Decision, Status
from hukou_portal.people.models import Town
from hukou_portal.stats.dashboard import Figure
from hukou_portal.stats.models import PipelineSnapshot, PipelineSnapshotTaken, RollupState
from hukou_portal.stats.rollups import rollup_history, rollup_rebuild
from tests.helpers import make_user, sign_in, zh
from tests.stats.data import MARCH_31, SHANGHAI, at, make_case

pytestmark = pytest.mark.django_db

# "Now" for every test: June 2025, so March is wholly in the past.
NOW = dt.datetime(2025, 6, 2, 10, 0, tzinfo=SHANGHAI)
MARCH = {"period": "month", "on": "2025-03-15"}


def month(text: str) -> str:
    """A month column's heading as the dashboard writes it (2025年3月)."""
    year, number = map(int, text.split("-"))
    return zh("%(year)d-%(month)02d") % {"year": year, "month": number}


def short(text: str) -> str:
    """A month's heading among several months of one year (3月): the period names the year."""
    return zh("month %(month)d") % {"month": int(text.split("-")[1])}


@pytest.fixture(autouse=True)
def june():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def settlements(offices):
    """At 月河 in March 2025: two S1.2 approved (one at 23:30 on 31 March Beijing time), one S1.1
    refused; one S1.2 approved on 1 April at 00:10 (April's); at 南浔 one S1.2 approved."""
    made = [
        make_case(
            offices.yuehe,
            kind="settlement",
            category="rental",
            accepted_on=dt.date(2025, 3, 3),
            decided_at=at(dt.date(2025, 3, 14), 10),
            decision=Decision.APPROVED,
            deadline=dt.date(2025, 3, 31),
        ),
        make_case(
            offices.yuehe,
            kind="settlement",
            category="rental",
            accepted_on=dt.date(2025, 3, 3),
            decided_at=at(MARCH_31, 23, 30),
            decision=Decision.APPROVED,
            deadline=dt.date(2025, 3, 28),
        ),
        make_case(
            offices.yuehe,
            kind="settlement",
            category="own_home",
            accepted_on=dt.date(2025, 3, 10),
            decided_at=at(dt.date(2025, 3, 20), 16),
            decision=Decision.REJECTED,
            deadline=dt.date(2025, 4, 7),
        ),
        make_case(
            offices.yuehe,
            kind="settlement",
            category="rental",
            accepted_on=dt.date(2025, 3, 20),
            decided_at=at(dt.date(2025, 4, 1), 0, 10),
            decision=Decision.APPROVED,
            deadline=dt.date(2025, 4, 17),
        ),
        make_case(
            offices.nanxun_station,
            kind="settlement",
            category="rental",
            accepted_on=dt.date(2025, 3, 3),
            decided_at=at(dt.date(2025, 3, 12), 9),
            decision=Decision.APPROVED,
            deadline=dt.date(2025, 3, 31),
        ),
    ]
    # The first was completed (办结) on 17 March; the refused one had a request for documents (补正).
    Case.objects.filter(pk=made[0].pk).update(status=Status.COMPLETED, completed_at=at(dt.date(2025, 3, 17), 9))
    Case.objects.filter(pk=made[2].pk).update(supplement_requests=1)
    # Open at 月河, accepted in February and past its deadline since 10 March: overdue now.
    made.append(make_case(offices.yuehe, accepted_on=dt.date(2025, 2, 10), deadline=dt.date(2025, 3, 10)))
    return made


def client_for(user) -> Client:
    return sign_in(Client(), user)


def dashboard(user, **params):
    response = client_for(user).get(reverse("stats:dashboard"), params or MARCH)
    assert response.status_code == 200, response.content[:500]
    return {figure.slug: figure for figure in response.context["figures"]}


def cell(figure: Figure, row: str, column: str):
    [found] = [r for r in figure.rows if r.label == row]
    return found.cells[figure.columns.index(column)]


def _rolled_up_through(day: dt.date) -> None:
    rollup_rebuild(from_day=dt.date(2025, 3, 1), to_day=day)
    RollupState.objects.create(rolled_to=day)


@pytest.fixture
def rolled_up():
    """Rolled up through 1 June: only "today", 2 June, is read live."""
    _rolled_up_through(dt.date(2025, 6, 1))


@pytest.fixture(params=["rolled-up", "seam"])
def rolled(request):
    """Either every day of March rolled up, or — "now" being 2 April — rolled up through
    30 March and the days since read live: March's numbers are summed across the seam."""
    if request.param == "rolled-up":
        _rolled_up_through(dt.date(2025, 6, 1))
        yield request.param
    else:
        with time_machine.travel(dt.datetime(2025, 4, 2, 10, 0, tzinfo=SHANGHAI), tick=False):
            _rolled_up_through(dt.date(2025, 3, 30))
            yield request.param


def test_settlements_by_category_match_the_hand_count(users, march_data, settlements, rolled):
    figures = dashboard(users["yuehe"])
    approved, refused = figures["settlements-approved"], figures["settlements-rejected"]
    assert approved.columns == [month("2025-03"), zh("Total")]
    # 14 March and 31 March 23:30 Beijing time; the one decided at 00:10 on 1 April is April's.
    assert cell(approved, zh("S1.2 Rental home"), month("2025-03")).value == 2
    assert cell(approved, zh("S1.1 Legal stable residence"), month("2025-03")).value == 0
    assert cell(refused, zh("S1.1 Legal stable residence"), month("2025-03")).value == 1
    # The city sees 南浔's too; a quarter shows one column per month.
    city = dashboard(users["city"], period="quarter", on="2025-05-01")
    assert city["settlements-approved"].columns == [short("2025-04"), short("2025-05"), short("2025-06"), zh("Total")]
    assert cell(city["settlements-approved"], zh("S1.2 Rental home"), short("2025-04")).value == 1
    city_march = dashboard(users["city"])
    assert cell(city_march["settlements-approved"], zh("S1.2 Rental home"), zh("Total")).value == 3


def test_processing_by_kind_and_office_match_the_hand_count(users, offices, march_data, settlements, rolled):
    figures = dashboard(users["wuxing"])
    by_kind = figures["processing-by-kind"]
    settlement = zh("Settlement in an urban area (落户)")
    # Accepted in March: 4 settlements at 月河 (南浔 is not 吴兴's); decided in March: 3 of them.
    assert cell(by_kind, settlement, zh("Accepted")).value == 4
    assert cell(by_kind, settlement, zh("Decided")).value == 3
    assert cell(by_kind, settlement, zh("Approved")).value == 2
    assert cell(by_kind, settlement, zh("Refused")).value == 1
    # Completed (办结) in March: the one approved on 14 March, completed on the 17th.
    assert cell(by_kind, settlement, zh("Completed")).value == 1
    declaration = zh("Residence registration: declaration (居住登记申报)")
    assert cell(by_kind, declaration, zh("Overdue now")).value == 1

    timeliness = figures["timeliness-by-kind"]
    # Within the deadline: 14 March (≤ 31 March) and 20 March (≤ 7 April); not 31 March (> 28 March).
    assert cell(timeliness, settlement, zh("Decided within the deadline")).value == 2
    assert cell(timeliness, settlement, zh("Share within the deadline")).text == "66.7%"
    # 补正: the one refused on 20 March had a request for documents: 1 of 3.
    assert cell(timeliness, settlement, zh("Decided after a request for documents")).value == 1
    assert cell(timeliness, settlement, zh("Share with a request for documents")).text == "33.3%"
    # Working days: (3 Mar, 14 Mar] = 9, (10 Mar, 20 Mar] = 8, (3 Mar, 31 Mar] = 20 → median 9, p90 20.
    assert cell(timeliness, settlement, zh("Median working days")).value == 9
    assert cell(timeliness, settlement, zh("90th percentile working days")).value == 20

    by_office = figures["processing-by-office"]
    assert [row.label for row in by_office.rows] == [offices.yuehe.name, offices.zhili.name]
    assert cell(by_office, offices.zhili.name, zh("Accepted")).value == 1
    assert cell(by_office, offices.yuehe.name, zh("Accepted")).value == 8  # 4 march_data + 4 settlements
    assert cell(by_office, offices.yuehe.name, zh("Overdue now")).value == 1


def test_registrations_and_permits_match_the_hand_count(users, offices, march_data, rolled):
    figures = dashboard(users["yuehe"])
    registrations = figures["registrations"]
    assert cell(registrations, zh("Registrations started"), month("2025-03")).value == 2
    assert cell(registrations, zh("Registrations ended"), month("2025-03")).value == 1
    assert cell(registrations, zh("Net change"), month("2025-03")).text == "+1"
    assert cell(figures["permits"], zh("Permits issued"), month("2025-03")).value == 2
    by_town = figures["registrations-by-town"]
    assert cell(by_town, "月河街道", zh("Registrations started")).value == 2
    # The city, narrowed to another town: none of 月河's registrations.
    other = Town.objects.filter(area__code="330503").first()
    city = dashboard(users["city"], **MARCH, town=other.pk)
    assert [row.label for row in city["registrations-by-town"].rows] == [other.name]
    assert cell(city["registrations"], zh("Registrations started"), month("2025-03")).value == 1


def _linked_cells(figures):
    for figure in figures.values():
        for row in figure.rows:
            for column, found in zip(figure.columns, row.cells, strict=True):
                if found.url:
                    yield figure.slug, row.label, column, found


@pytest.mark.parametrize("who", ["yuehe", "wuxing", "city"])
def test_the_list_behind_every_number_has_exactly_that_many_rows(
    users, march_data, settlements, settlement_data, permit_data, rolled, who
):
    user = users[who]
    client = client_for(user)
    checked = 0
    for params in (MARCH, {"period": "quarter", "on": "2025-04-01"}):
        figures = dashboard(user, **params)
        for slug, label, column, found in _linked_cells(figures):
            if not found.url.startswith("/stats/records/"):
                continue  # the pipeline's people are the worklist's (tests/stats/test_pipeline.py)
            response = client.get(found.url)
            assert response.status_code == 200, (slug, label, column, found.url)
            page = response.context["table"].page
            assert not page.has_next(), found.url  # the fixture fits in one page
            assert len(list(page)) == found.value, (slug, label, column, found.url)
            checked += 1
    assert checked >= 20  # a fixture that links nothing would prove nothing


def test_a_zero_links_nowhere_and_the_records_follow_the_figures_scope(
    users, offices, march_data, settlements, rolled_up
):
    figures = dashboard(users["yuehe"])
    assert cell(figures["settlements-approved"], zh("S2 Joining relatives"), month("2025-03")).url == ""
    # 月河's supervisor never lists 南浔's case, even with no filter at all.
    response = client_for(users["yuehe"]).get(reverse("stats:records_cases"))
    offices_listed = {case.office_id for case in response.context["table"].page}
    assert offices_listed == {offices.yuehe.pk}


def test_the_json_holds_the_tables_numbers(users, march_data, settlements, rolled_up):
    client = client_for(users["wuxing"])
    page = client.get(reverse("stats:dashboard"), MARCH).context["figures"]
    data = client.get(reverse("stats:figures"), MARCH).json()
    assert [figure["slug"] for figure in data["figures"]] == [figure.slug for figure in page]
    for figure, json_figure in zip(page, data["figures"], strict=True):
        assert [[c["value"] for c in row["cells"]] for row in json_figure["rows"]] == [
            [c.value for c in row.cells] for row in figure.rows
        ]
    # One month: the categories along the axis, one dataset (the month), not stacked.
    approved = data["figures"][0]["chart"]
    assert approved["labels"][1] == zh("S1.2 Rental home") and approved["stacked"] is False
    [march] = approved["datasets"]
    assert march["label"] == month("2025-03") and march["data"][1] == 2
    assert march["urls"][1].startswith(reverse("stats:records_cases")) and march["urls"][0] == ""
    # A quarter: a stacked dataset per category over its three months.
    quarter = client.get(reverse("stats:figures"), {"period": "quarter", "on": "2025-03-01"}).json()
    chart = quarter["figures"][0]["chart"]
    assert chart["labels"] == [short("2025-01"), short("2025-02"), short("2025-03")] and chart["stacked"] is True
    rental = next(d for d in chart["datasets"] if d["label"] == zh("S1.2 Rental home"))
    assert rental["data"] == [0, 0, 2]
    one = client.get(reverse("stats:figures"), {**MARCH, "figure": "permits"}).json()
    assert [figure["slug"] for figure in one["figures"]] == ["permits"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"period": "custom", "date_from": "2025-03-01"}, "A custom range needs both its first and its last day."),
        (
            {"period": "custom", "date_from": "2025-03-01", "date_to": "2025-02-01"},
            "The first day of the range comes after its last day.",
        ),
        (
            {"period": "custom", "date_from": "2021-01-01", "date_to": "2025-02-01"},
            "A range covers at most %(months)d months; choose a shorter one or a year.",
        ),
        ({"period": "year", "on": "2026-02-01"}, "The period starts after today: there is nothing to count yet."),
    ],
)
def test_a_period_that_cannot_be_counted_says_why_in_chinese(users, params, message):
    client = client_for(users["yuehe"])
    response = client.get(reverse("stats:dashboard"), params)
    assert response.status_code == 400
    expected = zh(message) % {"months": 36} if "%(months)d" in message else zh(message)
    assert expected in response.content.decode()
    assert "figures" not in response.context
    assert client.get(reverse("stats:figures"), params).status_code == 400


def test_another_offices_area_is_refused(users, offices, march_data, rolled_up):
    client = client_for(users["wuxing"])
    response = client.get(reverse("stats:dashboard"), {**MARCH, "area": offices.nanxun_station.pk})
    assert response.status_code == 400 and "figures" not in response.context
    assert client.get(reverse("stats:figures"), {**MARCH, "area": offices.nanxun_station.pk}).status_code == 400
    records = client.get(reverse("stats:records_cases"), {"area": offices.nanxun_station.pk})
    assert records.status_code == 400 and len(list(records.context["table"].page)) == 0
    # Its own station is a valid area: only 月河's counts.
    yuehe = dashboard(users["wuxing"], **MARCH, area=offices.yuehe.pk)
    assert [row.label for row in yuehe["processing-by-office"].rows] == [
        zh("%(office)s (own cases)") % {"office": offices.yuehe.name}
    ]


@pytest.mark.parametrize("role", [Role.COUNTER_OFFICER, Role.AUDITOR, Role.SECURITY_ADMINISTRATOR])
def test_roles_without_the_statistics_are_refused(offices, role):
    client = client_for(make_user(offices.yuehe, role, username=f"no_stats_{role}"))
    for name in ("dashboard", "figures", "report", "records_cases", "records_registrations", "records_permits"):
        assert client.get(reverse(f"stats:{name}")).status_code == 403, name


def test_the_records_name_people_only_for_those_who_may_read_people(offices, users, march_data, settlements):
    url = reverse("stats:records_cases") + "?decided_from=2025-03-01&decided_to=2025-03-31"
    as_supervisor = client_for(users["yuehe"]).get(url).content.decode()
    applicant = settlements[0].applicant
    assert applicant.name in as_supervisor and applicant.masked_id_number in as_supervisor
    assert applicant.id_number not in as_supervisor
    assert reverse("casework:case_detail", args=[settlements[0].pk]) in as_supervisor

    admin = make_user(offices.yuehe, Role.ADMINISTRATOR, username="stats_admin")
    as_admin = client_for(admin).get(url)
    content = as_admin.content.decode()
    assert as_admin.status_code == 200 and settlements[0].reference in content
    assert applicant.name not in content and applicant.masked_id_number not in content
    assert reverse("casework:case_detail", args=[settlements[0].pk]) not in content


def test_the_dashboard_costs_a_fixed_number_of_queries(users, offices, march_data, settlements):
    """Whatever the rows behind it: the same queries for a year with more cases and offices."""
    _rolled_up_through(dt.date(2025, 6, 1))
    client = client_for(users["city"])
    year = {"period": "year", "on": "2025-01-01"}
    client.get(reverse("stats:dashboard"), year)  # the session's first read
    with CaptureQueriesContext(connection) as before:
        assert client.get(reverse("stats:dashboard"), year).status_code == 200
    for day in range(2, 20):
        decided = at(dt.date(2025, 4, day), 9)
        make_case(offices.zhili, accepted_on=dt.date(2025, 4, 1), decided_at=decided, decision=Decision.APPROVED)
        make_case(offices.nanxun_station, kind="settlement", category="talent", accepted_on=dt.date(2025, 4, 1))
    rollup_rebuild(from_day=dt.date(2025, 4, 1), to_day=dt.date(2025, 4, 30))
    with CaptureQueriesContext(connection) as after:
        assert client.get(reverse("stats:dashboard"), year).status_code == 200
    assert len(after) == len(before) <= 40


def test_the_printable_report_holds_every_figure(users, march_data, settlements, rolled_up):
    response = client_for(users["wuxing"]).get(reverse("stats:report"), MARCH)
    content = response.content.decode()
    assert response.status_code == 200
    for slug in ("settlements-approved", "processing-by-kind", "registrations", "permits"):
        assert f'data-testid="figure-{slug}"' in content
    assert "data-print" in content and not re.search(r"<script>(?!</script>)", content)


def _read_csv(content: bytes) -> list[list[str]]:
    assert content.startswith("\ufeff".encode()), "the BOM lets Excel read the file as UTF-8"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_a_figure_exports_as_its_table_in_csv_and_xlsx(users, offices, march_data, settlements, rolled_up):
    client = client_for(users["wuxing"])
    figure = dashboard(users["wuxing"])["processing-by-office"]
    url = reverse("stats:figure_download", args=["processing-by-office", "csv"])
    response = client.get(url, MARCH)
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    rows = _read_csv(response.content)
    assert rows[0] == [figure.title, *figure.columns]
    yuehe = next(row for row in rows if row[0] == offices.yuehe.name)
    assert yuehe[1] == "8" and yuehe[figure.columns.index(zh("Share within the deadline")) + 1].endswith("%")

    book = openpyxl.load_workbook(io.BytesIO(client.get(url.replace(".csv", ".xlsx"), MARCH).content), read_only=True)
    sheet = [list(row) for row in book.active.iter_rows(values_only=True)]
    assert sheet[0] == [figure.title, *figure.columns]
    assert next(row for row in sheet if row[0] == offices.yuehe.name)[1] == 8  # a number, not text

    event = AuditEvent.objects.filter(action="export.downloaded").latest("id")
    assert event.actor == users["wuxing"] and event.new_values["kind"] == "statistics"
    assert event.new_values["rows"] == len(rows) - 1 and figure.title in event.new_values["filters"]
    assert client.get(reverse("stats:figure_download", args=["no-such-figure", "csv"]), MARCH).status_code == 404
    # Another office's area: refused, nothing exported, nothing more audited.
    before = AuditEvent.objects.filter(action="export.downloaded").count()
    refused = client.get(url, {**MARCH, "area": offices.nanxun_station.pk})
    assert refused.status_code == 302 and AuditEvent.objects.filter(action="export.downloaded").count() == before


def test_an_office_named_like_a_formula_is_escaped_in_the_figure_export(
    users, offices, march_data, settlements, rolled_up
):
    offices.zhili.name = "=HYPERLINK(1)"
    offices.zhili.save(update_fields=["name"])
    url = reverse("stats:figure_download", args=["processing-by-office", "csv"])
    rows = _read_csv(client_for(users["wuxing"]).get(url, MARCH).content)
    assert "'=HYPERLINK(1)" in [row[0] for row in rows]


def test_the_records_behind_a_number_export_with_that_many_rows(offices, users, march_data, settlements, rolled_up):
    figure = dashboard(users["wuxing"])["processing-by-kind"]
    found = cell(figure, zh("Settlement in an urban area (落户)"), zh("Decided"))
    query = found.url.split("?", 1)[1]
    client = client_for(users["wuxing"])
    rows = _read_csv(
        b"".join(client.get(f"{reverse('stats:export', args=['figure-cases', 'csv'])}?{query}").streaming_content)
    )
    assert len(rows) - 1 == found.value == 3
    assert zh("Applicant") in rows[0]
    # A supervisor may read full ID numbers: the export shows them (and its audit event says so).
    numbers = {row[rows[0].index(zh("Citizen ID number"))]: row[rows[0].index(zh("Case number"))] for row in rows[1:]}
    by_case = {case.reference: case.applicant.id_number for case in Case.objects.filter(reference__in=numbers.values())}
    assert numbers == {number: reference for reference, number in by_case.items()}
    assert AuditEvent.objects.filter(action="export.downloaded").latest("id").new_values["full_id_numbers"] is True
    # An administrator reads the figures, never the people behind them.
    admin = client_for(make_user(offices.wuxing, Role.ADMINISTRATOR, username="stats_admin2"))
    rows = _read_csv(
        b"".join(admin.get(f"{reverse('stats:export', args=['figure-cases', 'csv'])}?{query}").streaming_content)
    )
    assert len(rows) - 1 == 3 and zh("Applicant") not in rows[0] and zh("Citizen ID number") not in rows[0]
    # A counter officer may not read the statistics: no export of them either.
    officer = client_for(make_user(offices.yuehe, Role.COUNTER_OFFICER, username="stats_officer"))
    assert officer.get(reverse("stats:export", args=["figure-cases", "csv"])).status_code == 403
    assert officer.get(reverse("stats:figure_download", args=["permits", "csv"])).status_code == 403


def test_days_not_rolled_up_are_named_not_read_live_one_by_one(users, offices):
    """No rollup yet: only the last seven days are read from the base tables; the days before
    are named as missing. After ``stats_rollup --from`` they are counted and the state follows."""
    make_case(offices.yuehe, accepted_on=dt.date(2025, 2, 10))  # long before "now" (2 June)
    make_case(offices.yuehe, accepted_on=dt.date(2025, 5, 30))  # within the last seven days
    declaration = zh("Residence registration: declaration (居住登记申报)")
    params = {"period": "year", "on": "2025-01-01"}
    client = client_for(users["yuehe"])
    response = client.get(reverse("stats:dashboard"), params)
    figures = {figure.slug: figure for figure in response.context["figures"]}
    assert cell(figures["processing-by-kind"], declaration, zh("Accepted")).value == 1
    assert response.context["missing"] == (dt.date(2025, 1, 1), dt.date(2025, 5, 26))
    assert "python manage.py stats_rollup --from 2025-01-01" in response.content.decode()
    assert client.get(reverse("stats:figures"), params).json()["missing"] == ["2025-01-01", "2025-05-26"]

    call_command("stats_rollup", "--from", "2025-01-01", stdout=io.StringIO())
    assert RollupState.objects.get().rolled_to == dt.date(2025, 6, 1)
    response = client.get(reverse("stats:dashboard"), params)
    figures = {figure.slug: figure for figure in response.context["figures"]}
    assert cell(figures["processing-by-kind"], declaration, zh("Accepted")).value == 2
    assert response.context["missing"] is None


def test_rolling_up_history_never_calls_a_gap_complete(offices):
    RollupState.objects.create(rolled_to=dt.date(2025, 3, 31))
    rollup_history(from_day=dt.date(2025, 5, 1), through=dt.date(2025, 5, 31))  # April is missing
    assert RollupState.objects.get().rolled_to == dt.date(2025, 3, 31)
    rollup_history(from_day=dt.date(2025, 4, 1), through=dt.date(2025, 5, 31))  # joins: complete
    assert RollupState.objects.get().rolled_to == dt.date(2025, 5, 31)


def test_the_pipeline_sets_who_may_soon_apply_beside_who_applied(users, offices, march_data, settlements, rolled_up):
    """The night of 1 June: at 月河 three permit holders reach N1 in July and two tenants N2 in
    August (南浔's one is not 吴兴's); S1.2 applications accepted from 4 March to 1 June: one."""
    night = dt.date(2025, 6, 1)
    PipelineSnapshotTaken.objects.create(day=night, taken_at=NOW)
    for office, milestone, month_day, people in (
        (offices.yuehe, "n1", dt.date(2025, 7, 1), 3),
        (offices.yuehe, "n2", dt.date(2025, 8, 1), 2),
        (offices.nanxun_station, "n1", dt.date(2025, 7, 1), 5),
    ):
        PipelineSnapshot.objects.create(day=night, office=office, milestone=milestone, month=month_day, people=people)
    figure = dashboard(users["wuxing"])["pipeline"]
    # (1 June, 30 August]: June, July, August.
    assert figure.columns[:3] == [short("2025-06"), short("2025-07"), short("2025-08")]
    n1, n2 = figure.rows
    assert [c.value for c in n1.cells] == [0, 3, 0, 3, 0]
    assert [c.value for c in n2.cells] == [0, 0, 2, 2, 1]
    # The people behind "next 90 days": the worklist, for a supervisor of the area's own office.
    assert n1.cells[3].url == reverse("notifications:worklist") + "?days=90"
    applied = client_for(users["wuxing"]).get(n2.cells[4].url)
    assert len(list(applied.context["table"].page)) == 1
    # An administrator reads the numbers, not the people: no link to the worklist.
    admin = make_user(offices.wuxing, Role.ADMINISTRATOR, username="pipeline_admin")
    assert dashboard(admin)["pipeline"].rows[0].cells[3].url == ""


def test_without_a_snapshot_the_pipeline_says_so(users, rolled_up):
    figure = dashboard(users["yuehe"])["pipeline"]
    assert figure.rows == [] and figure.note == zh(
        "No nightly snapshot yet: the figure appears after the first night of the statistics job."
    )


def test_the_analyst_reads_the_figures_and_the_records_without_names(
    offices, users, march_data, settlements, rolled_up
):
    analyst = make_user(offices.wuxing, Role.STATISTICIAN, username="wuxing_analyst_t")
    figures = dashboard(analyst)
    found = cell(figures["processing-by-kind"], zh("Settlement in an urban area (落户)"), zh("Decided"))
    assert found.value == 3
    client = client_for(analyst)
    content = client.get(found.url).content.decode()
    assert settlements[0].reference in content and settlements[0].applicant.name not in content
    assert reverse("casework:case_detail", args=[settlements[0].pk]) not in content
    query = found.url.split("?", 1)[1]
    exported = b"".join(
        client.get(f"{reverse('stats:export', args=['figure-cases', 'xlsx'])}?{query}").streaming_content
    )
    book = openpyxl.load_workbook(io.BytesIO(exported), read_only=True)
    header, *rows = list(book.active.iter_rows(values_only=True))
    assert len(rows) == 3 and zh("Applicant") not in header and zh("Citizen ID number") not in header
    # 南浔 is not the 吴兴 analyst's: refused as an area.
    assert client.get(reverse("stats:dashboard"), {**MARCH, "area": offices.nanxun.pk}).status_code == 400


def test_settled_people_and_permits_match_the_hand_count(users, offices, settlement_data, permit_data, rolled):
    """settlement_data and permit_data of tests/stats/conftest.py, as the dashboard shows them."""
    yuehe = dashboard(users["yuehe"])
    settled = yuehe["settled-by-household"]
    # Two placed in a family household on 31 March (the host recorded with them is no settlement);
    # the one from outside Huzhou joined an employer collective household on 1 April: April's.
    assert cell(settled, zh("Family household"), month("2025-03")).value == 2
    assert cell(settled, zh("Employer collective household"), month("2025-03")).value == 0
    permits = yuehe["permits"]
    assert cell(permits, zh("Permits issued"), month("2025-03")).value == 1  # the replacement is no new permit
    assert cell(permits, zh("of them by conversion (R3.1)"), month("2025-03")).value == 1
    assert cell(permits, zh("Endorsements (签注)"), month("2025-03")).value == 1
    assert cell(permits, zh("Permits lapsed (endorsement overdue)"), month("2025-03")).value == 3
    # The city sees 南浔's community collective household too.
    city = dashboard(users["city"])["settled-by-household"]
    assert cell(city, zh("Community public collective household"), month("2025-03")).value == 1
    records = client_for(users["yuehe"]).get(cell(settled, zh("Family household"), month("2025-03")).url)
    assert len(list(records.context["table"].page)) == 2


def test_inflow_by_origin_matches_the_hand_count(users, offices, march_data):
    """月河 started two registrations in March: one person's number was issued in 合肥 (3401), the
    other's in Huzhou; the drill-down by origin lists each."""
    from hukou_portal.people.models import Person
    from registration.models import ResidenceRegistration

    started = ResidenceRegistration.objects.filter(case__office=offices.yuehe, started_on__month=3)
    assert started.count() == 2
    Person.objects.filter(pk=started.order_by("pk").first().person_id).update(origin_area="340104")
    _rolled_up_through(dt.date(2025, 6, 1))
    figure = dashboard(users["yuehe"])["inflow-by-origin"]
    assert [(row.label, row.cells[0].value, row.cells[1].text) for row in figure.rows] == [
        ("浙江省 · 湖州市", 1, "50%"),  # a tie: by code
        ("安徽省 · 合肥市", 1, "50%"),
    ]
    client = client_for(users["yuehe"])
    for row in figure.rows:
        assert len(list(client.get(row.cells[0].url).context["table"].page)) == 1
    # A forged origin is refused by the list, not a server error.
    refused = client.get(reverse("stats:records_registrations"), {"origin": "34' OR 1=1"})
    assert refused.status_code == 400
    assert zh("An origin is the first four digits of an area code.") in refused.content.decode()
