"""The reform pipeline (E1): permits (N1) and lease filings (N2) reaching their milestone in the
90 days after a snapshot night, per office and month, against the settlements applied for under
S5.1 and S1.2 in the 90 days before it — hand-counted, scoped, replaced, pruned, taken nightly."""

import datetime as dt
import itertools
from collections import Counter

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from hukou_portal.accounts.roles import Role
from hukou_portal.accounts.selectors import office_visible_ids
from hukou_portal.casework.models import Case, Status
from hukou_portal.notifications.selectors import (
    MILESTONE_PARAMETERS,
    filings_reaching_filing_period,
    parameter_history_until,
    permits_reaching_holding_period,
)
from hukou_portal.people.models import Person, Town
from hukou_portal.rules.services import parameter_schedule
from hukou_portal.stats.models import PipelineSnapshot, PipelineSnapshotTaken, RollupState
from hukou_portal.stats.pipeline import Pipeline, pipeline, snapshot_pipeline
from hukou_portal.stats.rollups import rollup_rebuild
from hukou_portal.stats.tasks import rollup_days_task
from permits.models import ResidencePermit
from settlement.models import HukouEntry
from tests.helpers import make_user, sign_in
from tests.notifications.conftest import at, make_permit
from tests.notifications.test_sweep_parameters import filing, tenant

D = dt.date
DAY = D(2026, 9, 15)  # the snapshot night: the window is (15 Sep, 14 Dec]
SEP, OCT, NOV, DEC = D(2026, 9, 1), D(2026, 10, 1), D(2026, 11, 1), D(2026, 12, 1)
_serial = itertools.count(1)


def case(person: Person, office, *, category: str, accepted_on: dt.date | None, **fields) -> Case:  # type: ignore[no-untyped-def]
    return Case.objects.create(
        reference=f"HZ-PIPE-2026-{next(_serial):06d}",
        kind=fields.pop("kind", "settlement"),
        category=category,
        applicant=person,
        office=office,
        status=fields.pop("status", Status.IN_REVIEW),
        clock_started_on=accepted_on,
        **fields,
    )


def settled(person: Person, office) -> None:  # type: ignore[no-untyped-def]
    """A hukou in Huzhou, written by a completed case accepted long before the window."""
    done = case(person, office, category="rental", accepted_on=D(2026, 2, 2), status=Status.COMPLETED)
    HukouEntry.objects.create(
        person=person,
        household_type="collective",
        town=Town.objects.get(area__code="330502", name="月河街道"),
        address="红旗路 9 号",
        clause="S1.2",
        registered_on=D(2026, 3, 1),
        case=done,
    )


