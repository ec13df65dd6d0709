"""Writes about people. Every function checks that the actor may touch the agency it writes to."""

from django.contrib.auth.models import Group, Permission, User
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from courses.models import Enrolment
from courses.services import enrolment_create

from .exceptions import InvalidAssignment, NotPermitted
from .models import Agency, Profile, Region, TrainingUnit
from .roles import ROLE_PERMISSIONS, Role
from .selectors import managed_agency_list, profile_list

NOT_YOUR_AGENCY = _("You can only manage people of your own agency.")
UNIT_OF_OTHER_AGENCY = _("The training unit belongs to another agency.")
USERNAME_TAKEN = _("This username is already taken.")
NO_AGENCY = _("Choose the person's agency.")


def roles_sync(*, using: str = "default") -> None:
    """Create the role groups and give each exactly its permissions (safe to run again)."""
    for role, permission_names in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=role)
        permissions = []
        for name in permission_names:
            app_label, codename = name.split(".")
            permission = (
                Permission.objects.using(using)
                .filter(content_type__app_label=app_label, codename=codename)
                .first()
            )
            if permission is not None:
                permissions.append(permission)
        group.permissions.set(permissions)


def _check_assignment(*, actor: User, agency: Agency | None, unit: TrainingUnit | None) -> None:
    if agency is None:
        raise InvalidAssignment(NO_AGENCY)
    if not managed_agency_list(actor=actor).filter(pk=agency.pk).exists():
        raise NotPermitted(NOT_YOUR_AGENCY)
    if unit is not None and unit.agency_id != agency.pk:
        raise InvalidAssignment(UNIT_OF_OTHER_AGENCY)


@transaction.atomic
def profile_create(
    *,
    actor: User,
    username: str,
    first_name: str,
    last_name: str,
    email: str = "",
    agency: Agency | None,
    unit: TrainingUnit | None = None,
    region: Region | None = None,
    position: str = "",
    gender: str = "",
    language: str = "tk",
    roles: tuple[str, ...] = (Role.TRAINEE,),
) -> Profile:
    """Create a person (account without a usable password) in an agency the actor manages."""
    _check_assignment(actor=actor, agency=agency, unit=unit)
    if User.objects.filter(username__iexact=username).exists():
        raise InvalidAssignment(USERNAME_TAKEN)
    user = User(username=username, first_name=first_name, last_name=last_name, email=email)
    user.set_unusable_password()
    user.save()
    user.groups.set(Group.objects.filter(name__in=roles))
    return Profile.objects.create(
        user=user,
        agency=agency,
        unit=unit,
        region=region,
        position=position,
        gender=gender,
        language=language,
    )


@transaction.atomic
def profile_update(
    *,
    actor: User,
    profile: Profile,
    first_name: str,
    last_name: str,
    email: str,
    agency: Agency | None,
    unit: TrainingUnit | None,
    region: Region | None,
    position: str,
    gender: str,
    language: str,
) -> Profile:
    """Change a person's details; both the old and the new agency must be the actor's."""
    if not managed_agency_list(actor=actor).filter(pk=profile.agency_id).exists():
        raise NotPermitted(NOT_YOUR_AGENCY)
    _check_assignment(actor=actor, agency=agency, unit=unit)
    user = profile.user
    user.first_name, user.last_name, user.email = first_name, last_name, email
    user.save(update_fields=["first_name", "last_name", "email"])
    profile.agency, profile.unit, profile.region = agency, unit, region
    profile.position, profile.gender, profile.language = position, gender, language
    profile.save()
    return profile


def profile_language_set(*, user: User, language: str) -> None:
    """Save the language a signed-in person chose in the switcher."""
    if not user.is_authenticated:
        return
    profile, _created = Profile.objects.get_or_create(user=user)
    if profile.language != language:
        profile.language = language
        profile.save(update_fields=["language"])


NOBODY_SELECTED = _("Select at least one person.")


@transaction.atomic
def people_enrol(*, actor: User, profile_ids: list[int], course) -> int:
    """Enrol people the actor manages in a course; return how many were newly enrolled.

    Every selected person must be visible to the actor, or nothing is enrolled.
    """
    if not profile_ids:
        raise InvalidAssignment(NOBODY_SELECTED)
    profiles = list(profile_list(actor=actor).filter(pk__in=profile_ids))
    if len(profiles) != len(set(profile_ids)):
        raise NotPermitted(NOT_YOUR_AGENCY)
    before = Enrolment.objects.filter(course_key=course.translation_key).count()
    for profile in profiles:
        enrolment_create(
            user=profile.user, course=course, enrolled_by=actor, source=Enrolment.Source.COORDINATOR
        )
    return Enrolment.objects.filter(course_key=course.translation_key).count() - before
