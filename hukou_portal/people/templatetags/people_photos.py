"""A person's ID photo on any page (一窗通拍, D2): ``{% load people_photos %}`` then
``{% person_photo person size="card" %}``.

Sizes: ``thumb`` (the person page), ``card`` (the e-permit card), ``print`` (26 × 32 mm, the
household register page 常住人口登记卡). Without a current photo it says so (暂无照片) in a box of
the same size, so a printed layout does not move. The image is served by
``people:person_photo_image``, which checks again that the viewer may see the person.

Each call reads the current photo (one query on an index) unless it is given: a page that shows
many people passes ``photo=`` from ``selectors.person_photos_current``.
"""

from typing import Any

from django import template

from hukou_portal.people.models import Person, PersonPhoto
from hukou_portal.people.selectors import person_photo_current

register = template.Library()

SIZES = ("thumb", "card", "print")
_NOT_GIVEN: Any = object()


@register.inclusion_tag("people/_person_photo.html")
def person_photo(person: Person, size: str = "thumb", photo: Any = _NOT_GIVEN, caption: bool = False) -> dict[str, Any]:
    if size not in SIZES:
        raise template.TemplateSyntaxError(f"person_photo: size is one of {', '.join(SIZES)}, not {size!r}")
    if photo is _NOT_GIVEN:
        photo = person_photo_current(person=person)
    return {"person": person, "photo": photo, "size": size, "caption": caption}


@register.simple_tag
def current_photo(person: Person) -> PersonPhoto | None:
    """``{% current_photo person as photo %}``: the person's current photo, or None."""
    return person_photo_current(person=person)
