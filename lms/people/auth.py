"""Authentication helpers: the client address for django-axes, and a permission backend with a cache."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache


def client_ip(request) -> str | None:
    """Return the client's address, trusting X-Forwarded-For only behind known proxies."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


PERMISSIONS_VERSION_KEY = "people:perms-version"
PERMISSIONS_TIMEOUT = 60 * 60


def permissions_version() -> int:
    return cache.get_or_set(PERMISSIONS_VERSION_KEY, 1, None)


def permissions_forget(**kwargs) -> None:
    """Forget every cached permission set (a role, group membership or permission changed)."""
    try:
        cache.incr(PERMISSIONS_VERSION_KEY)
    except ValueError:
        cache.set(PERMISSIONS_VERSION_KEY, 2, None)


class CachedPermissionBackend(ModelBackend):
    """Django's model backend, with each user's permission set kept in the cache.

    A lesson page asks whether the learner may see trainer notes; without the cache that is two
    queries on every page. Any change to groups, memberships or permissions bumps the version (the
    handlers are wired in ``PeopleConfig.ready``), and the superuser flag is part of the key.
    """

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            key = f"people:perms:{permissions_version()}:{user_obj.pk}:{int(user_obj.is_superuser)}"
            permissions = cache.get(key)
            if permissions is None:
                permissions = super().get_all_permissions(user_obj)
                cache.set(key, permissions, PERMISSIONS_TIMEOUT)
            user_obj._perm_cache = permissions
        return user_obj._perm_cache


def register_permission_signals() -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.db.models.signals import m2m_changed, post_delete, post_save

    user_model = get_user_model()
    for through in (user_model.groups.through, user_model.user_permissions.through, Group.permissions.through):
        m2m_changed.connect(permissions_forget, sender=through, dispatch_uid=f"people_perms_{through.__name__}")
    for model in (Group, Permission):
        post_save.connect(permissions_forget, sender=model, dispatch_uid=f"people_perms_save_{model.__name__}")
        post_delete.connect(permissions_forget, sender=model, dispatch_uid=f"people_perms_delete_{model.__name__}")
