"""Reads about people, always scoped to what the acting user may see."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header

from content.i18n import sort_key_for

from .models import Agency, Profile, Region, TrainingUnit
from .roles import Role

SUPPORTED_LANGUAGES = [code for code, _name in settings.LANGUAGES]


def user_roles(*, user: User | AnonymousUser) -> set[str]:
    """Return the role names of a user (a superuser holds every role)."""
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return set(Role.values)
    cached = getattr(user, "_lms_roles", None)
    if cached is None:
        cached = set(user.groups.filter(name__in=Role.values).values_list("name", flat=True))
        user._lms_roles = cached
    return cached


def user_has_role(*, user: User | AnonymousUser, role: str) -> bool:
    return role in user_roles(user=user)


def user_sees_all_agencies(*, user: User | AnonymousUser) -> bool:
    """Programme managers and superusers see every agency."""
    return user.is_authenticated and (user.is_superuser or Role.MANAGER in user_roles(user=user))


def user_agency(*, user: User | AnonymousUser) -> Agency | None:
    if not user.is_authenticated:
        return None
    profile = Profile.objects.filter(user=user).select_related("agency").first()
    return profile.agency if profile else None


def managed_agency_list(*, actor: User | AnonymousUser) -> QuerySet[Agency]:
    """Return the agencies whose people the actor may see and change."""
    if user_sees_all_agencies(user=actor):
        return Agency.objects.all()
    if user_has_role(user=actor, role=Role.COORDINATOR):
        agency = user_agency(user=actor)
        if agency is not None:
            return Agency.objects.filter(pk=agency.pk)
    return Agency.objects.none()


def profile_list(*, actor: User | AnonymousUser, search: str = "") -> QuerySet[Profile]:
    """Return the profiles the actor may see, newest accounts last."""
    queryset = Profile.objects.select_related("user", "agency", "unit", "region")
    if not user_sees_all_agencies(user=actor):
        queryset = queryset.filter(agency__in=managed_agency_list(actor=actor))
    if search:
        queryset = queryset.filter(
            Q(user__username__icontains=search)
            | Q(user__first_name__icontains=search)
            | Q(user__last_name__icontains=search)
            | Q(position__icontains=search)
        )
    return queryset.order_by("user__last_name", "user__first_name", "user__username")


def profile_get(*, actor: User | AnonymousUser, pk: int) -> Profile:
    """Return one profile the actor may see; ``Profile.DoesNotExist`` otherwise."""
    return profile_list(actor=actor).get(pk=pk)


def unit_list(*, agencies: QuerySet[Agency]) -> QuerySet[TrainingUnit]:
    return TrainingUnit.objects.filter(agency__in=agencies).select_related("agency", "region")


def region_list() -> list[Region]:
    """Return the regions sorted by their name in the active language."""
    key = sort_key_for()
    return sorted(Region.objects.all(), key=lambda region: key(region.name))


def preferred_language_get(*, request) -> str:
    """Return the language for a request that names none in its URL.

    In order: the signed-in user's saved preference, the language cookie set by the switcher,
    the browser's Accept-Language, and Turkmen.
    """
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        language = Profile.objects.filter(user=user).values_list("language", flat=True).first()
        if language in SUPPORTED_LANGUAGES:
            return language
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie in SUPPORTED_LANGUAGES:
        return cookie
    return accept_language_get(request=request) or settings.DEFAULT_USER_LANGUAGE


def accept_language_get(*, request) -> str | None:
    """The first language of the request's Accept-Language header that the site has, or None."""
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code == "*":
            continue
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return None


def agency_coordinator_list(*, agency_id: int | None) -> list[User]:
    """The active training coordinators of an agency (none for no agency), with their profiles."""
    if agency_id is None:
        return []
    return list(
        User.objects.filter(is_active=True, groups__name=Role.COORDINATOR, profile__agency_id=agency_id)
        .select_related("profile")
    )
