"""The household pages: the list (keyset pages, 户号 prefix search, a fixed number of queries),
a household with its history, the 户口簿 page, and the move actions — each scoped to the user's
offices and roles, each refused to the attacker's request with nothing written."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client

from hukou_portal.accounts.roles import Role
from hukou_portal.audit.models import AuditEvent
from hukou_portal.people.households import services as household_services
from hukou_portal.people.models import Household, HouseholdMember, HouseholdType, Town
from tests.helpers import make_user, sign_in, zh
from tests.people.test_households import NOW, SON, active, applicant_of, own_home, settle

D = dt.date
TODAY = D(2026, 12, 1)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def yuehe_answers_for_its_town(offices):
    Town.objects.filter(area__code="330502", name="月河街道").update(station=offices.yuehe)


@pytest.fixture
def family(staff):  # type: ignore[no-untyped-def]
    head = applicant_of(staff, 701)
    settle(staff, head, family=[("王小宝", SON, "child", "unmarried")], **own_home(address="人民路 66 号"))
    from hukou_portal.people.models import Person

    son = Person.objects.with_id_number(SON).get()
    return head, son, active(head).household


@pytest.fixture
def zhili_officer(offices):  # type: ignore[no-untyped-def]
    return make_user(offices.zhili, Role.COUNTER_OFFICER, username="zhili_officer")


def communities(count: int, offices) -> list[Household]:  # type: ignore[no-untyped-def]
    town = Town.objects.get(area__code="330502", name="月河街道")
    return [
        household_services.household_collective(
            type=HouseholdType.COMMUNITY_COLLECTIVE,
            town=town,
            unit_name=f"第{index}社区",
            case=None,
            actor=None,
            fallback_office=offices.yuehe,
        )[0]
        for index in range(count)
    ]


# --- the list ---------------------------------------------------------------------------------


def test_the_list_pages_by_cursor_and_searches_by_the_first_digits_of_the_number(staff, offices):
    made = communities(30, offices)
    client = sign_in(Client(), staff.officer)
    first = client.get("/people/households/")
    assert first.status_code == 200
    body = first.content.decode()
    numbers = re.findall(r">(330502\d{6})</a>", body)
    assert numbers == sorted(h.number for h in made)[:25]
    assert "cursor=" in body and "page=" not in body
    cursor = re.search(r'href="\?[^"]*cursor=([^"&]+)', body).group(1)
    second = client.get("/people/households/", {"cursor": cursor}).content.decode()
    assert re.findall(r">(330502\d{6})</a>", second) == sorted(h.number for h in made)[25:]
    # A prefix of the number: one index range.
    prefix = made[12].number[:-1]
    found = re.findall(r">(330502\d{6})</a>", client.get("/people/households/", {"q": prefix}).content.decode())
    assert found == sorted(h.number for h in made if h.number.startswith(prefix))
    assert zh("Community public collective household") in body and ">community_collective<" not in body


def test_a_search_that_is_not_digits_is_refused_in_chinese(staff, offices):
    communities(2, offices)
    body = sign_in(Client(), staff.officer).get("/people/households/", {"q": "人民路"}).content.decode()
    assert zh("A household number has digits only.") in body
    assert not re.findall(r">(330502\d{6})</a>", body)


def test_the_list_runs_the_same_number_of_queries_whatever_its_size(staff, offices, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    communities(3, offices)
    client = sign_in(Client(), staff.officer)
    client.get("/people/households/")
    with CaptureQueriesContext(connection) as few:
        client.get("/people/households/")
    communities(40, offices)
    with CaptureQueriesContext(connection) as many:
        client.get("/people/households/")
    assert len(many) == len(few)
    with django_assert_max_num_queries(len(few)):
        client.get("/people/households/", {"q": "3305"})


def test_the_search_uses_the_number_index_on_postgresql(staff, offices):
    from django.db import connection

    from hukou_portal.people.households.selectors import household_list_for_user

    if connection.vendor != "postgresql":  # pragma: no cover - CI runs PostgreSQL
        pytest.fail("this check needs PostgreSQL")
    communities(3, offices)
    query = household_list_for_user(user=staff.officer, number_prefix="330502").order_by("number_key", "id")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        plan = query[:26].explain()
        cursor.execute("SET enable_seqscan = on")
    assert "household_by_number" in plan


def test_other_offices_and_other_roles_do_not_see_the_households(staff, family, offices, zhili_officer):
    _head, son, home = family
    assert sign_in(Client(), staff.officer).get(f"/people/households/{home.pk}/").status_code == 200
    assert sign_in(Client(), staff.supervisor).get(f"/people/households/{home.pk}/").status_code == 200
    # The county-level bureau sees its stations' households; a sibling station does not.
    bureau = make_user(offices.wuxing, Role.COUNTER_OFFICER, username="wuxing_officer")
    assert sign_in(Client(), bureau).get(f"/people/households/{home.pk}/").status_code == 200
    outsider = sign_in(Client(), zhili_officer)
    assert outsider.get(f"/people/households/{home.pk}/").status_code == 404
    member = active(son)
    assert outsider.get(f"/people/households/{home.pk}/members/{member.pk}/card/").status_code == 404
    assert home.number not in outsider.get("/people/households/").content.decode()
    nanxun = make_user(offices.nanxun_station, Role.SUPERVISOR, username="nanxun_supervisor")
    assert sign_in(Client(), nanxun).get(f"/people/households/{home.pk}/").status_code == 404
    for role_user in (staff.admin, staff.auditor):
        client = sign_in(Client(), role_user)
        assert client.get("/people/households/").status_code == 403
        assert client.get(f"/people/households/{home.pk}/").status_code == 403


def test_the_household_page_lists_members_with_their_history_in_chinese(staff, family):
    _head, _son, home = family
    body = sign_in(Client(), staff.officer).get(f"/people/households/{home.pk}/").content.decode()
    assert body.count('data-testid="active-member"') == 2
    assert zh("Head of household") in body and zh("Son") in body
    assert zh("Settled (落户)") in body
    for code in ("head", "son", "settled", "family", "None", "True", "False"):
        assert f">{code}<" not in body
    assert 'data-testid="move-link"' in body
    # A supervisor reads, but is offered no move.
    supervisor_page = sign_in(Client(), staff.supervisor).get(f"/people/households/{home.pk}/").content.decode()
    assert 'data-testid="move-link"' not in supervisor_page and 'data-testid="register-card-link"' in supervisor_page


def test_the_register_card_shows_the_full_number_only_to_those_allowed(staff, family, offices):
    from django.contrib.auth.models import Permission

    head, son, home = family
    member = active(son)
    url = f"/people/households/{home.pk}/members/{member.pk}/card/"
    page = sign_in(Client(), staff.officer).get(url).content.decode()
    assert son.id_number in page and 'data-testid="household-photo"' in page
    assert zh("Permanent resident registration card (常住人口登记卡)") in page
    assert home.number in page and head.name in page and zh("Son") in page
    assert AuditEvent.objects.filter(action="person.viewed", object_id=str(son.pk)).exists()
    # An account that may read households but not full numbers sees the masked one.
    reader = make_user(offices.yuehe, username="reader")
    reader.user_permissions.add(Permission.objects.get(codename="view_household"))
    masked = sign_in(Client(), reader).get(url).content.decode()
    assert son.id_number not in masked and son.masked_id_number in masked


# --- the move actions --------------------------------------------------------------------------


def test_a_forged_move_of_another_office_s_member_is_refused_and_writes_nothing(staff, family, zhili_officer):
    _head, son, home = family
    member = active(son)
    events = AuditEvent.objects.exclude(action__startswith="access.").count()
    outsider = sign_in(Client(), zhili_officer)
    data = {"destination": "new_home", "town": home.town_id, "address": "别处 1 号", "moved_on": "2026-12-01",
            "note": "伪造"}  # fmt: skip
    assert outsider.post(f"/people/households/{home.pk}/members/{member.pk}/move/", data).status_code == 404
    assert (
        outsider.post(
            f"/people/households/{home.pk}/members/{member.pk}/move-out/",
            {"destination_address": "上海", "moved_out_on": "2026-12-01", "note": "伪造"},
        ).status_code
        == 404
    )
    # The member's id under a household of the attacker's own office is no way round either.
    Town.objects.filter(area__code="330502", name="织里镇").update(station=zhili_officer.office)
    zhili = Town.objects.select_related("area", "station").get(area__code="330502", name="织里镇")
    own, _created = household_services.household_collective(
        type=HouseholdType.COMMUNITY_COLLECTIVE, town=zhili, unit_name="织里社区", case=None, actor=None,
        fallback_office=zhili_officer.office,
    )  # fmt: skip
    assert own.office == zhili_officer.office
    assert outsider.post(f"/people/households/{own.pk}/members/{member.pk}/move/", data).status_code == 404
    # And the service itself refuses.
    with pytest.raises(Exception) as denied:
        household_services.household_member_move(
            actor=zhili_officer, member_id=member.pk, moved_on=TODAY,
            new_home=household_services.NewHome(town=home.town, address="别处 1 号"),
        )  # fmt: skip
    assert type(denied.value).__name__ == "PermissionDenied"
    assert active(son).household == home
    assert HouseholdMember.objects.filter(person=son).count() == 1
    assert Household.objects.count() == 2
    assert not AuditEvent.objects.filter(action__startswith="household.member").exclude(case__isnull=False).exists()
    assert AuditEvent.objects.exclude(action__startswith="access.").exclude(action="household.created").count() == (
        events
    )


@pytest.mark.parametrize("role_user", ["supervisor", "admin", "auditor"])
def test_only_counter_officers_move_members(staff, family, role_user):
    _head, son, home = family
    member = active(son)
    client = sign_in(Client(), getattr(staff, role_user))
    assert client.get(f"/people/households/{home.pk}/members/{member.pk}/move/").status_code == 403
    response = client.post(
        f"/people/households/{home.pk}/members/{member.pk}/move-out/",
        {"destination_address": "上海", "moved_out_on": "2026-12-01", "note": "x"},
    )
    assert response.status_code == 403
    assert active(son).household == home


def test_an_officer_moves_a_member_through_the_confirm_page(staff, family):
    _head, son, home = family
    member = active(son)
    client = sign_in(Client(), staff.officer)
    form = client.get(f"/people/households/{home.pk}/members/{member.pk}/move/").content.decode()
    assert zh("Confirm the move") in form and 'name="to_household"' in form
    grandma = applicant_of(staff, 702, name="张奶奶", born=D(1950, 1, 1))
    settle(staff, grandma, **own_home(address="衣裳街 1 号"))
    other = active(grandma).household
    # Into another office's household, or one that does not exist: refused on the form.
    refused = client.post(
        f"/people/households/{home.pk}/members/{member.pk}/move/",
        {"destination": "household", "to_household": "330503000001", "relation": "grandson",
         "moved_on": "2026-12-01", "note": "随祖母生活"},
    )  # fmt: skip
    assert refused.status_code == 200
    assert zh("No household with this number at your offices.") in refused.content.decode()
    moved = client.post(
        f"/people/households/{home.pk}/members/{member.pk}/move/",
        {"destination": "household", "to_household": other.number, "relation": "grandson",
         "moved_on": "2026-12-01", "note": "随祖母生活"},
    )  # fmt: skip
    assert moved.status_code == 302 and moved["Location"] == f"/people/households/{other.pk}/"
    assert active(son).household == other
    # The old page now says the member left; its move page refuses a second move.
    again = client.get(f"/people/households/{home.pk}/members/{member.pk}/move/").content.decode()
    assert 'data-testid="refusal"' in again and 'data-testid="action-form"' not in again


def test_an_officer_records_a_move_out_of_huzhou_through_the_confirm_page(staff, family):
    _head, son, home = family
    member = active(son)
    client = sign_in(Client(), staff.officer)
    bad = client.post(
        f"/people/households/{home.pk}/members/{member.pk}/move-out/",
        {"destination_address": "", "moved_out_on": "2026-12-09", "note": "随母迁出"},
    )
    assert bad.status_code == 200 and zh("The date cannot be in the future.") in bad.content.decode()
    assert active(son).household == home
    done = client.post(
        f"/people/households/{home.pk}/members/{member.pk}/move-out/",
        {"destination_address": "江苏省南京市", "moved_out_on": "2026-12-01", "note": "随母迁出"},
    )
    assert done.status_code == 302
    assert not HouseholdMember.objects.filter(person=son, left_on__isnull=True).exists()
    page = client.get(f"/people/households/{home.pk}/").content.decode()
    assert zh("Moved out of Huzhou (迁出)") in page and "江苏省南京市" in page


def test_the_person_file_shows_the_household_and_the_case_page_links_it(staff, family, zhili_officer):
    head, _son, home = family
    client = sign_in(Client(), staff.officer)
    file = client.get(f"/people/{head.pk}/").content.decode()
    section = file[file.index('data-testid="file-section-households"') :]
    assert f'href="/people/households/{home.pk}/"' in section and zh("Head of household") in section
    case = active(head).join_case
    case_page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f'href="/people/households/{home.pk}/"' in case_page


def test_the_navigation_offers_households_to_those_who_may_read_them(staff):
    from hukou_portal.core.context_processors import navigation_for

    def labels(user):  # type: ignore[no-untyped-def]
        entries = navigation_for(user)
        return [item["url"] for entry in entries for item in entry.get("entries", [entry])]

    assert "/people/households/" in labels(staff.officer)
    assert "/people/households/" in labels(staff.supervisor)
    assert "/people/households/" not in labels(staff.admin)
    assert "/people/households/" not in labels(staff.auditor)


def test_a_second_active_head_or_member_is_never_written_by_two_completions_at_once(staff, family):
    """The partial unique index is the last word: the same person cannot join twice, even when a
    caller skips the service's check."""
    from django.db import IntegrityError, transaction

    _head, son, home = family
    with pytest.raises(IntegrityError), transaction.atomic():
        HouseholdMember.objects.create(
            household=home, person=son, relation="son", joined_on=TODAY, join_reason="settled"
        )
    assert HouseholdMember.objects.filter(person=son).count() == 1


