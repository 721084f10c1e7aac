"""The one vocabulary: values, checks, decisions, parameters and audit changes read in Chinese."""

import datetime as dt
import re

import pytest
from django.template import Context, Template
from django.utils import translation

from hukou_portal.audit.models import AuditEvent
from hukou_portal.core.areas import area_name, short_area_name
from hukou_portal.core.vocabulary import describe_change, explain_checks, field_of, say, term
from hukou_portal.rules.parameters import SPECS
from permits import conditions
from settlement.eligibility import Facts, Parameters, Permit, decide
from settlement.explain import explain_decision

# What a person must never read on a page: a Python value or a code of the engine.
PYTHON_REPR = re.compile(r"\b(True|False|None)\b|[\[\]{}']|\b[a-z]+_[a-z_]+\b")


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def test_values_read_by_their_kind():
    assert (say(True), say(False), say(None)) == ("是", "否", "—")
    assert say(dt.date(2026, 5, 24), "date") == "2026年5月24日"
    assert say("2027-02-28", "date") == "2027年2月28日"
    assert (say(6, "months"), say(30, "days"), say(18, "age")) == ("6个月", "30天", "18周岁")
    assert say(["330502", "330503"], "area") == "吴兴区、南浔区"
    assert say([], "area") == "无"
    assert say("bachelor", "education_level") == "大学本科"


def test_area_codes_read_as_names_from_the_gb2260_data():
    assert area_name("330502") == "浙江省湖州市吴兴区"
    assert short_area_name("330502") == "吴兴区"
    assert area_name("330106") == "浙江省杭州市西湖区"  # elsewhere in Zhejiang: the full name
    assert (area_name("330000"), area_name("310000")) == ("浙江省", "上海市")
    assert area_name("339964") == ""  # not a real code
    assert "339964" in say("339964", "area") and "未知" in say("339964", "area")


def test_alternatives_are_grouped_and_one_suffices():
    checks = [
        {"name": "registration_months", "value": 7, "required": 6, "ok": True},
        {"name": "stable_residence", "value": True, "required": True, "ok": True},
        {"name": "stable_employment", "value": False, "required": True, "ok": False},
        {"name": "continuous_schooling", "value": False, "required": True, "ok": False},
    ]
    groups = explain_checks("permits", checks, ("stable_residence", "stable_employment", "continuous_schooling"))
    assert [len(group.lines) for group in groups] == [1, 3]
    assert groups[1].any_of and groups[1].ok  # one of three is enough
    assert groups[0].lines[0].found == "7个月" and groups[0].lines[0].required == "满6个月"


def test_permit_conditions_page_marks_only_what_fails():
    """Two unmet alternatives are not red when the third is met (the first wave's finding)."""
    lease = conditions.Evidence("lease_filing", "HZZL-1", "330502", dt.date(2026, 1, 1), dt.date(2027, 12, 31))
    checks = conditions.r32(
        registration_months=0, min_months=6, area="330502", evidence=[lease], on=dt.date(2026, 12, 1)
    )
    html = Template('{% include "permits/partials/conditions.html" %}').render(Context({"checks": checks}))
    assert html.count("text-danger") == 1  # the months, and only them
    assert "以下三项条件满足其一即可" in html and "0个月" in html and "满6个月" in html
    assert "registration_months" not in re.sub(r'data-check="[a-z_]+"', "", html)


def _talent_refusal() -> dict:
    facts = Facts(
        as_of=dt.date(2026, 12, 1),
        target_area="330502",
        target_urban=True,
        birth_date=dt.date(1990, 1, 1),
        marital_status="married",
        education_level="senior_secondary",
        education_full_time=True,
        permits=(Permit("330502", dt.date(2026, 9, 1), True),),
    )
    return decide(facts, Parameters()).to_json()


