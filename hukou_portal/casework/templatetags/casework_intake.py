"""``{% case_intake_links person as links %}``: one link per case kind to the intake page at the
user's office, opened for ``person`` by a signed reference bound to the user (never the number
in the address). For counter officers only (they open cases); empty for anyone else.

The city register's lookup page uses it, so ``people`` never imports the case kinds."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import template
from django.urls import reverse

from hukou_portal.accounts.roles import Role
from hukou_portal.casework.kinds import all_kinds
from hukou_portal.casework.views import applicant_reference

register = template.Library()


@dataclass(frozen=True)
class IntakeLink:
    code: str
    label: str
    url: str


@register.simple_tag(takes_context=True)
def case_intake_links(context: Any, person: Any) -> list[IntakeLink]:
    user = context["request"].user
    if not user.has_perm("casework.add_case") or Role.COUNTER_OFFICER not in user.roles:
        return []
    reference = urlencode({"applicant": applicant_reference(user=user, person_id=person.pk)})
    return [
        IntakeLink(kind.code, str(kind.label), f"{reverse('casework:case_create_kind', args=[kind.code])}?{reference}")
        for kind in all_kinds()
    ]
