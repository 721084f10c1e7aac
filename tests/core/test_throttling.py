"""Rate limits, tested as the flood: the public e-permit check per client address, the header
search and the REST API per user; over the limit 429 with Retry-After and a Chinese message,
others unaffected, and the count starts again after the window. The API schema is not public."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from hukou_portal.accounts.roles import Role
from tests.helpers import make_user, sign_in
from tests.settlement.test_contract_doors import FACTS

START = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
GARBAGE_TOKEN = "not-a-token.at-all"


def limit(scope: str) -> int:
    count, _, period = settings.RATE_LIMITS[scope].partition("/")
    assert period.startswith("m"), "these tests flood within one minute"
    return int(count)


def assert_refused_in_chinese(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 429
    seconds = int(response["Retry-After"])
    assert 1 <= seconds <= 60
    assert f"请求过于频繁，请 {seconds} 秒后再试。" in response.content.decode()


def test_the_defaults_are_the_documented_ones():
    assert (limit("verify"), limit("search"), limit("api")) == (30, 60, 120)


def test_verify_is_limited_per_client_address(db):
    attacker, neighbour = Client(REMOTE_ADDR="10.1.2.3"), Client(REMOTE_ADDR="10.1.2.4")
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(limit("verify")):
            assert attacker.get(f"/verify/{GARBAGE_TOKEN}").status_code == 200
        refused = attacker.get(f"/verify/{GARBAGE_TOKEN}")
        assert_refused_in_chinese(refused)
        assert refused["Retry-After"] == "60"
        assert neighbour.get(f"/verify/{GARBAGE_TOKEN}").status_code == 200

        traveller.shift(dt.timedelta(seconds=30))
        assert attacker.get(f"/verify/{GARBAGE_TOKEN}")["Retry-After"] == "30"
        traveller.shift(dt.timedelta(seconds=31))
        assert attacker.get(f"/verify/{GARBAGE_TOKEN}").status_code == 200


def test_verify_counts_the_resolved_address_not_a_forged_forwarded_for(db):
    """Without trusted proxies (PROXY_COUNT unset) X-Forwarded-For is ignored: a new forged
    value per request does not buy a new allowance."""
    client = Client(REMOTE_ADDR="10.1.2.3")
    with time_machine.travel(START, tick=False):
        for number in range(limit("verify")):
            client.get(f"/verify/{GARBAGE_TOKEN}", HTTP_X_FORWARDED_FOR=f"192.0.2.{number}")
        assert_refused_in_chinese(client.get(f"/verify/{GARBAGE_TOKEN}", HTTP_X_FORWARDED_FOR="192.0.2.200"))


def test_the_refusal_is_english_for_an_english_reader(db, settings):
    settings.LANGUAGE_CODE = "en"
    client = Client(REMOTE_ADDR="10.1.2.3")
    with time_machine.travel(START, tick=False):
        for _ in range(limit("verify")):
            client.get(f"/verify/{GARBAGE_TOKEN}")
        refused = client.get(f"/verify/{GARBAGE_TOKEN}")
    assert refused.status_code == 429
    assert "Too many requests. Try again in 60 seconds." in refused.content.decode()


def test_search_is_limited_per_user(staff, offices):
    attacker = sign_in(Client(), staff.officer)
    colleague = sign_in(Client(), make_user(offices.yuehe, Role.COUNTER_OFFICER, username="colleague"))
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(limit("search")):
            assert attacker.post("/search/", {"q": "张三"}).status_code == 200
        assert_refused_in_chinese(attacker.post("/search/", {"q": "张三"}))
        # Another address does not help the same account; another account is not affected.
        assert attacker.post("/search/", {"q": "张三"}, REMOTE_ADDR="10.9.9.9").status_code == 429
        assert colleague.post("/search/", {"q": "张三"}).status_code == 200
        traveller.shift(dt.timedelta(seconds=61))
        assert attacker.post("/search/", {"q": "张三"}).status_code == 200


def test_search_still_asks_an_anonymous_visitor_to_sign_in(db):
    response = Client().post("/search/", {"q": "张三"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/sign-in/")


def test_api_is_limited_per_user(staff, offices):
    attacker = sign_in(Client(), staff.officer)
    colleague = sign_in(Client(), make_user(offices.yuehe, Role.COUNTER_OFFICER, username="colleague"))

    def post(client: Client):  # type: ignore[no-untyped-def]
        return client.post("/api/v1/settlement/eligibility", FACTS, content_type="application/json")

    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(limit("api")):
            assert post(attacker).status_code == 200
        refused = post(attacker)
        assert refused.status_code == 429
        assert refused["Retry-After"] == "60"
        assert refused.json() == {"detail": "请求过于频繁，请 60 秒后再试。"}
        assert post(colleague).status_code == 200
        traveller.shift(dt.timedelta(seconds=61))
        assert post(attacker).status_code == 200


@pytest.mark.parametrize("accept", ["application/json", "application/vnd.oai.openapi"])
def test_the_api_schema_is_refused_to_anonymous_visitors(db, accept):
    response = Client().get("/api/v1/schema/", HTTP_ACCEPT=accept)
    assert response.status_code in (401, 403)
    assert b"/api/v1/settlement/eligibility" not in response.content