def test_a_decision_reads_the_applied_route_first_in_words():
    decision = explain_decision(_talent_refusal(), "talent")
    assert [route.clause for route in decision.applied] == ["S3.1"]
    assert "S3.1" not in [route.clause for route in decision.others]
    talent = decision.applied[0]
    either = next(group for group in talent.groups if group.any_of)
    assert [line.name for line in either.lines] == ["education", "qualification", "designated_talent"]
    education = either.lines[0]
    assert (education.found, education.required) == ("普通高中，全日制", "中专（含职高、技校）及以上学历，全日制")
    permit = next(route for route in decision.others if route.clause == "S5.1")
    assert permit.eligible_from == "2027年3月1日"
    for route in [*decision.applied, *decision.others]:
        for group in route.groups:
            for line in group.lines:
                for text in (line.label, line.found, line.required):
                    assert not PYTHON_REPR.search(text), (route.clause, line.name, text)
    assert dict(decision.parameters)["租赁登记备案所需月数"] == "6个月"


def test_the_refusal_notice_lists_only_the_applied_routes_failures():
    html = Template('{% include "settlement/partials/notice_failures.html" %}').render(
        Context({"engine": _talent_refusal(), "category": "talent"})
    )
    assert 'data-clause="S3.1"' in html
    assert "S5.1" not in html and "S1.2" not in html and "租赁" not in html
    assert "学历为普通高中，全日制（要求：中专（含职高、技校）及以上学历，全日制）" in html
    assert "落户地在湖州市" not in html  # met, so not a reason
    assert not re.search(r"、\s*</li>|、。", html)  # no dangling separator


def test_family_reasons_read_as_sentences():
    facts = Facts(
        as_of=dt.date(2026, 12, 1),
        target_area="330502",
        target_urban=True,
        birth_date=dt.date(1980, 1, 1),
        marital_status="married",
        designated_talent=True,
    )
    from settlement.eligibility import FamilyMember

    facts = Facts(
        **{
            **facts.__dict__,
            "family": (
                FamilyMember("m1", "child", dt.date(2015, 6, 1), "unmarried"),
                FamilyMember("m2", "parent", dt.date(1950, 6, 1), "married"),
            ),
        }
    )
    decision = explain_decision(decide(facts, Parameters()).to_json(), "talent", {"m1": "child", "m2": "parent"})
    assert [text.reason for text in decision.family] == [
        "未成年子女：可随迁。",
        "父母：不属于S6.1随迁范围，可另行申请（例如按S2.2投靠）。",
    ]


def test_every_parameter_value_reads_without_codes():
    for spec in SPECS.values():
        words = say(spec.default, spec.words)
        assert not PYTHON_REPR.search(words), (spec.key, words)
        for choice in spec.choices:
            assert term(spec.words, choice) != choice or spec.words == "full_area", (spec.key, choice)


@pytest.mark.django_db
def test_audit_changes_read_field_by_field():
    rows = describe_change("case.approve", {"status": "pending_approval"}, {"status": "approved", "reason": ""})
    assert (rows[0].label, rows[0].before, rows[0].after) == ("状态", "待审批", "已批准")
    event = AuditEvent(
        action="parameter.scheduled",
        old_values={"value": ["330000"]},
        new_values={"key": "recognised_regions", "value": ["330000", "310000"], "effective_from": "2027-01-01"},
    )
    html = Template('{% include "audit/partials/event_change.html" %}').render(Context({"event": event}))
    assert "浙江省、上海市" in html and "2027年1月1日" in html and "互认" in html
    assert "[" not in html and "{" not in html and "recognised_regions" not in html


@pytest.mark.django_db  # settlement's document names live in the database
def test_document_and_permit_decision_fields_read_in_words():
    """The timeline and the trail read an upload's type and size, and a permit decision's
    conditions_met, in words — not image/png, 1174 or conditions_met."""
    upload = describe_change("document.uploaded", {}, {"requirement": "id_card", "type": "image/png", "size": 1174})
    words = {row.label: row.after for row in upload}
    assert words["文件类型"] == "PNG 图片"
    assert words["大小"] == "1.1 KB"
    assert say(391, field_of("document", "size").kind) == "391 字节"
    approve = describe_change("case.approve", {}, {"conditions_met": False, "clause": "R3.2"})
    labels = [row.label for row in approve]
    assert "符合居住证申领条件" in labels and "conditions_met" not in labels
    assert [row.after for row in approve if row.label == "符合居住证申领条件"] == ["否"]
