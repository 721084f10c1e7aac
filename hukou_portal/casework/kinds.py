"""The case kind registry. Each domain app registers its kinds in its AppConfig.ready().

A kind declares its categories, the documents each category requires, the default of its
processing deadline in working days (a rule parameter, ``case_deadline_days.<code>``, which
administrators change like any other), whether a supervisor must approve it, and what
completion does. Everything else about a
case — states, queues, deadlines, audit — is the same for every kind.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.functional import Promise

if TYPE_CHECKING:
    from hukou_portal.accounts.models import User
    from hukou_portal.people.models import Town

    from .models import Case

Label = str | Promise


@dataclass(frozen=True)
class DocumentRequirement:
    code: str
    label: Label


@dataclass(frozen=True)
class Category:
    code: str
    label: Label
    documents: tuple[DocumentRequirement, ...]


@dataclass(frozen=True)
class CaseKind:
    code: str
    label: Label
    clause: str  # the RULES.md clause the kind carries out
    categories: tuple[Category, ...]
    # The default of the kind's ``case_deadline_days`` rule parameter (registered with the kind);
    # a case's deadline counts the value in force on the day it was accepted (受理).
    deadline_working_days: int
    needs_approval: bool
    # Runs inside the completion transaction of an approved case; writes the case's effect.
    on_complete: Callable[["Case", "User"], None] = field(default=lambda case, actor: None)
    # Kind-specific facts taken at intake: a form class, and a hook (inside the intake
    # transaction) that stores its cleaned data; the template shows them on the case page.
    intake_form: type[forms.Form] | None = None
    on_intake: Callable[["Case", dict[str, Any]], None] = field(default=lambda case, data: None)
    detail_template: str | None = None
    # Extra context for ``detail_template`` (one call per case page).
    detail_context: Callable[["Case"], dict[str, Any]] = field(default=lambda case: {})
    intake_template: str | None = None  # how the intake form renders (default: crispy)
    # Initial values of the intake form from what the portal already holds about the applicant.
    intake_initial: Callable[[Any], dict[str, Any]] | None = None
    # Documents kept in data (editable by administrators) instead of ``categories``' tuples.
    documents_for: Callable[[str], tuple[DocumentRequirement, ...]] | None = None
    # Runs inside an approval or rejection, before it is saved: may refuse it (ApplicationError)
    # and returns what the audit event should add (e.g. the decision's basis).
    on_decide: Callable[["Case", "User", str, str], dict[str, Any]] = field(
        default=lambda case, actor, decision, justification: {}
    )
    # The supervisor's approve and reject pages show the kind's own check of the case above
    # the form (the engine's result, the permit conditions): a template and its context.
    decision_template: str | None = None
    decision_context: Callable[["Case"], dict[str, Any]] = field(default=lambda case: {})
    # Label of the approve page's justification box (default: a neutral 理由/说明).
    justification_label: Label | None = None
    # URL name (taking the case's pk) of the printed decision notice, once the case is decided.
    decision_notice_url: str | None = None
    # The town of the address the case is about (the home declared, the home or lease a permit
    # rests on, the place of settlement), or None when the kind or this case has none. The case
    # page names the office answering for it (``people.selectors.town_offices``) and offers 转办
    # there when that is another station (D1).
    address_town: Callable[["Case"], "Town | None"] = field(default=lambda case: None)
    # What the case page reads of the kind's own rows, fetched in one query each before the page
    # renders: ``prefetch_related_objects`` lookups (e.g. a one-to-one row with its town, area
    # and station), made when called so that the kind's models are ready.
    detail_prefetch: Callable[[], tuple[Any, ...]] = field(default=lambda: ())

    def category(self, code: str) -> Category:
        for category in self.categories:
            if category.code == code:
                return category
        raise KeyError(f"{self.code} has no category {code!r}")

    def required_documents(self, category: str) -> tuple[DocumentRequirement, ...]:
        if self.documents_for is not None:
            return self.documents_for(category)
        return self.category(category).documents

    def document_label(self, code: str) -> Label:
        for category in self.categories:
            for requirement in self.required_documents(category.code):
                if requirement.code == code:
                    return requirement.label
        return code


_REGISTRY: dict[str, CaseKind] = {}


def register(kind: CaseKind) -> CaseKind:
    """Add ``kind``, and its processing-deadline parameter with the kind's working days as default."""
    from hukou_portal.rules.parameters import register_case_deadline

    if kind.code in _REGISTRY and _REGISTRY[kind.code] is not kind:
        raise ValueError(f"Case kind {kind.code!r} is registered twice")
    _REGISTRY[kind.code] = kind
    register_case_deadline(kind_code=kind.code, kind_label=kind.label, default=kind.deadline_working_days)
    return kind


def unregister(code: str) -> None:
    """For tests that register a kind of their own."""
    from hukou_portal.rules.parameters import unregister_case_deadline

    _REGISTRY.pop(code, None)
    unregister_case_deadline(code)


def get_kind(code: str) -> CaseKind:
    try:
        return _REGISTRY[code]
    except KeyError:
        raise KeyError(f"Unknown case kind {code!r}") from None


def all_kinds() -> list[CaseKind]:
    return sorted(_REGISTRY.values(), key=lambda kind: kind.code)
