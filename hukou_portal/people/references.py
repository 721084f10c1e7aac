"""Signed, expiring references to a person, for addresses that must name someone.

A citizen ID number never goes into a URL: the browser history, a proxy's and the server's
access logs would keep it. A page that must name a person in its address (the audit trail
filtered by person, an intake page opened for an applicant) is reached by POSTing the number
to a view that finds the person and redirects to an address carrying this opaque reference
instead. It names the person's row, not the number, is signed with SECRET_KEY under a salt per
purpose (a reference made for one page is refused by another), and expires.

The page that reads one still scopes the person to what its user may see — or, for a reference
made by an accounted lookup in the city register (全域就近办, D3), is bound to the user who made
the lookup (``user_id``): another account cannot use it, so it opens nobody for them.
"""

from django.core import signing

MAX_AGE_SECONDS = 24 * 3600


def _salt(purpose: str, user_id: int | None) -> str:
    return purpose if user_id is None else f"{purpose}:user-{user_id}"


def person_reference(person_id: int, *, purpose: str, user_id: int | None = None) -> str:
    return signing.dumps(person_id, salt=_salt(purpose, user_id), compress=True)


def person_from_reference(token: str, *, purpose: str, user_id: int | None = None) -> int | None:
    """The person's id, or None when the reference is forged, made for another purpose or
    another user, or expired."""
    try:
        return int(signing.loads(token, salt=_salt(purpose, user_id), max_age=MAX_AGE_SECONDS))
    except (signing.BadSignature, TypeError, ValueError):
        return None