@pytest.fixture
def pipeline_world(world):
    """Hand-counted permits, lease filings and settlement cases around the night of 15 Sep 2026.

    6 months (both parameters' defaults). 月河街道 is 月河派出所's, 南浔镇 南浔派出所's; 朝阳街道
    has no station, so 吴兴分局 answers for it."""
    offices, officer = world
    nanxun_town = Town.objects.get(area__code="330503", name="南浔镇")
    Town.objects.filter(pk=nanxun_town.pk).update(station=offices.nanxun_station)
    chaoyang = Town.objects.get(area__code="330502", name="朝阳街道")
    assert chaoyang.station_id is None and chaoyang.is_urban
    with time_machine.travel(at(DAY), tick=False):
        permits = {
            "sep_yuehe": make_permit(offices.yuehe, issued_on=D(2026, 3, 20), sequence=801),  # 20 Sep
            "nov_yuehe": make_permit(offices.yuehe, issued_on=D(2026, 5, 10), sequence=802),  # 10 Nov
            "last_day_zhili": make_permit(offices.zhili, issued_on=D(2026, 6, 14), sequence=803),  # 14 Dec
            "oct_nanxun": make_permit(offices.nanxun_station, issued_on=D(2026, 4, 5), sequence=804),  # 5 Oct
            # Not counted:
            "after_the_window": make_permit(offices.yuehe, issued_on=D(2026, 6, 15), sequence=805),  # 15 Dec
            "on_the_night": make_permit(offices.yuehe, issued_on=D(2026, 3, 15), sequence=806),  # 15 Sep itself
            "settled": make_permit(offices.yuehe, issued_on=D(2026, 4, 1), sequence=807),  # 1 Oct, has a hukou
            "applying": make_permit(offices.yuehe, issued_on=D(2026, 4, 2), sequence=808),  # 2 Oct, case open
            "lapsed": make_permit(offices.yuehe, issued_on=D(2026, 4, 3), sequence=809),  # 3 Oct, lapsed 30 Sep
        }
        ResidencePermit.objects.filter(pk=permits["lapsed"].pk).update(endorsed_until=D(2026, 9, 30))
        settled(permits["settled"].holder, offices.yuehe)

        def lease(name: str, sequence: int, filed_on: dt.date, town: Town | None = None, **terms):  # type: ignore[no-untyped-def]
            return filing(officer, tenant(offices.yuehe, sequence), filed_on, f"HZZL2026-8{sequence}", town, **terms)

        filings = {
            "oct_yuehe": lease("oct_yuehe", 811, D(2026, 4, 10)),  # 10 Oct, 月河街道 → 月河
            "nov_nanxun": lease("nov_nanxun", 812, D(2026, 5, 1), nanxun_town),  # 1 Nov → 南浔派出所
            "dec_wuxing": lease("dec_wuxing", 813, D(2026, 6, 1), chaoyang),  # 1 Dec → 吴兴分局
            # Not counted:
            "after_the_window": lease("after", 814, D(2026, 6, 20)),  # 20 Dec
            "public_housing": lease("public", 815, D(2026, 4, 11), housing="public"),
            "lease_ended": lease("ended", 816, D(2026, 4, 12), term_end=D(2026, 9, 30)),  # 12 Oct, lease over
            "settled": lease("settled", 817, D(2026, 4, 13)),
            "not_urban": lease("rural", 818, D(2026, 4, 14), Town.objects.get(area__code="330502", name="道场乡")),
        }
        settled(filings["settled"].tenant, offices.yuehe)

        # Settlement cases accepted in the 90 days up to the night, [18 Jun, 15 Sep]: 吴兴 has
        # three under S5.1 and one under S1.2, 南浔 one under S1.2.
        applicant = permits["applying"].holder
        case(applicant, offices.yuehe, category="permit", accepted_on=D(2026, 9, 10))  # keeps it out of N1
        for accepted_on in (DAY, D(2026, 6, 18)):
            case(
                tenant(offices.yuehe, 820 + accepted_on.month),
                offices.yuehe,
                category="permit",
                accepted_on=accepted_on,
            )
        case(tenant(offices.zhili, 830), offices.zhili, category="rental", accepted_on=D(2026, 8, 1))
        case(tenant(offices.nanxun_station, 831), offices.nanxun_station, category="rental", accepted_on=D(2026, 8, 1))
        # Not counted: the day before the 90 days, another category, another kind, not yet accepted.
        case(tenant(offices.yuehe, 832), offices.yuehe, category="permit", accepted_on=D(2026, 6, 17))
        case(tenant(offices.yuehe, 833), offices.yuehe, category="talent", accepted_on=D(2026, 8, 2))
        case(
            tenant(offices.yuehe, 834),
            offices.yuehe,
            category="rented",
            kind="residence_declaration",
            accepted_on=D(2026, 8, 3),
        )
        case(tenant(offices.yuehe, 835), offices.yuehe, category="rental", accepted_on=None, status=Status.DRAFT)
    return offices, officer, permits, filings


def rolled_up_through(day: dt.date) -> None:
    """The rollups of the 90 days up to ``day``, as the nightly job leaves them (a page then
    reads them in a few queries, not 90 days live)."""
    rollup_rebuild(from_day=day - dt.timedelta(days=89), to_day=day)
    RollupState.objects.update_or_create(name="daily", defaults={"rolled_to": day})


