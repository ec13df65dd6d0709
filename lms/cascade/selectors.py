"""Who a trainer or coordinator works with, and which cascade sessions a user may see.

A trainer still grades the learners of their own agency and a programme manager everyone's; narrowing a
trainer to the learners of their own sessions is the next step of the cascade issue.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from lms.people import selectors as people_selectors
from lms.people.models import Profile
from lms.people.roles import Role


def gradable_learners(*, user):
    """The users whose open responses ``user`` may grade (a queryset), or an empty one."""
    User = get_user_model()
    if people_selectors.user_sees_all_agencies(user=user):
        return User.objects.all()
    roles = people_selectors.user_roles(user=user)
    if not roles & {Role.TRAINER, Role.COORDINATOR}:
        return User.objects.none()
    agency = people_selectors.user_agency(user=user)
    if agency is None:
        return User.objects.none()
    return User.objects.filter(pk__in=Profile.objects.filter(agency=agency).values("user_id"))


def may_grade(*, user) -> bool:
    return people_selectors.user_sees_all_agencies(user=user) or bool(
        people_selectors.user_roles(user=user) & {Role.TRAINER, Role.COORDINATOR}
    )


# --- sessions --------------------------------------------------------------------------------------------


def session_list(*, user):
    """Sessions the user may see: managers all; coordinators their agency's; trainers those they lead or
    co-lead; everyone the sessions they are on the roster of."""
    from .models import CascadeSession

    queryset = CascadeSession.objects.select_related("lead_trainer", "agency", "unit", "region")
    if people_selectors.user_sees_all_agencies(user=user):
        return queryset
    if not user.is_authenticated:
        return queryset.none()
    scope = Q(lead_trainer=user) | Q(co_trainers=user) | Q(participants__user=user)
    if people_selectors.user_has_role(user=user, role=Role.COORDINATOR):
        agency = people_selectors.user_agency(user=user)
        if agency is not None:
            scope |= Q(agency=agency)
    return queryset.filter(pk__in=CascadeSession.objects.filter(scope).values("pk"))


def session_get(*, user, pk: int):
    """One session the user may see; ``CascadeSession.DoesNotExist`` otherwise."""
    return session_list(user=user).get(pk=pk)


def approval_queue(*, user):
    """Sessions waiting for the user's decision (submitted sessions or reports of their agency)."""
    from .models import CascadeSession

    sessions = session_list(user=user).filter(
        state__in=[CascadeSession.State.SUBMITTED, CascadeSession.State.REPORTED]
    )
    if not people_selectors.user_sees_all_agencies(user=user):
        agency = people_selectors.user_agency(user=user)
        if not people_selectors.user_has_role(user=user, role=Role.COORDINATOR) or agency is None:
            return sessions.none()
        sessions = sessions.filter(agency=agency)
    return sessions.exclude(state=CascadeSession.State.REPORTED, report__accepted_at__isnull=False)
