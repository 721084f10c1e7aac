"""The person's file (一人一档): the sections each domain app registers for the person page.

``people`` never imports the domain apps. Each app registers, in its ``AppConfig.ready()``, a
section: a selector that takes the asking user and the person and returns the rows the user may
see, and a template partial that renders them (with a link to each row's own page). The person
page asks every section once, so it runs a fixed number of queries whatever the person holds:
keep each selector to one or two queries (``select_related``, no per-row lookups).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

if TYPE_CHECKING:
    from hukou_portal.accounts.models import User

    from .models import Person

Label = str | Promise


@dataclass(frozen=True)
class FileSection:
    code: str  # unique; also the section's HTML id (``file-<code>``)
    title: Label
    template: str  # rendered with ``rows``, ``person`` and ``section`` in its context
    rows: Callable[["User", "Person"], Sequence[Any]]
    order: int = 100  # smaller first
    empty: Label = ""  # shown when there are no rows; a generic text when blank


@dataclass(frozen=True)
class FilledSection:
    section: FileSection
    rows: Sequence[Any]


_SECTIONS: dict[str, FileSection] = {}


def register_section(section: FileSection) -> FileSection:
    if section.code in _SECTIONS and _SECTIONS[section.code] is not section:
        raise ValueError(f"Person-file section {section.code!r} is registered twice")
    _SECTIONS[section.code] = section
    return section


def unregister_section(code: str) -> None:
    """For tests that register a section of their own."""
    _SECTIONS.pop(code, None)


def all_sections() -> list[FileSection]:
    return sorted(_SECTIONS.values(), key=lambda section: (section.order, section.code))


def person_file(*, user: "User", person: "Person", only: Sequence[str] | None = None) -> list[FilledSection]:
    """Every registered section (or those whose codes are in ``only``) with the rows ``user`` may
    see (the caller has checked that the user may see ``person``, or looked them up)."""
    return [
        FilledSection(section, list(section.rows(user, person)))
        for section in all_sections()
        if only is None or section.code in only
    ]
