"""Shared helpers of the grading and paper-mode tests."""

import uuid
from datetime import timedelta

from django.utils import timezone

from lms.cascade.models import CascadeSession, SessionParticipant


def taught(trainer, *learners, state=CascadeSession.State.DELIVERED, status=SessionParticipant.Status.ENROLLED):
    """A session of ``trainer``'s agency that they lead, with ``learners`` on its roster (set up directly)."""
    start = timezone.now() - timedelta(days=1)
    session = CascadeSession.objects.create(
        title="Cascade session", course_key=uuid.uuid4(), modules=[1], lead_trainer=trainer,
        agency=trainer.profile.agency, language="ru", venue="Ashgabat", capacity=20, state=state,
        starts_at=start, ends_at=start + timedelta(hours=8),
    )
    for learner in learners:
        SessionParticipant.objects.create(session=session, user=learner, status=status)
    return session
