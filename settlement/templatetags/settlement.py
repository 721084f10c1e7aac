from typing import Any

from django import template

from hukou_portal.core.vocabulary import ChangeRow, term
from settlement.explain import DecisionText, explain_changes, explain_decision

register = template.Library()


@register.filter
def household_label(code: str | None) -> str:
    return term("household", code)


@register.filter
def relation_label(code: str) -> str:
    return term("family_relation", code)


@register.simple_tag
def explain(engine: dict[str, Any] | None, category: str = "", members: Any = None) -> DecisionText | None:
    """``{% explain engine case.category members as decision %}``: the decision in words.
    ``members`` are (member, verdict) pairs or SettlementMember rows, for the family's relations."""
    if not engine:
        return None
    relations = {}
    for item in members or []:
        member = item[0] if isinstance(item, tuple | list) else item
        relations[member.ref] = member.relation
    return explain_decision(engine, category, relations)


@register.simple_tag(takes_context=True)
def explained(context: Any) -> DecisionText | None:
    """``{% explained as decision %}``: the decision of the page — ``decision`` when the page
    already explained it, else ``engine`` explained for ``category`` (or the case's category)."""
    if context.get("decision") is not None:
        return context["decision"]
    case = context.get("case")
    category = context.get("category") or (case.category if case is not None else "")
    return explain(context.get("engine"), category, context.get("members"))


@register.simple_tag
def fact_changes(changes: Any) -> list[ChangeRow]:
    """``{% fact_changes facts_changes as rows %}``: what changed since intake, in words."""
    return explain_changes(changes)
