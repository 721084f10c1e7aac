"""Bad input to the eligibility contract, written as the attack: the API answers 400 with a
field-keyed English/Chinese body and ``check_eligibility`` exits 2 with one line — never a 500,
never a traceback (issue 10, finding 9)."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.helpers import database_url_of_the_tests

URL = "/api/v1/settlement/eligibility"

# Eligible by S5.1 alone: a residence permit issued in the target area two years ago.
PERMIT_FACTS = {
    "as_of": "2026-12-01",
    "target": {"area": "330502", "urban": True},
    "person": {
        "birth_date": "1990-03-02",
        "marital_status": "unmarried",
        "permits": [{"issuer_area": "330502", "issued_on": "2024-11-01"}],
    },
}


def with_permit(**permit: str) -> dict:
    return {**PERMIT_FACTS, "person": {**PERMIT_FACTS["person"], "permits": [permit]}}


def post(client, body: bytes | str):
    return client.post(URL, body, content_type="application/json")


def assert_refused(response, field: str) -> dict:
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert body["field"] == field
    assert body["message"]
    assert not body["message_zh"].isascii()
    return body


ATTACKS = {
    "[ x 100000": ("[" * 100_000, "(document)"),
    "deep nesting under the size cap": ("[" * 50_000, "(document)"),
    "deep but closed": ("[" * 21 + "]" * 21, "(document)"),
    "5000-digit number": ('{"as_of": ' + "9" * 5000 + "}", "(document)"),
    "infinite float": ('{"as_of": 1e400}', "(document)"),
    "NaN": ('{"as_of": NaN}', "(document)"),
    "lone surrogate": ('{"as_of": "\\ud800"}', "(document)"),
    "over 64 KB": (json.dumps({**PERMIT_FACTS, "pad": "x" * 70_000}), "(document)"),
    "empty body": ("", "as_of"),  # no body: no facts, the first required field is named
    "a list, not an object": ("[1, 2]", "(document)"),
    "year 9999": (
        json.dumps({**with_permit(issuer_area="330502", issued_on="9999-12-01"), "as_of": "9999-12-31"}),
        "as_of",
    ),
    "permit before 1900": (json.dumps(with_permit(issuer_area="330502", issued_on="1899-12-31")), None),
    "full-width date": (json.dumps({**PERMIT_FACTS, "as_of": "２０２６-12-01"}), "as_of"),
    "full-width area code": (
        json.dumps(with_permit(issuer_area="３３０５０２", issued_on="2024-11-01")),
        "person.permits.0.issuer_area",
    ),
    "Arabic-Indic area code": (
        json.dumps(with_permit(issuer_area="٣٣٠٥٠٢", issued_on="2024-11-01")),
        "person.permits.0.issuer_area",
    ),
    "huge insurance months": (
        json.dumps(
            {**PERMIT_FACTS, "person": {**PERMIT_FACTS["person"], "employment": {"area": "330502",
             "social_insurance_months": 10**14}}}
        ),
        "person.employment.social_insurance_months",
    ),
}  # fmt: skip


@pytest.mark.parametrize(("body", "field"), ATTACKS.values(), ids=ATTACKS.keys())
def test_api_refuses_each_attack_with_400_naming_the_field(officer_client, body, field):
    response = post(officer_client, body)
    assert_refused(response, field or "person.permits.0.issued_on")


def test_api_refuses_non_utf8_with_400(officer_client):
    assert_refused(post(officer_client, b'{"as_of": "\xff\xfe"}'), "(document)")


def test_dates_out_of_range_name_the_field_and_the_range(officer_client):
    body = assert_refused(
        post(officer_client, json.dumps(with_permit(issuer_area="330502", issued_on="1899-12-31"))),
        "person.permits.0.issued_on",
    )
    assert "1900-01-01" in body["message"] and "2100-12-31" in body["message"]


def test_the_last_day_in_range_is_decided_without_crashing(officer_client):
    facts = {**with_permit(issuer_area="330502", issued_on="2100-12-01"), "as_of": "2100-12-31"}
    response = post(officer_client, json.dumps(facts))
    assert response.status_code == 200
    assert response.json()["eligible"] is False  # the permit is a month old


def test_full_width_area_code_no_longer_flips_the_decision(officer_client):
    ascii_answer = post(officer_client, json.dumps(PERMIT_FACTS))
    assert ascii_answer.status_code == 200
    assert ascii_answer.json()["eligible"] is True
    full_width = post(officer_client, json.dumps(with_permit(issuer_area="３３０５０２", issued_on="2024-11-01")))
    assert_refused(full_width, "person.permits.0.issuer_area")


def test_form_posts_are_not_parsed_as_facts(officer_client):
    response = officer_client.post(URL, {"as_of": "2026-12-01"})
    assert response.status_code == 415


# --- property: no JSON value yields a 500 or a traceback -----------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=25,
)
dates = st.one_of(st.dates().map(str), st.text(max_size=12), st.integers())
codes = st.one_of(st.sampled_from(["330502", "330503", "３３０５０２", "330502\n", "", "1" * 7]), st.text(max_size=7))
fact_documents = st.fixed_dictionaries(
    {"as_of": dates, "target": st.fixed_dictionaries({"area": codes, "urban": st.booleans()})},
    optional={
        "person": st.fixed_dictionaries(
            {"birth_date": dates, "marital_status": st.sampled_from(["unmarried", "married", "x"])},
            optional={
                "permits": st.lists(
                    st.fixed_dictionaries({"issuer_area": codes, "issued_on": dates}) | json_values, max_size=3
                ),
                "lease": st.fixed_dictionaries({"area": codes, "filed_on": dates}) | json_values,
                "employment": st.fixed_dictionaries(
                    {"area": codes, "social_insurance_months": st.integers() | json_values}
                ),
                "education": json_values,
            },
        ),
        "family": st.lists(json_values, max_size=2),
    },
)
documents = st.one_of(json_values, fact_documents)


@hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(documents)
def test_no_json_value_gives_the_api_a_500(officer_client, document):
    cache.clear()  # each example is a new client as far as the API's rate limit goes
    response = post(officer_client, json.dumps(document))
    assert response.status_code in (200, 400), response.content[:300]
    if response.status_code == 400:
        assert response.json()["field"]


@hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=documents)
def test_no_json_value_gives_the_command_a_traceback(db, tmp_path, document):
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("check_eligibility", str(path), stdout=out, stderr=err)
    except SystemExit as exit_:
        assert exit_.code == 2
        assert out.getvalue() == ""
        assert len(err.getvalue().strip().splitlines()) == 1
    else:
        decision = json.loads(out.getvalue())
        assert decision["routes"] or decision["refusal"] == "S0"  # S0 lists no routes


# --- the command, run as a process ----------------------------------------------------------------


def run_command(stdin: bytes) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check_eligibility", "-"],
        cwd=Path(settings.BASE_DIR),
        input=stdin,
        capture_output=True,
        timeout=120,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "hukou_portal.settings.test",
            "DATABASE_URL": database_url_of_the_tests(),
        },
    )


COMMAND_ATTACKS = {
    "[ x 100000": (b"[" * 100_000, "(document): larger than 64 KB"),
    "deep nesting": (b"[" * 50_000, "(document): nested deeper than 20"),
    "5000-digit number": (b'{"as_of": ' + b"9" * 5000 + b"}", "(document): a number has more than 15 digits"),
    "not UTF-8": (b'{"as_of": "\xff"}', "(document): not UTF-8"),
    "over 64 KB": (b" " * 70_000 + b"{}", "(document): larger than 64 KB"),
    "wrong type": (json.dumps({**PERMIT_FACTS, "target": [1]}).encode(), "target"),
    "year 9999": (json.dumps({**PERMIT_FACTS, "as_of": "9999-12-31"}).encode(), "as_of: out of range"),
    "full-width area code": (
        json.dumps(with_permit(issuer_area="３３０５０２", issued_on="2024-11-01")).encode(),
        "person.permits.0.issuer_area: not an area code",
    ),
}


@pytest.mark.parametrize(("stdin", "line"), COMMAND_ATTACKS.values(), ids=COMMAND_ATTACKS.keys())
def test_command_exits_2_with_one_line_for_each_attack(stdin, line, transactional_db):
    result = run_command(stdin)
    stderr = result.stderr.decode()
    assert result.returncode == 2, stderr
    assert result.stdout == b""
    assert "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1
    assert stderr.strip().startswith(line)