def scopes_of(offices) -> dict[str, list[int]]:  # type: ignore[no-untyped-def]
    """The office ids each office's users read (their office and those below it)."""
    found = {}
    for name in ("city", "wuxing", "yuehe", "zhili", "nanxun", "nanxun_station"):
        user = make_user(getattr(offices, name), Role.SUPERVISOR, username=f"{name}_sup")
        found[name] = office_visible_ids(user=user)
    return found


def counts(result: Pipeline) -> dict[tuple[str, dt.date], int]:
    return dict(result.reaching)


def test_the_snapshot_counts_the_hand_counted_pipeline_per_office_and_month(pipeline_world):
    offices, _officer, _permits, _filings = pipeline_world
    totals = snapshot_pipeline(day=DAY)
    assert totals == {"n1": 4, "n2": 3}
    rows = set(PipelineSnapshot.objects.values_list("day", "office_id", "milestone", "month", "people"))
    assert rows == {
        (DAY, offices.yuehe.pk, "n1", SEP, 1),
        (DAY, offices.yuehe.pk, "n1", NOV, 1),
        (DAY, offices.zhili.pk, "n1", DEC, 1),
        (DAY, offices.nanxun_station.pk, "n1", OCT, 1),
        (DAY, offices.yuehe.pk, "n2", OCT, 1),
        (DAY, offices.nanxun_station.pk, "n2", NOV, 1),
        (DAY, offices.wuxing.pk, "n2", DEC, 1),
    }


def test_each_office_reads_its_own_and_its_subtrees_never_a_siblings(pipeline_world):
    offices, _officer, _permits, _filings = pipeline_world
    snapshot_pipeline(day=DAY)
    rolled_up_through(DAY)
    scopes = scopes_of(offices)
    wuxing = pipeline(office_ids=scopes["wuxing"], as_of=DAY)  # the county sums its stations
    assert counts(wuxing) == {("n1", SEP): 1, ("n1", NOV): 1, ("n1", DEC): 1, ("n2", OCT): 1, ("n2", DEC): 1}
    assert counts(pipeline(office_ids=scopes["yuehe"], as_of=DAY)) == {("n1", SEP): 1, ("n1", NOV): 1, ("n2", OCT): 1}
    assert counts(pipeline(office_ids=scopes["zhili"], as_of=DAY)) == {("n1", DEC): 1}  # not 月河's
    nanxun = pipeline(office_ids=scopes["nanxun"], as_of=DAY)
    assert counts(nanxun) == {("n1", OCT): 1, ("n2", NOV): 1}
    assert counts(pipeline(office_ids=scopes["nanxun_station"], as_of=DAY)) == counts(nanxun)
    city = pipeline(office_ids=scopes["city"], as_of=DAY)
    assert (city.people("n1"), city.people("n2")) == (4, 3)
    assert pipeline(office_ids=[], as_of=DAY).people("n1") == 0  # a user with no office

    assert wuxing.day == DAY and wuxing.window_end == D(2026, 12, 14)
    assert wuxing.months == (SEP, OCT, NOV, DEC)
    assert (wuxing.people("n1"), wuxing.people("n1", OCT), wuxing.people("n2", DEC)) == (3, 0, 1)


def test_the_snapshot_agrees_with_the_selectors_for_every_offices_scope(pipeline_world):
    """Grouping by office in Python equals the selectors' own ``offices`` filter, office by office."""
    offices, _officer, _permits, _filings = pipeline_world
    snapshot_pipeline(day=DAY)
    rolled_up_through(DAY)
    end = DAY + dt.timedelta(days=90)
    history = parameter_history_until(keys=MILESTONE_PARAMETERS, as_of=end)
    for name, office_ids in scopes_of(offices).items():
        scope = [office for office in (getattr(offices, n) for n in vars(offices)) if office.pk in office_ids]
        n1 = permits_reaching_holding_period(start=DAY, end=end, history=history, offices=scope)
        n2 = filings_reaching_filing_period(start=DAY, end=end, history=history, offices=scope)
        result = pipeline(office_ids=office_ids, as_of=DAY)
        assert (result.people("n1"), result.people("n2")) == (len(n1), len(n2)), name


