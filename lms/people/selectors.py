"""Reads about people, always scoped to what the acting user may see."""

from dataclasses import dataclass

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


@dataclass(frozen=True)
class AgencyScope:
    """The agencies a user may see and act on (see ``agency_scope``).

    ``all``: every agency (a programme manager or a superuser). ``own``: the user's agency when they are its
    training coordinator (also for a manager who coordinates; ``None`` otherwise). Anyone else has none: what
    they see comes from other rules (the sessions they train, their own records).
    """

    all: bool = False
    own: Agency | None = None

    @property
    def none(self) -> bool:
        """No agency at all: neither a programme manager nor a coordinator with an agency."""
        return not self.all and self.own is None

    def covers(self, agency_id) -> bool:
        """Whether the agency with id ``agency_id`` is in the scope."""
        return self.all or (self.own is not None and agency_id is not None and agency_id == self.own.pk)

    def q(self, field: str = "agency") -> Q:
        """The condition on ``field`` (a lookup to an agency) that keeps rows of the scope's agencies."""
        if self.all:
            return Q()
        if self.own is None:
            return Q(pk__in=[])
        return Q(**{field: self.own})

    def agencies(self) -> QuerySet[Agency]:
        """The scope's agencies as a queryset."""
        if self.all:
            return Agency.objects.all()
        if self.own is None:
            return Agency.objects.none()
        return Agency.objects.filter(pk=self.own.pk)


def agency_scope(*, user: User | AnonymousUser) -> AgencyScope:
    """Return the agencies ``user`` may see and act on: every agency for a programme manager (and a
    superuser), their own for a training coordinator, none for anyone else.

    The one place of that rule: lists, details, exports and the API ask it (``AgencyScope.q``, ``covers``,
    ``agencies``) and add their own rules (a trainer's sessions, a learner's records) beside it. Read once
    per user object, like the roles.
    """
    if not user.is_authenticated:
        return AgencyScope()
    cached = getattr(user, "_lms_agency_scope", None)
    if cached is None:
        own = user_agency(user=user) if user_has_role(user=user, role=Role.COORDINATOR) else None
        cached = AgencyScope(all=user_sees_all_agencies(user=user), own=own)
        user._lms_agency_scope = cached
    return cached


def managed_agency_list(*, actor: User | AnonymousUser) -> QuerySet[Agency]:
    """Return the agencies whose people the actor may see and change (``agency_scope``)."""
    return agency_scope(user=actor).agencies()


def profile_list(*, actor: User | AnonymousUser, search: str = "") -> QuerySet[Profile]:
    """Return the profiles the actor may see, newest accounts last."""
    queryset = Profile.objects.select_related("user", "agency", "unit", "region").filter(
        agency_scope(user=actor).q("agency")
    )
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
