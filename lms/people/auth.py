"""Authentication helpers: the client address for django-axes, a permission backend with a cache, and
the signed-in user (with their roles and permissions) from the cache instead of a query per request."""

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.core.cache import cache
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from .selectors import user_roles


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


USER_TIMEOUT = 60 * 60


def user_cache_key(user_id) -> str:
    # under the permissions version: a change of groups, memberships or permissions forgets every user
    return f"people:user:{permissions_version()}:{user_id}"


def user_forget(sender=None, instance=None, **kwargs) -> None:
    """Forget the cached copy of a user (saved or deleted: a new password, a deactivation, a new name)."""
    if instance is not None and instance.pk is not None:
        _forget_users([instance.pk])


def _forget_users(user_ids) -> None:
    version = permissions_version()
    keys = [user_cache_key(pk) for pk in user_ids]
    keys += [f"people:perms:{version}:{pk}:{flag}" for pk in user_ids for flag in (0, 1)]
    cache.delete_many(keys)


def memberships_forget(sender=None, instance=None, action="", reverse=False, pk_set=None, **kwargs) -> None:
    """A user's groups or own permissions changed: forget that user only, not everyone.

    A role given to a new trainee (a roster import gives hundreds) must not empty every other user's
    cache. From the group's side (``group.user_set.add``) the users are in ``pk_set``; a ``clear``
    from that side names nobody, so everyone is forgotten.
    """
    if not action.startswith("post_"):
        return
    if not reverse:
        _forget_users([instance.pk])
    elif pk_set:
        _forget_users(list(pk_set))
    else:
        permissions_forget()


def cached_user(request):
    """``django.contrib.auth.get_user``, with the user kept in the shared cache between requests.

    The cached copy carries the user's roles and permission set, so a learner's page asks the database
    for neither. The session's hash is still checked against the cached user's password, so a password
    change signs out other sessions as before; a miss or a mismatch falls back to Django's own lookup.
    """
    try:
        user_id = auth._get_user_session_key(request)
        backend_path = request.session[auth.BACKEND_SESSION_KEY]
    except KeyError:
        return auth.get_user(request)
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return auth.get_user(request)
    key = user_cache_key(user_id)
    user = cache.get(key)
    if user is not None:
        session_hash = request.session.get(auth.HASH_SESSION_KEY) or ""
        if constant_time_compare(session_hash, user.get_session_auth_hash()):
            return user
        return auth.get_user(request)  # a fallback secret, or a stale session: Django decides
    user = auth.get_user(request)
    if user.is_authenticated:
        user_roles(user=user)  # kept on the object (``_lms_roles``) and cached with it
        user.get_all_permissions()  # likewise (``_perm_cache``)
        cache.set(key, user, USER_TIMEOUT)
    return user


class CachedAuthenticationMiddleware(AuthenticationMiddleware):
    """Django's middleware, with ``request.user`` from :func:`cached_user`."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(lambda: cached_user(request))


def register_permission_signals() -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.db.models.signals import m2m_changed, post_delete, post_save

    user_model = get_user_model()
    for through in (user_model.groups.through, user_model.user_permissions.through):
        m2m_changed.connect(memberships_forget, sender=through, dispatch_uid=f"people_perms_{through.__name__}")
    through = Group.permissions.through
    m2m_changed.connect(permissions_forget, sender=through, dispatch_uid=f"people_perms_{through.__name__}")
    for model in (Group, Permission):
        post_save.connect(permissions_forget, sender=model, dispatch_uid=f"people_perms_save_{model.__name__}")
        post_delete.connect(permissions_forget, sender=model, dispatch_uid=f"people_perms_delete_{model.__name__}")
    post_save.connect(user_forget, sender=user_model, dispatch_uid="people_user_forget_save")
    post_delete.connect(user_forget, sender=user_model, dispatch_uid="people_user_forget_delete")