def test_a_scheduled_change_of_the_months_counts_as_the_worklist_shows(pipeline_world):
    """3 months of lease filing from 1 Oct: whoever the change qualifies at once reaches it on
    1 Oct (a filing of 20 Apr: 6 months on 20 Oct; one of 20 Jun: 6 months on 20 Dec, after the
    window, and 3 months on 20 Sep, before the change), one of 10 Jul on its own day (3 months:
    10 Oct); the worklist of 90 days lists the same people in the same months."""
    offices, officer, _permits, filings = pipeline_world
    admin = make_user(offices.city, Role.ADMINISTRATOR, username="city_admin")
    with time_machine.travel(at(DAY), tick=False):
        parameter_schedule(actor=admin, key="lease_filing_min_months", value=3, effective_from=OCT, reason="新政策")
        made_eligible = filing(officer, tenant(offices.yuehe, 840), D(2026, 4, 20), "HZZL2026-8840")
        new_value = filing(officer, tenant(offices.yuehe, 841), D(2026, 7, 10), "HZZL2026-8841")
        snapshot_pipeline(day=DAY)
        page = sign_in(Client(), officer).get("/reminders/worklist/?days=90")
    listed = {f.pk: day for f, day in page.context["filings"]}
    assert listed[made_eligible.pk] == OCT and listed[new_value.pk] == D(2026, 10, 10)
    assert listed[filings["after_the_window"].pk] == OCT
    yuehe = pipeline(office_ids=[offices.yuehe.pk], as_of=DAY)
    # The worklist starts today, the snapshot after its night.
    by_month = Counter(("n2", day.replace(day=1)) for _filing, day in page.context["filings"] if day > DAY)
    assert {key: n for key, n in counts(yuehe).items() if key[0] == "n2"} == by_month
    assert by_month == {("n2", OCT): 4}  # and 10 Apr's, also made eligible on 1 Oct


def test_settlements_applied_for_from_the_rollups_equal_the_live_count(pipeline_world):
    offices, _officer, _permits, _filings = pipeline_world
    snapshot_pipeline(day=DAY)
    scopes = scopes_of(offices)
    live = {name: pipeline(office_ids=ids, as_of=DAY).applied for name, ids in scopes.items()}
    assert live["wuxing"] == {"permit": 3, "rental": 1}
    assert live["yuehe"] == {"permit": 3, "rental": 0}
    assert live["zhili"] == {"permit": 0, "rental": 1}
    assert live["nanxun"] == {"permit": 0, "rental": 1}
    assert live["city"] == {"permit": 3, "rental": 2}
    # The same from Case itself, accepted in [18 Jun, 15 Sep]:
    accepted = Case.objects.filter(
        kind="settlement", clock_started_on__gte=D(2026, 6, 18), clock_started_on__lte=DAY, category="permit"
    )
    assert accepted.count() == 3

    # Rolled up through the night before (the night itself live), then through the night itself.
    rollup_rebuild(from_day=D(2026, 6, 1), to_day=DAY - dt.timedelta(days=1))
    RollupState.objects.create(rolled_to=DAY - dt.timedelta(days=1))
    assert {name: pipeline(office_ids=ids, as_of=DAY).applied for name, ids in scopes.items()} == live
    rollup_rebuild(from_day=DAY, to_day=DAY)
    RollupState.objects.update(rolled_to=DAY)
    result = pipeline(office_ids=scopes["wuxing"], as_of=DAY)
    assert {name: pipeline(office_ids=ids, as_of=DAY).applied for name, ids in scopes.items()} == live
    assert (result.applied_from, result.applied_for("n1"), result.applied_for("n2")) == (D(2026, 6, 18), 3, 1)


