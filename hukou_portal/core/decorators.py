from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required, permission_required


def permission_needed(perm: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Anonymous visitors go to the sign-in page; signed-in users without ``perm`` get 403."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        return login_required(permission_required(perm, raise_exception=True)(view))

    return decorator
