"""The contract's two doors: the command and the REST endpoint, exactly as ELIGIBILITY.md says."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.helpers import database_url_of_the_tests, sign_in

FACTS = {
    "as_of": "2026-12-01",
    "target": {"area": "330502", "urban": True},
    "person": {
        "birth_date": "1995-03-02",
        "marital_status": "married",
        "education": {"level": "bachelor", "full_time": True},
    },
}


def run_command(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check_eligibility", *args],
        cwd=Path(settings.BASE_DIR),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "hukou_portal.settings.test",
            "DATABASE_URL": database_url_of_the_tests(),
        },
    )


def test_command_prints_the_decision_and_exits_0(tmp_path, transactional_db):
    path = tmp_path / "facts.json"
    path.write_text(json.dumps(FACTS))
    result = run_command(str(path))
    assert result.returncode == 0, result.stderr
    decision = json.loads(result.stdout)
    assert decision["eligible"] is True
    s31 = next(route for route in decision["routes"] if route["clause"] == "S3.1")
    assert (s31["household"], s31["address_order"]) == ("community_collective", 5)
    assert decision["parameters"]["lease_filing_min_months"] == 6


def test_command_reads_standard_input_and_exits_0_when_not_eligible(transactional_db):
    facts = {**FACTS, "target": {"area": "330502", "urban": False}}
    result = run_command("-", stdin=json.dumps(facts))
    assert result.returncode == 0
    assert json.loads(result.stdout)["refusal"] == "S0"


@pytest.mark.parametrize(
    ("document", "line"),
    [
        (
            {**FACTS, "person": {**FACTS["person"], "birth_date": "1995-02-30"}},
            "person.birth_date: not a date (YYYY-MM-DD)",
        ),
        ({**FACTS, "target": {"area": "110101", "urban": True}}, "target.area: not a Huzhou county-level area"),
        ("not json", "(document): not JSON"),
    ],
)
def test_command_refuses_bad_facts_with_exit_2_and_one_line(document, line, transactional_db):
    stdin = document if isinstance(document, str) else json.dumps(document)
    result = run_command("-", stdin=stdin)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().startswith(line)
    assert len(result.stderr.strip().splitlines()) == 1


def test_api_returns_the_decision_for_signed_in_staff(officer_client):
    response = officer_client.post("/api/v1/settlement/eligibility", FACTS, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["eligible"] is True


def test_api_refuses_bad_facts_with_400_naming_the_field(officer_client):
    facts = {**FACTS, "person": {**FACTS["person"], "birth_date": "2030-01-01"}}
    response = officer_client.post("/api/v1/settlement/eligibility", facts, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["field"] == "person.birth_date"
    assert "birth_date" in response.json()["errors"]["person"]


def test_api_is_for_signed_in_staff_only(db):
    response = Client().post("/api/v1/settlement/eligibility", FACTS, content_type="application/json")
    assert response.status_code == 403


def test_api_needs_the_csrf_token_of_the_session(staff):
    client = sign_in(Client(enforce_csrf_checks=True), staff.officer)
    response = client.post("/api/v1/settlement/eligibility", FACTS, content_type="application/json")
    assert response.status_code == 403


def test_openapi_schema_describes_the_endpoint(officer_client):
    response = officer_client.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    text = response.content.decode()
    assert "/api/v1/settlement/eligibility" in text
    assert "marital_status" in text