def test_the_rolled_up_part_is_read_in_a_few_queries(pipeline_world, django_assert_max_num_queries):
    offices, _officer, _permits, _filings = pipeline_world
    snapshot_pipeline(day=DAY)
    rolled_up_through(DAY)
    ids = [offices.wuxing.pk, offices.yuehe.pk, offices.zhili.pk]
    # The night (1), its rows (1), how far the rollups reach (1), their sum (1).
    with django_assert_max_num_queries(4):
        result = pipeline(office_ids=ids, as_of=DAY)
    assert result.applied == {"permit": 3, "rental": 1}


def test_retaking_a_snapshot_replaces_it(pipeline_world):
    offices, _officer, permits, _filings = pipeline_world
    snapshot_pipeline(day=DAY)
    first = set(PipelineSnapshot.objects.values_list("day", "office_id", "milestone", "month", "people"))
    snapshot_pipeline(day=DAY)  # a rerun, a retry: the same rows, not twice as many
    assert set(PipelineSnapshot.objects.values_list("day", "office_id", "milestone", "month", "people")) == first
    assert PipelineSnapshot.objects.count() == 7 and PipelineSnapshotTaken.objects.count() == 1
    # The 20 Sep holder settles, a new permit of 月河 reaches 6 months on 20 Nov: retaken, the
    # night's rows are the new ones.
    settled(permits["sep_yuehe"].holder, offices.yuehe)
    with time_machine.travel(at(DAY), tick=False):
        make_permit(offices.yuehe, issued_on=D(2026, 5, 20), sequence=850)
    snapshot_pipeline(day=DAY)
    yuehe = pipeline(office_ids=[offices.yuehe.pk], as_of=DAY)
    assert counts(yuehe) == {("n1", NOV): 2, ("n2", OCT): 1}
    assert PipelineSnapshot.objects.filter(office=offices.yuehe, milestone="n1").count() == 1


def test_old_snapshots_are_pruned_and_a_page_reads_the_latest_on_or_before_its_day(pipeline_world):
    offices, _officer, _permits, _filings = pipeline_world
    for back in range(20, -1, -1):  # twenty-one nights, the last one DAY
        snapshot_pipeline(day=DAY - dt.timedelta(days=back))
    nights = sorted(PipelineSnapshotTaken.objects.values_list("day", flat=True))
    assert nights == [DAY - dt.timedelta(days=back) for back in range(13, -1, -1)]  # the last fourteen
    assert set(PipelineSnapshot.objects.values_list("day", flat=True)) == set(nights)
    ids = [offices.yuehe.pk]
    assert pipeline(office_ids=ids, as_of=DAY + dt.timedelta(days=3)).day == DAY  # no night since
    assert pipeline(office_ids=ids, as_of=DAY - dt.timedelta(days=5)).day == DAY - dt.timedelta(days=5)
    gone = pipeline(office_ids=ids, as_of=DAY - dt.timedelta(days=14))
    assert gone == Pipeline(day=None, reaching={}, applied={})
    assert (gone.months, gone.people("n1"), gone.applied_for("n2")) == ((), 0, 0)


def test_a_night_with_nobody_in_the_pipeline_is_read_as_empty_not_as_an_older_night(pipeline_world):
    offices, _officer, _permits, _filings = pipeline_world
    snapshot_pipeline(day=DAY)
    later = DAY + dt.timedelta(days=10)
    ResidencePermit.objects.update(status=ResidencePermit.Status.CANCELLED)
    Town.objects.update(is_urban=False)
    assert snapshot_pipeline(day=later) == {"n1": 0, "n2": 0}
    result = pipeline(office_ids=[offices.yuehe.pk], as_of=later)
    assert result.day == later and result.reaching == {}
    assert pipeline(office_ids=[offices.yuehe.pk], as_of=DAY).people("n1") == 2  # DAY's is still kept


