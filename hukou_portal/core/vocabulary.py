"""One vocabulary: how facts, checks, parameter values and audit changes read in Chinese.

A page never prints a Python value where it can be a bool, a list, a dict, a date or a code.
It asks this module, which turns a value into words by its *kind*:

- built-in kinds: ``bool`` (是/否), ``date`` (2026年5月24日; a ``date`` or an ISO string),
  ``months`` / ``days`` / ``years`` / ``age`` (a number and its unit), ``area`` (an area code's
  name, GB/T 2260), ``text``; a list of values is 、-joined, a mapping reads field by field;
- term kinds that apps register: a code set and the words for each code
  (``register_terms("education_level", {"bachelor": _("Bachelor's degree"), ...})``);
- fields that apps register per scope (a check's, a fact's or an audited field's name): its
  label and the kind of its values (``register_fields("settlement", {"lease_filing_months":
  Field(_("..."), "months")})``).

Each app keeps its registrations in its ``labels.py``; they are imported the first time the
vocabulary is asked (``autodiscover_modules("labels")``), so no app imports another's labels.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .areas import area_name, short_area_name

Label = str | Promise
# A kind is a registered name, or a function of (value, the other values of the same record).
Kind = str | Callable[[Any, Mapping[str, Any]], str]

NOTHING = "—"
LIST_SEPARATOR = "、"


@dataclass(frozen=True)
class Field:
    label: Label
    kind: Kind = "text"
    # How the requirement of a check reads when its raw value is not meant for people
    # (e.g. "spouse, or a minor or unmarried child").
    required_words: Label | Callable[[Any], str] | None = None
    # A check whose requirement is "one of these": the list reads "A、B 之一".
    one_of: bool = False


_TERMS: dict[str, dict[str, Label]] = {}
_FIELDS: dict[str, dict[str, Field]] = {}
_loaded = False


def register_terms(kind: str, terms: Mapping[str, Label]) -> None:
    _TERMS.setdefault(kind, {}).update(terms)


def register_fields(scope: str, fields: Mapping[str, Field]) -> None:
    _FIELDS.setdefault(scope, {}).update(fields)


def _ensure_loaded() -> None:
    global _loaded
    if not _loaded:
        _loaded = True
        autodiscover_modules("labels")


def term(kind: str, code: Any) -> str:
    """The words for ``code`` in the code set ``kind``; the code itself only when nobody
    registered it (a gap the crawler test reports)."""
    _ensure_loaded()
    if code is None or code == "":
        return NOTHING
    label = _TERMS.get(kind, {}).get(str(code))
    return str(label) if label is not None else str(code)


def has_term(kind: str, code: Any) -> bool:
    _ensure_loaded()
    return str(code) in _TERMS.get(kind, {})


def field_of(scope: str, name: str) -> Field:
    """The field ``name`` in ``scope``, falling back to the scope's parents (``case.approve`` →
    ``case`` → the global scope ``""``); an unregistered name reads as itself."""
    _ensure_loaded()
    parts = scope.split(".") if scope else []
    for depth in range(len(parts), -1, -1):
        found = _FIELDS.get(".".join(parts[:depth]), {}).get(name)
        if found is not None:
            return found
    return Field(name)


# --- values ---------------------------------------------------------------------------------


def as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def date_words(value: Any) -> str:
    day = as_date(value)
    if day is None:
        return NOTHING if value in (None, "") else str(value)
    return _("%(year)d-%(month)02d-%(day)02d") % {"year": day.year, "month": day.month, "day": day.day}


def _number_with_unit(value: Any, singular: str, plural: str) -> str:
    if value is None or value == "":
        return NOTHING
    try:
        number = int(value)
    except (TypeError, ValueError):
        return str(value)
    return (singular if number == 1 else plural) % {"n": number}


def _bool_words(value: Any) -> str:
    if value is None:
        return NOTHING
    return _("Yes") if value else _("No")


def _area_words(value: Any) -> str:
    if not value:
        return NOTHING
    return short_area_name(str(value)) or _("area %(code)s (unknown code)") % {"code": value}


BUILT_IN: dict[str, Callable[[Any], str]] = {
    "text": lambda value: NOTHING if value in (None, "") else str(value),
    "bool": _bool_words,
    "date": date_words,
    "months": lambda value: _number_with_unit(value, _("%(n)d month"), _("%(n)d months")),
    "days": lambda value: _number_with_unit(value, _("%(n)d day"), _("%(n)d days")),
    "working_days": lambda value: _number_with_unit(value, _("%(n)d working day"), _("%(n)d working days")),
    "years": lambda value: _number_with_unit(value, _("%(n)d year"), _("%(n)d years")),
    "age": lambda value: _number_with_unit(value, _("%(n)d year of age"), _("%(n)d years of age")),
    "area": _area_words,
    "full_area": lambda value: area_name(str(value)) or _area_words(value),
}


def say(value: Any, kind: Kind = "text", record: Mapping[str, Any] | None = None) -> str:
    """``value`` in words, by its kind. Lists are 、-joined; mappings read field by field (in the
    global scope); a bool always reads 是/否 and None always "—", whatever the kind."""
    _ensure_loaded()
    if callable(kind):
        return kind(value, record or {})
    if value is None:
        return NOTHING
    if isinstance(value, list | tuple | set | frozenset):
        items = [say(item, kind, record) for item in value]
        return LIST_SEPARATOR.join(items) if items else _("none")
    if isinstance(value, Mapping):
        return describe("", value)
    if isinstance(value, bool):
        return _bool_words(value)
    if kind in BUILT_IN:
        return BUILT_IN[kind](value)
    if kind in _TERMS:
        return term(kind, value)
    return str(value)


def describe(scope: str, values: Mapping[str, Any]) -> str:
    """A record as one line: "label：words；label：words"."""
    return "；".join(f"{label}：{words}" for label, words in describe_rows(scope, values))


def describe_rows(scope: str, values: Mapping[str, Any]) -> list[tuple[str, str]]:
    rows = []
    for name, value in values.items():
        spec = field_of(scope, name)
        rows.append((str(spec.label), say(value, spec.kind, values)))
    return rows


@dataclass(frozen=True)
class ChangeRow:
    label: str
    before: str
    after: str
    changed: bool


def describe_change(scope: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> list[ChangeRow]:
    """Field by field: the label, the value before and after (— where there was none)."""
    rows = []
    for name in list(dict.fromkeys([*old.keys(), *new.keys()])):
        spec = field_of(scope, name)
        before = say(old[name], spec.kind, old) if name in old else ""
        after = say(new[name], spec.kind, new) if name in new else ""
        rows.append(ChangeRow(str(spec.label), before, after, name in old and name in new))
    return rows


# --- checks -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckLine:
    """One check as a sentence: what was required, what was found, and whether it is met."""

    name: str
    label: str
    found: str
    required: str
    ok: bool


@dataclass
class CheckGroup:
    """Checks read together: all of them must hold, or (``any_of``) one suffices."""

    lines: list[CheckLine]
    any_of: bool = False
    title: str = ""
    ok: bool = field(init=False)

    def __post_init__(self) -> None:
        results = [line.ok for line in self.lines]
        self.ok = any(results) if self.any_of else all(results)


def _required_words(spec: Field, required: Any, record: Mapping[str, Any]) -> str:
    if callable(spec.required_words):
        return spec.required_words(required)
    if spec.required_words is not None:
        return str(spec.required_words)
    if spec.kind in ("months", "days", "working_days", "years") and isinstance(required, int):
        return _("at least %(amount)s") % {"amount": say(required, spec.kind, record)}
    if spec.one_of and isinstance(required, list | tuple):
        return _("one of %(items)s") % {"items": say(list(required), spec.kind, record)}
    return say(required, spec.kind, record)


def explain_check(scope: str, check: Mapping[str, Any]) -> CheckLine:
    spec = field_of(scope, check["name"])
    return CheckLine(
        name=check["name"],
        label=str(spec.label),
        found=say(check.get("value"), spec.kind, check),
        required=_required_words(spec, check.get("required"), check),
        ok=bool(check.get("ok")),
    )


def explain_checks(
    scope: str, checks: Iterable[Mapping[str, Any]], alternatives: Iterable[str] = (), any_of_title: Label = ""
) -> list[CheckGroup]:
    """The checks in their order, those named in ``alternatives`` gathered into one group of
    which one suffices (placed where the first of them stood)."""
    alternatives = tuple(alternatives)
    groups: list[CheckGroup] = []
    either: list[CheckLine] = []
    placeholder: CheckGroup | None = None
    for check in checks:
        line = explain_check(scope, check)
        if line.name in alternatives:
            if placeholder is None:
                placeholder = CheckGroup([], any_of=True, title=str(any_of_title or gettext_lazy("One suffices")))
                groups.append(placeholder)
            either.append(line)
        else:
            groups.append(CheckGroup([line]))
    if placeholder is not None:
        placeholder.lines = either
        placeholder.__post_init__()
    return groups
