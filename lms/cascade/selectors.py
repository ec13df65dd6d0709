"""Who a trainer or coordinator works with.

Until cascade sessions exist (their own issue), a trainer grades the learners of their own agency and a
programme manager everyone's; sessions will narrow a trainer to the learners of their sessions.
"""

from django.contrib.auth import get_user_model

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