def test_the_nightly_job_takes_the_snapshot_of_the_night_it_runs(pipeline_world):
    offices, _officer, _permits, _filings = pipeline_world
    RollupState.objects.create(rolled_to=DAY - dt.timedelta(days=3))
    with time_machine.travel(dt.datetime.combine(DAY, dt.time(0, 40), tzinfo=at(DAY).tzinfo), tick=False):
        assert rollup_days_task() == 2  # 13 and 14 Sep rolled up
        assert rollup_days_task() == 0  # a second run: nothing to roll up, the same snapshot
        assert rollup_days_task(through="2026-09-01") == 0  # a past day asked: still tonight's snapshot
    assert list(PipelineSnapshotTaken.objects.values_list("day", flat=True)) == [DAY]
    assert pipeline(office_ids=[offices.zhili.pk], as_of=DAY).people("n1", DEC) == 1
    assert PipelineSnapshot.objects.count() == 7


def test_the_command_takes_the_snapshot_but_a_rebuild_of_past_days_does_not(pipeline_world, capsys):
    with time_machine.travel(at(DAY), tick=False):
        call_command("stats_rollup", "--from", "2026-09-01", "--to", "2026-09-14")
        assert not PipelineSnapshotTaken.objects.exists()
        call_command("stats_rollup")
    assert list(PipelineSnapshotTaken.objects.values_list("day", flat=True)) == [DAY]
    out = capsys.readouterr().out
    assert "Pipeline snapshot of 2026-09-15: 4 permit(s) (N1), 3 lease filing(s) (N2)." in out


def test_the_worklist_looks_90_days_ahead_when_asked_and_only_30_or_90(world):
    offices, officer = world
    with time_machine.travel(at(DAY), tick=False):
        in_60_days = make_permit(offices.yuehe, issued_on=D(2026, 5, 14), sequence=860)  # 14 Nov = DAY + 60
        in_10_days = make_permit(offices.yuehe, issued_on=D(2026, 3, 25), sequence=861)  # 25 Sep
        elsewhere = make_permit(offices.zhili, issued_on=D(2026, 5, 14), sequence=862)  # a sibling's
        client = sign_in(Client(), officer)
        pages = {days: client.get(f"/reminders/worklist/?days={days}") for days in ("30", "90", "365", "abc", "")}
    shown = {days: [p.pk for p, _day in page.context["permits"]] for days, page in pages.items()}
    assert shown["90"] == [in_10_days.pk, in_60_days.pk]
    assert dict((p.pk, day) for p, day in pages["90"].context["permits"])[in_60_days.pk] == DAY + dt.timedelta(days=60)
    assert shown["30"] == [in_10_days.pk]
    assert elsewhere.pk not in shown["90"]
    for other in ("365", "abc", ""):  # anything but 30 or 90: the default 30 days, as the heading says
        assert pages[other].status_code == 200 and shown[other] == shown["30"]
        assert pages[other].context["days"] == 30
    assert "未来 90 天" in pages["90"].content.decode()
    assert "未来 30 天" in pages["365"].content.decode() and "未来 365 天" not in pages["365"].content.decode()
    assert 'href="?days=90"' in pages["30"].content.decode()


def test_the_days_not_rolled_up_are_counted_in_one_query(pipeline_world, django_assert_num_queries):
    """A page views the pipeline of tonight's snapshot, whose day is not rolled up yet: its
    settlements applied for are one count over the cases, not the day's whole rollup (the stock
    per town over every registration in force) again on every page view."""
    offices, _officer, _permits, _filings = pipeline_world
    snapshot_pipeline(day=DAY)
    rolled_up_through(DAY - dt.timedelta(days=3))
    ids = [offices.wuxing.pk, offices.yuehe.pk, offices.zhili.pk]
    # The night, its rows, how far the rollups reach, their sum, the three days after them.
    with django_assert_num_queries(5):
        result = pipeline(office_ids=ids, as_of=DAY)
    assert result.applied == {"permit": 3, "rental": 1}
