"""The header search (找任何东西): one box for a case number, a permit or lease-filing number, a
full citizen ID number or the first characters of a name.

Every part reads through the owning app's selector, so it finds only what the user may see:
another office's case is not found, and neither is it hinted at.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from hukou_portal.accounts.models import User

from .redaction import spelled_id_number

# At most this many of each kind are listed; more means "be more precise".
RESULTS_PER_KIND = 20
MAX_QUERY_LENGTH = 50


@dataclass
class SearchResults:
    query: str
    cases: list[Any] = field(default_factory=list)
    permits: list[Any] = field(default_factory=list)
    lease_filings: list[Any] = field(default_factory=list)
    people: list[Any] = field(default_factory=list)
    more: set[str] = field(default_factory=set)  # the kinds cut at RESULTS_PER_KIND
    person_by_id_number: Any = None  # the person a full ID number revealed (to be audited)

    @property
    def count(self) -> int:
        return len(self.cases) + len(self.permits) + len(self.lease_filings) + len(self.people)

    def only_url(self) -> str | None:
        """Where a single result lives; None for none or several."""
        if self.count != 1 or self.more:
            return None
        if self.cases:
            return reverse("casework:case_detail", args=[self.cases[0].pk])
        if self.permits:
            return reverse("permits:permit_detail", args=[self.permits[0].pk])
        if self.lease_filings:
            return reverse("registration:lease_filing_list") + "?" + _query(self.lease_filings[0].filing_number)
        return reverse("people:person_detail", args=[self.people[0].pk])


def _query(value: str) -> str:
    from urllib.parse import urlencode

    return urlencode({"q": value})


def _cut(results: SearchResults, kind: str, rows: list[Any]) -> list[Any]:
    if len(rows) > RESULTS_PER_KIND:
        results.more.add(kind)
    return rows[:RESULTS_PER_KIND]


def search_for_user(*, user: User, query: str) -> SearchResults:
    """What ``query`` finds among what ``user`` may see (at most a few queries, each by index):

    - a whole citizen ID number, however typed (spaces, hyphens, full-width digits): that person,
      exactly, by the number's blind index (the caller audits it);
    - a case number in full (then nothing else: the case's unique index alone) or its serial
      tail, in any state;
    - a permit number or a lease-filing number, exactly;
    - otherwise the first characters of a name: people whose name starts with them.
    """
    from hukou_portal.casework.selectors import FULL_REFERENCE, case_list_for_user, case_search
    from hukou_portal.people.selectors import person_list_for_user
    from permits.selectors import permit_list_for_user
    from registration.selectors import lease_filing_list_for_user

    text = re.sub(r"\s+", "", query)[:MAX_QUERY_LENGTH]
    results = SearchResults(query=text)
    if not text:
        return results
    sees_people = user.has_perm("people.view_person")
    number = spelled_id_number(text)
    if number is not None:
        if sees_people:
            person = person_list_for_user(user=user).with_id_number(number).first()
            if person is not None:
                results.people = [person]
                results.person_by_id_number = person
        return results
    if FULL_REFERENCE.fullmatch(text.upper()):  # a whole case number: its unique index alone
        if user.has_perm("casework.view_case"):
            results.cases = list(case_list_for_user(user=user).filter(reference=text.upper())[:1])
        return results
    if user.has_perm("casework.view_case"):
        cases = case_search(case_list_for_user(user=user), text).order_by("-id")
        results.cases = _cut(results, "cases", list(cases[: RESULTS_PER_KIND + 1]))
    if not sees_people:
        return results
    numbers = {text, text.upper()}
    if re.search(r"\d", text):
        permits = permit_list_for_user(user=user).filter(number__in=numbers).order_by("-id")
        results.permits = _cut(results, "permits", list(permits[: RESULTS_PER_KIND + 1]))
        filings = lease_filing_list_for_user(user=user).filter(filing_number__in=numbers).order_by("-id")
        results.lease_filings = _cut(results, "lease_filings", list(filings[: RESULTS_PER_KIND + 1]))
    if not text.isascii() or not re.search(r"\d", text):  # a name: Chinese, or letters only
        # One index range: the name compared code by code (person_by_name_in_code_order).
        people = person_list_for_user(user=user).filter(name_key__startswith=text).order_by("name_key", "id")
        results.people = _cut(results, "people", list(people[: RESULTS_PER_KIND + 1]))
    return results