def test_an_own_home_settlement_creates_its_household_in_the_office_of_its_town(staff, offices):
    """A town without a station is answered for by its county-level bureau: the household is the
    bureau's, and the station's officer who completed the case does not see it."""
    town = Town.objects.get(area__code="330502", name="朝阳街道")
    assert town.station is None
    applicant = applicant_of(staff, 703)
    settle(staff, applicant, settle_in="朝阳街道", **{**own_home(address="朝阳路 1 号"), "home_town": str(town.pk)})
    household = active(applicant).household
    assert household.office == offices.wuxing
    assert sign_in(Client(), staff.officer).get(f"/people/households/{household.pk}/").status_code == 404


def test_every_household_page_reads_as_chinese(staff, family):
    """No English word, Python value or internal code on the pages an officer reads."""
    from hukou_portal.people.models import MoveInPermit
    from tests.core.test_english_leftovers import ENGLISH_WORD, visible_text
    from tests.people.test_households import TALENT

    _head, son, home = family
    nanjing = applicant_of(staff, 704, name="张伟", area="320102")
    case = settle(staff, nanjing, origin_address="江苏省南京市玄武区北京东路 1 号", community="红旗社区", **TALENT)
    permit = MoveInPermit.objects.get(case=case)
    member = active(son)
    client = sign_in(Client(), staff.officer)
    pages = [
        "/people/households/",
        f"/people/households/{home.pk}/",
        f"/people/households/{permit.household_id}/",
        f"/people/households/{home.pk}/members/{member.pk}/card/",
        f"/people/households/{home.pk}/members/{member.pk}/move/",
        f"/people/households/{home.pk}/members/{member.pk}/move-out/",
        f"/people/move-in-permits/{permit.pk}/",
        f"/people/move-in-permits/{permit.pk}/confirm/",
        f"/people/{son.pk}/",
        f"/people/{nanjing.pk}/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        main = re.search(r"<main\b.*?</main>", response.content.decode(), re.S)
        assert main, url
        text = visible_text(main.group(0))  # the page, without the bar (user name, language switch)
        # The export buttons name their file formats as officers know them: 导出 CSV, 导出 Excel.
        words = set(ENGLISH_WORD.findall(text)) - {"CSV", "Excel"}
        assert words == set(), (url, words)
        for leftover in ("None", "True", "False", "community_collective", "collective_member", "moved_in"):
            assert leftover not in text, (url, leftover)


def test_the_register_card_shows_the_photo_taken_once_and_says_so_when_there_is_none(staff, family):
    """一窗通拍 (D2): the photo taken at the counter is the one the 户口簿 page prints; a member
    without one gets the 暂无照片 box of the same size, not an empty cell."""
    from hukou_portal.people.services import person_photo_take
    from tests.people import photo_files

    head, son, home = family
    client = sign_in(Client(), staff.officer)
    card = f"/people/households/{home.pk}/members/{active(son).pk}/card/"
    before = client.get(card).content.decode()
    assert 'data-testid="person-photo-none"' in before and 'data-testid="person-photo-image"' not in before

    photo = person_photo_take(
        actor=staff.officer,
        person_id=son.pk,
        upload=photo_files.upload(photo_files.jpeg((640, 480))),
        source="upload",
        replacing=None,
    )
    after = client.get(card).content.decode()
    image = f"/people/{son.pk}/photos/{photo.pk}.jpg"
    assert 'data-testid="person-photo-image"' in after and image in after
    served = client.get(image)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    # The head's page is another person's: it does not borrow the son's photo.
    head_card = client.get(f"/people/households/{home.pk}/members/{active(head).pk}/card/").content.decode()
    assert image not in head_card and 'data-testid="person-photo-none"' in head_card
