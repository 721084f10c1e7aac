"""Django's ``ModelBackend``, reading a user's permissions from the cache (``accounts.authz``) and
their office with the user (every page names or scopes by it)."""

from typing import Any

from django.contrib.auth.backends import ModelBackend

from . import authz
from .models import User


class PortalBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        user = User.objects.select_related("office").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):

            def read() -> frozenset[str]:
                return frozenset(super(PortalBackend, self).get_all_permissions(user_obj))

            user_obj._perm_cache = set(authz.cached(user_obj, "permissions", read))
        return user_obj._perm_cache  # type: ignore[no-any-return]
