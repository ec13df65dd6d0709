"""Whose answers a user grades and enters, and which paper forms they print and fill in.

A trainer grades and enters the answer sheets of the learners they teach: the participants of the
sessions they lead or co-lead (``lms.cascade.selectors.trained_by``). A training coordinator does so for
everyone of their agency and a programme manager for everyone.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone

from assessments.models import PaperForm
from assessments.selectors import grading_queue
from lms.cascade.models import CascadeSession, SessionParticipant
from lms.cascade.selectors import trained_by
from lms.people import selectors as people_selectors
from lms.people.models import Profile
from lms.people.roles import Role


def gradable_learners(*, user):
    """The users whose answers ``user`` may grade and whose paper answer sheets they may enter (a queryset).

    A programme manager: everyone. A training coordinator: the people of their agency. Whoever leads or
    co-leads sessions (a trainer): the enrolled participants of those sessions that are not cancelled,
    not every colleague of their agency, whose results are not theirs to judge; a co-trainer of another
    agency than the session's gets none of its participants (``trained_by``). A coordinator who also
    trains gets both; anyone else gets an empty queryset.
    """
    User = get_user_model()
    agencies = people_selectors.agency_scope(user=user)
    if agencies.all:
        return User.objects.all()
    if not user.is_authenticated:
        return User.objects.none()
    taught = (
        SessionParticipant.objects.filter(status=SessionParticipant.Status.ENROLLED)
        .filter(trained_by(user, prefix="session__"))
        .exclude(session__state=CascadeSession.State.CANCELLED)
    )
    scope = Q(pk__in=taught.values("user_id"))
    if agencies.own is not None:
        scope |= Q(pk__in=Profile.objects.filter(agencies.q("agency")).values("user_id"))
    return User.objects.filter(scope)


def may_grade(*, user) -> bool:
    """Whether ``user`` has a grading queue and paper forms at all (whose learners: ``gradable_learners``)."""
    return people_selectors.agency_scope(user=user).all or bool(
        people_selectors.user_roles(user=user) & {Role.TRAINER, Role.COORDINATOR}
    )


def grading_waiting_count(*, user) -> int:
    """How many answers wait for ``user``'s grade (``gradable_learners``): one query."""
    return grading_queue(learners=gradable_learners(user=user)).count()


def paper_form_list(*, user):
    """The paper forms ``user`` may print and enter (a queryset).

    Their own; those of the sessions they lead or co-lead (inside the session's agency); for a training coordinator also those made by
    people of their agency or attached to their agency's sessions; every form for a programme manager.
    Whose sheets may be entered on a form is a separate rule (``gradable_learners``).
    """
    forms = PaperForm.objects.select_related("assessment")
    agencies = people_selectors.agency_scope(user=user)
    if agencies.all:
        return forms
    attached = CascadeSession.paper_forms.through.objects
    run = CascadeSession.objects.filter(trained_by(user))
    scope = Q(created_by=user) | Q(pk__in=attached.filter(cascadesession__in=run).values("paperform_id"))
    if agencies.own is not None:
        scope |= agencies.q("created_by__profile__agency")
        scope |= Q(pk__in=attached.filter(agencies.q("cascadesession__agency")).values("paperform_id"))
    return forms.filter(scope)


def paper_form_written_at(*, form):
    """When the sheets of a session's pre- or post-test form were written, for the session's attempt windows.

    Sheets are often typed in days after the session; stored with the moment of typing, a pre-test
    entered after the last day would fall outside the pre-test window (``lms.cascade.delivery``) and a
    post-test entered before its pre-test would not pair. So a form attached to a session counts as
    written at the session's start (pre-test) or end (post-test), or now if that is earlier. ``None``
    (now) for any other form, or when the session's two tests are the same test.
    """
    session = (
        CascadeSession.objects.filter(paper_forms=form)
        .only("starts_at", "ends_at", "pre_test_id", "post_test_id")
        .first()
    )
    if session is None or session.pre_test_id == session.post_test_id:
        return None
    if form.assessment_id == session.pre_test_id:
        return min(timezone.now(), session.starts_at)
    if form.assessment_id == session.post_test_id:
        return min(timezone.now(), session.ends_at)
    return None
