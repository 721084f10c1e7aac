"""The engine's decision (its JSON, live or as recorded) in words an applicant understands.

Every page that shows a settlement decision — the live pre-check, the case page, the
supervisor's approval page, the notices — reads it through ``explain_decision``: the routes of
the category applied for first, the others after (folded away on the page), each check as a
sentence, the alternatives of a route grouped, the family verdicts and the parameters used.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from hukou_portal.core.vocabulary import (
    ChangeRow,
    CheckGroup,
    CheckLine,
    date_words,
    describe_rows,
    explain_checks,
    field_of,
    say,
    term,
)

from .labels import ALTERNATIVES
from .models import CATEGORY_CLAUSES


@dataclass
class RouteText:
    clause: str
    title: str
    eligible: bool
    household: str  # "" when not eligible
    address_order: int | None
    eligible_from: str  # "" unless only time is missing
    groups: list[CheckGroup]

    @property
    def failed(self) -> list[CheckLine]:
        """What is not met: the failed checks, and of a group of alternatives all of them."""
        lines: list[CheckLine] = []
        for group in self.groups:
            if not group.ok:
                lines.extend(line for line in group.lines if not line.ok)
        return lines


@dataclass
class FamilyText:
    ref: str
    may_accompany: bool
    reason: str


@dataclass
class DecisionText:
    as_of: str
    eligible: bool
    refusal: str  # the S0 sentence, or ""
    applied: list[RouteText]  # the routes of the category applied for
    others: list[RouteText]
    family: list[FamilyText] = field(default_factory=list)
    parameters: list[tuple[str, str]] = field(default_factory=list)

    @property
    def applied_eligible(self) -> bool:
        return any(route.eligible for route in self.applied)

    @property
    def others_eligible(self) -> list[RouteText]:
        return [route for route in self.others if route.eligible]


def explain_route(route: Mapping[str, Any]) -> RouteText:
    clause = route["clause"]
    return RouteText(
        clause=clause,
        title=term("settlement_route", clause),
        eligible=bool(route.get("eligible")),
        household=term("household", route["household"]) if route.get("household") else "",
        address_order=route.get("address_order"),
        eligible_from=date_words(route["eligible_from"]) if route.get("eligible_from") else "",
        groups=explain_checks(
            f"settlement.{clause}",
            route.get("checks", []),
            ALTERNATIVES.get(clause, ()),
            _("Any one of these is enough"),
        ),
    )


FAMILY_REASONS = {
    "spouse": lambda relation: _("Spouse: may move with the applicant."),
    "minor child": lambda relation: _("Minor child: may move with the applicant."),
    "unmarried child": lambda relation: _("Unmarried child: may move with the applicant."),
}


def family_reason(verdict: Mapping[str, Any], relation: str = "") -> str:
    """The engine's S6.1 reason in words. Its reasons are fixed phrases (ELIGIBILITY.md); those
    that name a relation ("parent: not covered by S6.1 …") read with the relation's name."""
    reason = str(verdict.get("reason", ""))
    if reason in FAMILY_REASONS:
        return FAMILY_REASONS[reason](relation)
    if reason.startswith("no eligible route"):
        return _("No route is eligible, so nobody may move with the applicant.")
    if reason.startswith("adult married child"):
        return _("Adult married child: not covered by S6.1; may apply on their own (for example under S2.2).")
    named = reason.partition(":")[0] if ":" in reason else relation
    who = term("family_relation", named) if named else _("This family member")
    if "S2.2" in reason:
        return _("%(who)s: not covered by S6.1; may apply on their own (for example under S2.2).") % {"who": who}
    return _("%(who)s: not covered by S6.1; may apply on their own under another clause.") % {"who": who}


def explain_decision(
    decision: Mapping[str, Any], category: str = "", relations: Mapping[str, str] | None = None
) -> DecisionText:
    """``decision`` is the engine's JSON; ``category`` the category applied for (its clauses
    come first); ``relations`` maps family refs to their relation codes."""
    applied_clauses = CATEGORY_CLAUSES.get(category, ())
    routes = [explain_route(route) for route in decision.get("routes", [])]
    relations = relations or {}
    return DecisionText(
        as_of=date_words(decision.get("as_of")),
        eligible=bool(decision.get("eligible")),
        refusal=_("S0: settlement under this notice is limited to urban areas.") if decision.get("refusal") else "",
        applied=[route for route in routes if route.clause in applied_clauses],
        others=[route for route in routes if route.clause not in applied_clauses],
        family=[
            FamilyText(
                verdict["ref"],
                bool(verdict.get("may_accompany")),
                family_reason(verdict, relations.get(verdict["ref"], "")),
            )
            for verdict in decision.get("family", [])
        ],
        parameters=describe_rows("parameter", decision.get("parameters", {})),
    )


def explain_changes(changes: list[Mapping[str, Any]] | None) -> list[ChangeRow]:
    """What the decision found changed since intake, a row per fact: its name, as entered at
    intake and as the records stand (selectors.application_facts_now)."""
    rows = []
    for change in changes or []:
        spec = field_of("settlement.change", change["name"])
        rows.append(
            ChangeRow(
                str(spec.label),
                say(change.get("before"), spec.kind, change),
                say(change.get("after"), spec.kind, change),
                True,
            )
        )
    return rows
