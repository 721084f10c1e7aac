"""The households section of the person's file (一人一档): every household the person was ever a
member of, with when and why they joined and left, and a 准迁证 still waiting for the origin."""

from django.utils.translation import gettext_lazy as _

from hukou_portal.people.file import FileSection

from .selectors import person_households

SECTION = FileSection(
    code="households",
    title=_("Households (户)"),
    template="people/partials/person_file_households.html",
    rows=person_households,
    order=16,
    empty=_("Not a member of any household of the register."),
)
